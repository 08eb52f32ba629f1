"""Block Kit for support contracts: the check against the customer SLA, flags, and expiry alerts."""

from __future__ import annotations

from typing import Any

from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from bot.suppliers.cards import SupplierContractExpiryCard
from bot.suppliers.contract_terms import Standing, Term, TermCheck
from bot.suppliers.contracts import ContractFlag, ContractStatus
from bot.suppliers.subcontracting import Clause
from handlers.blocks.common import Reply, context, date_label, section
from handlers.blocks.suppliers.dispute_mediation import clause_summary
from handlers.blocks.suppliers.labels import severity_words

MARKS = {Standing.STRICTER: "✅", Standing.WITHIN_MARGIN: "⚠️", Standing.LOOSER: "❌", Standing.UNCHECKED: "➖"}


def _severity(severity: str) -> str:
    return severity_words()[severity]


def duration(minutes: float) -> str:
    """"45 min", "4 h", "3 h 12 min" (rounded down to the minute)."""
    minutes = int(minutes)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("{m} min").format(m=rest)
    if not rest:
        return _("{h} h").format(h=hours)
    return _("{h} h {m} min").format(h=hours, m=rest)


def term_name(term: Term) -> str:
    """A term in words."""
    return {Term.RESPONSE: _("response time"), Term.RESOLUTION: _("resolution time"),
            Term.AVAILABILITY: _("availability"), Term.SERVICE_HOURS: _("service hours")}[term]


def _shown(check: TermCheck, value: float | str | None) -> str:
    if isinstance(value, int | float) and check.term in (Term.RESPONSE, Term.RESOLUTION):
        return duration(value)
    if isinstance(value, int | float) and check.term == Term.AVAILABILITY:
        return f"{value:g}%"
    return str(value)


def term_line(check: TermCheck, *, margin: str) -> str:
    """One term against the customer's: stricter, within the margin, looser, or not checked."""
    name = term_name(check.term)
    ours, theirs = _shown(check, check.supplier), _shown(check, check.customer) if check.customer is not None else ""
    mark = MARKS[check.standing]
    if check.standing == Standing.UNCHECKED:
        return f"{mark} " + _("{term} {ours}: not checked, no availability is promised to the customer").format(
            term=name.capitalize(), ours=ours)
    if check.term == Term.SERVICE_HOURS:
        if check.standing == Standing.STRICTER:
            return f"{mark} " + _("{term} {ours} cover the customer's {theirs}").format(
                term=name.capitalize(), ours=ours, theirs=theirs)
        return f"{mark} " + _("*{term}* {ours} do not cover the customer's {theirs}").format(
            term=name.capitalize(), ours=ours, theirs=theirs)
    needed = _("needs ≥ {value}").format(value=_shown(check, check.needed)) if check.term == Term.AVAILABILITY \
        else _("needs ≤ {value}").format(value=_shown(check, check.needed))
    if check.standing == Standing.STRICTER:
        text = _("{term} {ours}: stricter than the customer's {theirs} by {margin} or more")
    elif check.standing == Standing.WITHIN_MARGIN:
        text = _("*{term}* {ours} is within the {margin} margin of the customer's {theirs} ({needed})")
    else:
        text = _("*{term}* {ours} is looser than the customer's {theirs} ({needed})")
    return f"{mark} " + text.format(term=name.capitalize(), ours=ours, theirs=theirs, margin=margin, needed=needed)


def flag_line(flag: ContractFlag, status: ContractStatus) -> str:
    """One risk of a contract in words."""
    contract = status.contract
    texts = {
        ContractFlag.SINGLE_SOURCE: "⚠️ " + _("*Single source*: {supplier} is the only supplier backing {customer} "
                                             "({severity})").format(supplier=status.supplier_name,
                                                                    customer=status.customer_name,
                                                                    severity=_severity(contract.severity)),
        ContractFlag.SUBCONTRACTING: "⚠️ " + _("*Subcontracting allowed*: watch for multi-level subcontracting"),
        ContractFlag.NO_IP_CLAUSE: "⚠️ " + _("*No intellectual-property clause*"),
        ContractFlag.NO_SECURITY_CLAUSE: "⚠️ " + _("*No information-security clause*"),
        ContractFlag.EXPIRED: "⛔ " + _("*Expired* on {day}").format(day=date_label(contract.valid_until)),
        ContractFlag.EXPIRING: "⏳ " + ngettext("*Expires* in {n} day, on {day}", "*Expires* in {n} days, on {day}",
                                               status.days_left).format(n=status.days_left,
                                                                        day=date_label(contract.valid_until)),
        ContractFlag.NOT_STARTED: "🕒 " + _("Starts on {day}").format(day=date_label(contract.valid_from)),
    }
    return texts[flag]


def subcontractor_lines(status: ContractStatus) -> list[str]:
    """Each clause a subcontractor's subcontract lacks, named; a second level; subcontracting the contract forbids."""
    missing = {Clause.AUDIT: _("*Subcontractor {name}*: no audit clause"),
               Clause.IP: _("*Subcontractor {name}*: no intellectual-property clause"),
               Clause.SECURITY: _("*Subcontractor {name}*: no information-security clause")}
    lines = []
    for sub in status.subcontractors:
        if not status.contract.subcontracting_allowed:
            lines.append("⚠️ " + _("*Subcontractor {name}*: this contract does not allow subcontracting").format(
                name=sub.name))
        lines += ["⚠️ " + missing[clause].format(name=sub.name) for clause in sub.missing]
        if sub.further:
            lines.append("⚠️ " + ngettext(
                "*Subcontractor {name}* subcontracts again ({n} subcontractor): multi-level subcontracting",
                "*Subcontractor {name}* subcontracts again ({n} subcontractors): multi-level subcontracting",
                sub.further).format(name=sub.name, n=sub.further))
    return lines


def _heading(status: ContractStatus) -> str:
    contract = status.contract
    return _("*Contract #{id}* with {supplier} · backs *{customer}* ({severity}) · {start} – {end} · {hours}").format(
        id=contract.id, supplier=status.supplier_name, customer=status.customer_name,
        severity=_severity(contract.severity), start=date_label(contract.valid_from),
        end=date_label(contract.valid_until), hours=contract.service_hours)


def _margin(status: ContractStatus) -> str:
    return f"{status.margin:.0%}"


def contract_section(status: ContractStatus) -> dict[str, Any]:
    """One contract with every term checked and its flags, for the scorecard."""
    margin = _margin(status)
    clause = clause_summary(status.contract.dispute_clause)
    lines = [_heading(status), *(term_line(c, margin=margin) for c in status.checks),
             *(flag_line(f, status) for f in status.flags), *subcontractor_lines(status), *([clause] if clause else [])]
    return section("\n".join(lines))


def build_contract_saved(status: ContractStatus) -> Reply:
    """The saved contract, its check against the customer SLA (naming each flagged term), and its risks."""
    contract = status.contract
    margin = _margin(status)
    flagged = status.flagged_terms
    sla = _("{customer}'s {severity} SLA").format(customer=status.customer_name, severity=_severity(contract.severity))
    if flagged:
        headline = "⚠️ " + ngettext(
            "Saved contract #{id}. {n} term is not stricter than {sla} by {margin}: {terms}.",
            "Saved contract #{id}. {n} terms are not stricter than {sla} by {margin}: {terms}.", len(flagged)).format(
            id=contract.id, n=len(flagged), sla=sla, margin=margin,
            terms=", ".join(term_name(c.term) for c in flagged))
    else:
        headline = "✅ " + _("Saved contract #{id}. Every term checked is stricter than {sla} by {margin} "
                            "or more.").format(id=contract.id, sla=sla, margin=margin)
    terms = "\n".join(term_line(c, margin=margin) for c in status.checks)
    blocks = [section(headline), section(_heading(status) + "\n" + terms)]
    risks = [flag_line(f, status) for f in status.flags] + subcontractor_lines(status)
    if risks:
        blocks.append(section("\n".join(risks)))
    if status.next_alert_at:
        blocks.append(context(_("Expiry alerts 90, 30 and 7 days before {day} go to the supplier's owner.").format(
            day=date_label(contract.valid_until))))
    return "\n".join([headline, terms, *risks]), blocks


def render_supplier_contract_expiry(card: SupplierContractExpiryCard) -> Rendered:
    """Tell a supplier's owner that a support contract expires soon."""
    text = ngettext(
        "Support contract #{id} with *{supplier}* (backing {customer}, {severity}) expires in {n} day, on {day}.",
        "Support contract #{id} with *{supplier}* (backing {customer}, {severity}) expires in {n} days, on {day}.",
        card.days).format(id=card.contract_id, supplier=card.supplier, customer=card.customer,
                          severity=_severity(card.severity), n=card.days, day=date_label(card.valid_until))
    follow = _("Renew it, or record the new one with `/supplier contract {supplier}`.").format(supplier=card.supplier)
    return Rendered(text=text, blocks=[section("⏳ " + text), context(follow)])

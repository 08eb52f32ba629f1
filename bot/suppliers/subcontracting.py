"""Subcontracting chains (分包, the notes' 多级分包 risk): a supplier's subcontractors, what each may do, and whether
the subcontract carries the audit, intellectual-property and information-security clauses — free of Slack.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from bot.platform.errors import InvalidInput, NotFound
from bot.platform.i18n import _
from bot.platform.text import cut
from bot.suppliers.evaluation import require_supplier
from storage.accounts import Account
from storage.platform.audit import record_change
from storage.suppliers import subcontractors as store
from storage.suppliers.subcontractors import SCOPE_LIMIT, Subcontractor

EXAMPLE = "/supplier subcontractor Net Co add Cable Co: fibre repairs on site audit ip security"
_ADD = re.compile(r"^(?P<name>.+?)\s+add\s+(?P<sub>[^:：]+?)\s*[:：]\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_REMOVE = re.compile(r"^(?P<name>.+?)\s+remove\s+(?P<sub>.+)$", re.IGNORECASE | re.DOTALL)


class Clause(StrEnum):
    """The clauses a subcontract must carry."""

    AUDIT = "audit"
    IP = "ip"
    SECURITY = "security"


CLAUSE_WORDS = {"audit": Clause.AUDIT, "审计": Clause.AUDIT, "审核": Clause.AUDIT, "ip": Clause.IP,
                "知识产权": Clause.IP, "security": Clause.SECURITY, "infosec": Clause.SECURITY,
                "信息安全": Clause.SECURITY}


@dataclass(frozen=True)
class SubcontractDraft:
    """`<supplier> add <subcontractor>: <scope> [audit] [ip] [security]` (or `<supplier> remove <subcontractor>`)."""

    supplier: str
    subcontractor: str
    scope: str | None  # None: remove
    clauses: frozenset[Clause] = frozenset()


def parse_subcontract(text: str) -> SubcontractDraft:
    """Read `/supplier subcontractor …`; the clause words come last, after what the subcontractor may do."""
    text = " ".join(html.unescape(text).split())
    if removed := _REMOVE.match(text):
        return SubcontractDraft(removed.group("name").strip(), removed.group("sub").strip(), None)
    match = _ADD.match(text)
    if not match:
        raise InvalidInput(_("Name the supplier, its subcontractor, what it may do and the clauses it signed: "
                             "`{example}`").format(example=EXAMPLE))
    words = match.group("rest").split()
    clauses: set[Clause] = set()
    while words and (clause := CLAUSE_WORDS.get(words[-1].strip("[]").lower())):
        clauses.add(clause)
        words.pop()
    scope = " ".join(words).strip(" ,;")
    if not scope:
        raise InvalidInput(_("Say what the subcontractor may do: `{example}`").format(example=EXAMPLE))
    return SubcontractDraft(match.group("name").strip(), match.group("sub").strip(), cut(scope, SCOPE_LIMIT),
                            frozenset(clauses))


def missing_clauses(link: Subcontractor) -> list[Clause]:
    """The clauses this subcontract lacks, in a fixed order."""
    present = {Clause.AUDIT: link.audit_clause, Clause.IP: link.ip_clause, Clause.SECURITY: link.security_clause}
    return [clause for clause in Clause if not present[clause]]


@dataclass(frozen=True)
class SubcontractorCheck:
    """One subcontractor as the contract check sees it."""

    name: str
    scope: str
    missing: tuple[Clause, ...]
    further: int = 0  # its own subcontractors: a second level (多级分包)


def check_subcontractors(session: Session, *, supplier_id: int) -> list[SubcontractorCheck]:
    """A supplier's subcontractors, each with the clauses its subcontract lacks and whether it subcontracts again."""
    rows = store.list_subcontractors(session, supplier_id=supplier_id)
    further = store.count_own_subcontractors(session, supplier_ids=[a.id for _link, a in rows if a.id is not None])
    return [SubcontractorCheck(account.name, link.scope, tuple(missing_clauses(link)), further.get(account.id or 0, 0))
            for link, account in rows]


@dataclass(frozen=True)
class SubcontractChange:
    """A subcontract after `/supplier subcontractor`, and what it was before (None: new, or removed)."""

    supplier: Account
    subcontractor: Account
    link: Subcontractor | None  # None once removed
    missing: Sequence[Clause]
    added: bool


def record_subcontract(session: Session, *, draft: SubcontractDraft, actor_id: str, now: datetime) -> SubcontractChange:
    """Add, update or remove a supplier's subcontractor (another supplier account); audited."""
    supplier = require_supplier(session, name=draft.supplier)
    sub = require_supplier(session, name=draft.subcontractor)
    assert supplier.id is not None and sub.id is not None  # stored accounts
    if sub.id == supplier.id:
        raise InvalidInput(_("A supplier can't be its own subcontractor."))
    link = store.get_link(session, supplier_id=supplier.id, subcontractor_id=sub.id)
    before = _facts(link) if link else None
    if draft.scope is None:
        if link is None:
            raise NotFound(_("{sub} is not a subcontractor of {supplier}.").format(sub=sub.name,
                                                                                    supplier=supplier.name))
        session.delete(link)
        record_change(session, actor_id=actor_id, action="supplier.subcontractor_remove", object_type="account",
                      object_id=supplier.id, at=now, before=before)
        return SubcontractChange(supplier, sub, None, [], added=False)
    if link is None:
        link = Subcontractor(supplier_id=supplier.id, subcontractor_id=sub.id, scope=draft.scope, created_by=actor_id,
                             created_at=now)
    link.scope = draft.scope
    link.audit_clause = Clause.AUDIT in draft.clauses
    link.ip_clause = Clause.IP in draft.clauses
    link.security_clause = Clause.SECURITY in draft.clauses
    session.add(link)
    session.flush()
    record_change(session, actor_id=actor_id, action="supplier.subcontractor", object_type="account",
                  object_id=supplier.id, at=now, before=before, after=_facts(link))
    return SubcontractChange(supplier, sub, link, missing_clauses(link), added=before is None)


def _facts(link: Subcontractor) -> dict[str, object]:
    return {"subcontractor_id": link.subcontractor_id, "scope": link.scope, "audit": link.audit_clause,
            "ip": link.ip_clause, "security": link.security_clause}

"""The notes' risks and their controls (可能存在的风险与控制), per kind of party: what an account may adopt.

Titles and controls are English msgids; their Chinese (the notes' own words) is in the zh_Hans catalog, so each
reader sees them in their language. Keys are stable: adopted risks name their entry by key.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.platform.i18n import _
from storage.accounts import AccountKind


@dataclass(frozen=True)
class CatalogRisk:
    """One listed risk: its key, the kind of party it concerns, and the likelihood and impact it starts with."""

    key: str
    kind: AccountKind
    likelihood: int
    impact: int

    @property
    def title(self) -> str:
        """The risk and its effect, in the language being spoken."""
        return _titles()[self.key]

    @property
    def control(self) -> str:
        """The control (控制措施), in the language being spoken."""
        return _controls()[self.key]


CATALOG: tuple[CatalogRisk, ...] = (
    CatalogRisk("customer-real-needs", AccountKind.CUSTOMER, 3, 4),
    CatalogRisk("customer-many-stakeholders", AccountKind.CUSTOMER, 3, 3),
    CatalogRisk("supplier-unclear-terms", AccountKind.SUPPLIER, 3, 3),
    CatalogRisk("supplier-coordination", AccountKind.SUPPLIER, 3, 4),
    CatalogRisk("supplier-change", AccountKind.SUPPLIER, 2, 4),
    CatalogRisk("supplier-subcontracting", AccountKind.SUPPLIER, 2, 4),
    CatalogRisk("supplier-uncooperative", AccountKind.SUPPLIER, 2, 5),
    CatalogRisk("third-party-communication", AccountKind.THIRD_PARTY, 3, 3),
    CatalogRisk("third-party-unclear-terms", AccountKind.THIRD_PARTY, 3, 3),
    CatalogRisk("third-party-no-customer-support", AccountKind.THIRD_PARTY, 2, 4),
)

_BY_KEY = {entry.key: entry for entry in CATALOG}


def catalog_for(kind: AccountKind) -> list[CatalogRisk]:
    """The listed risks of a kind of party, in the notes' order."""
    return [entry for entry in CATALOG if entry.kind == kind]


def catalog_entry(key: str) -> CatalogRisk | None:
    """The entry with this key, if any."""
    return _BY_KEY.get(key)


def catalog_control(key: str) -> str:
    """The control of a catalog entry (for signals that raise one of the notes' risks)."""
    return _controls()[key]


def _titles() -> dict[str, str]:
    return {
        "customer-real-needs": _("The customer's real needs, above all a key customer's, are not understood: the "
                                 "service misses their expectations, is not recognised, and the team's morale "
                                 "suffers"),
        "customer-many-stakeholders": _("Many stakeholders with varied needs: the service is hard to standardise "
                                        "and the planned resources fall short"),
        "supplier-unclear-terms": _("Not every scenario was foreseen and agreed with the supplier, so benefits and "
                                    "responsibilities are disputed: the supplier loses its drive"),
        "supplier-coordination": _("Several suppliers do not work well together: the service misses the "
                                   "customer's expectations, is not recognised, and the team's morale suffers"),
        "supplier-change": _("The supplier's organisation or business changes: its service cannot be relied on "
                             "and the team's morale suffers"),
        "supplier-subcontracting": _("Multi-level subcontracting threatens service quality and continuity: "
                                     "quality drops, contact with the customer fades, knowledge is lost"),
        "supplier-uncooperative": _("The supplier does not cooperate: the promised service cannot be delivered"),
        "third-party-communication": _("Communication with the third party does not flow: working together "
                                       "falters, delivery suffers or misses the customer's expectations"),
        "third-party-unclear-terms": _("Not every scenario was foreseen and agreed with the third party, so "
                                       "benefits and responsibilities are disputed: the third party loses its "
                                       "drive"),
        "third-party-no-customer-support": _("The customer does not support the third party's work: the work is "
                                             "not recognised in the end"),
    }


def _controls() -> dict[str, str]:
    return {
        "customer-real-needs": _("Dig out the customer's real needs, sign supplementary agreements in time, and win "
                                 "the executive sponsor's support and cooperation."),
        "customer-many-stakeholders": _("Give each stakeholder a service report fit for them and review in time; "
                                        "give the customer cost figures for internal accounting; when needed, "
                                        "lead the customer to sign a supplementary agreement."),
        "supplier-unclear-terms": _("Sign clear and effective support contracts that leave no room for disputes; "
                                    "spot potential disputes early and handle them well."),
        "supplier-coordination": _("Set up good collaboration and communication among suppliers."),
        "supplier-change": _("Keep several competing suppliers and a backup, so that no single source can stop "
                             "the service; audit and assess suppliers regularly, spot risks early and prevent "
                             "them, and keep the customer informed."),
        "supplier-subcontracting": _("Limit what suppliers may subcontract and agree audit clauses, auditing the "
                                     "whole chain regularly; stay in close contact with the customer; agree "
                                     "intellectual property and information security with subcontractors."),
        "supplier-uncooperative": _("Choose effective suppliers; audit them regularly and replace those that fall "
                                    "short; sign clear support contracts that leave no room for disputes; win the "
                                    "supplier's senior management's support; strengthen collaboration and "
                                    "communication."),
        "third-party-communication": _("Set up a good collaboration and communication mechanism with the third "
                                       "party."),
        "third-party-unclear-terms": _("Define with the third party how you work together, leaving no room for "
                                       "disputes."),
        "third-party-no-customer-support": _("Win the customer's support for the third party's work in advance."),
    }

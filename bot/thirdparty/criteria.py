"""What a third party is scored on, by its role (有效第三方伙伴选择；定期审核及评估): four criteria every third
party shares, and two that fit its role. Pure: the scorer is bot.suppliers.scoring's, given these sets.
"""

from __future__ import annotations

from bot.suppliers.scoring import CriteriaSet
from storage.accounts import ThirdPartyRole

# Every third party: is it independent of us and the customer, qualified for what it does, quick to answer,
# and careful with the information we give it?
COMMON = ("independence", "qualification", "responsiveness", "information_handling")
BY_ROLE: dict[ThirdPartyRole, tuple[str, ...]] = {
    ThirdPartyRole.AUDITOR: ("methodology", "findings"),  # audit method and evidence; useful, fair findings
    ThirdPartyRole.SUPERVISOR: ("clarity", "consistency"),  # clear requirements; the same ruling each time
    ThirdPartyRole.CERTIFICATION_BODY: ("accreditation", "scope"),  # accredited and recognised; covers our services
    ThirdPartyRole.VENDOR: ("delivery", "cost"),  # delivers on time and to spec; price for value
}
ALIASES = {"info": "information_handling", "information": "information_handling", "security": "information_handling",
           "qualifications": "qualification", "independent": "independence", "response": "responsiveness",
           "method": "methodology", "accredited": "accreditation", "price": "cost"}


def criteria_for(role: ThirdPartyRole | str | None) -> CriteriaSet:
    """The criteria a third party of this role is evaluated and reviewed on, in scoring order."""
    extra = BY_ROLE.get(ThirdPartyRole(role), ()) if role else ()
    keys = COMMON + extra
    return CriteriaSet(keys, {alias: key for alias, key in ALIASES.items() if key in keys})


def all_keys() -> tuple[str, ...]:
    """Every third-party criterion of any role (for reading modals back)."""
    return COMMON + tuple(key for extra in BY_ROLE.values() for key in extra)

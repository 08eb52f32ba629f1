"""The words of `/account`: kinds, third-party roles, and `add <name> [kind [role]]`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from storage.accounts import AccountKind, ThirdPartyRole


def parse_kind(text: str | None) -> AccountKind:
    """Read an account kind; customer when not given."""
    if not text:
        return AccountKind.CUSTOMER
    cleaned = text.strip().lower().replace("_", "-").replace(" ", "-")
    aliases = {"thirdparty": "third-party", "3rd-party": "third-party", "third": "third-party"}
    try:
        return AccountKind(aliases.get(cleaned, cleaned))
    except ValueError:
        raise InvalidInput(
            _("“{kind}” is not a kind of account. Use customer, supplier or third-party.").format(kind=text)
        ) from None


# The words a third party's role is read from (after `-`/`_`/spaces are made `-`).
ROLE_ALIASES = {
    "auditor": ThirdPartyRole.AUDITOR, "audit": ThirdPartyRole.AUDITOR, "审计": ThirdPartyRole.AUDITOR,
    "supervisor": ThirdPartyRole.SUPERVISOR, "regulator": ThirdPartyRole.SUPERVISOR, "监管": ThirdPartyRole.SUPERVISOR,
    "certification-body": ThirdPartyRole.CERTIFICATION_BODY, "certifier": ThirdPartyRole.CERTIFICATION_BODY,
    "cb": ThirdPartyRole.CERTIFICATION_BODY, "认证机构": ThirdPartyRole.CERTIFICATION_BODY,
    "vendor": ThirdPartyRole.VENDOR, "other-vendor": ThirdPartyRole.VENDOR, "厂商": ThirdPartyRole.VENDOR,
}


def parse_third_party_role(text: str) -> ThirdPartyRole | None:
    """Read a third party's role: auditor, supervisor, certification-body, vendor, or none (not said)."""
    cleaned = "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    if cleaned in ("none", "unset", "default", "无"):
        return None
    role = ROLE_ALIASES.get(cleaned)
    if role is None:
        raise InvalidInput(_("“{text}” is not a third-party role. Use auditor, supervisor, certification-body, vendor "
                             "or none: `/account set AuditCo role auditor`").format(text=text.strip()))
    return role


# A third party's role may follow its kind (`AuditCo third-party auditor`); only known role words, so that
# names such as "Foo customer care" stay whole.
_ROLE_WORDS = "|".join(word.replace("-", "[- _]") for word in sorted(ROLE_ALIASES, key=len, reverse=True))
_KIND_SUFFIX = re.compile(r"^(?P<name>.+?)\s+(?:(?P<kind>customer|supplier)|(?P<third>third[- _]?party)"
                          rf"(?:\s+(?P<role>{_ROLE_WORDS}))?)$", re.IGNORECASE)


@dataclass(frozen=True)
class NewAccount:
    """What `/account add …` asks for."""

    name: str
    kind: AccountKind
    role: ThirdPartyRole | None


def parse_new_account(text: str) -> NewAccount:
    """`Acme Corp supplier` → a supplier called Acme Corp; `AuditCo third-party auditor` adds the role."""
    match = _KIND_SUFFIX.match(text.strip())
    if match is None:
        return NewAccount(name=text, kind=parse_kind(None), role=None)
    role = match.group("role")
    return NewAccount(name=match.group("name"), kind=parse_kind(match.group("kind") or match.group("third")),
                      role=parse_third_party_role(role) if role else None)

"""Words for stored values that people read: the same label wherever a value is shown."""

from __future__ import annotations

from bot.platform.i18n import _
from storage.accounts import Account, AccountKind, ThirdPartyRole


def kind_label(kind: AccountKind | str) -> str:
    """An account kind in words: customer, supplier, third party."""
    return {AccountKind.CUSTOMER: _("customer"), AccountKind.SUPPLIER: _("supplier"),
            AccountKind.THIRD_PARTY: _("third party")}[AccountKind(kind)]


def role_label(role: ThirdPartyRole | str) -> str:
    """A third party's role in words: auditor, supervisor, certification body, vendor."""
    return {ThirdPartyRole.AUDITOR: _("auditor"), ThirdPartyRole.SUPERVISOR: _("supervisor"),
            ThirdPartyRole.CERTIFICATION_BODY: _("certification body"),
            ThirdPartyRole.VENDOR: _("vendor")}[ThirdPartyRole(role)]


def account_kind_label(account: Account) -> str:
    """An account's kind with a third party's role when known: "third party (auditor)"."""
    if account.kind == AccountKind.THIRD_PARTY and account.third_party_role:
        return _("{kind} ({role})").format(kind=kind_label(account.kind), role=role_label(account.third_party_role))
    return kind_label(account.kind)

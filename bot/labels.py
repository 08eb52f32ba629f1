"""Words for stored values that people read: the same label wherever a value is shown."""

from __future__ import annotations

from bot.i18n import _
from storage.accounts import AccountKind


def kind_label(kind: AccountKind | str) -> str:
    """An account kind in words: customer, supplier, third party."""
    return {AccountKind.CUSTOMER: _("customer"), AccountKind.SUPPLIER: _("supplier"),
            AccountKind.THIRD_PARTY: _("third party")}[AccountKind(kind)]

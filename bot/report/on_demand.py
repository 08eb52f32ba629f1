"""`/rapport report <account> [period]`: the report on a period, built now from the record (internal version)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.calendar.recurrence import Frequency, Period
from bot.platform.config import Settings
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.report import sections
from bot.report.model import Report, ReportScope
from bot.report.periods import LONGEST_PERIOD_WORDS, PERIOD_EXAMPLES, read_period, unreadable_period_message
from bot.rhythm.meetings import account_calendar
from storage.accounts import Account, get_account_by_name
from storage.rhythm import agreements as agreement_store

USAGE = "/rapport report Acme Corp [2026-11]"


def split_request(session: Session, text: str) -> tuple[Account, str]:
    """The account named at the start of `text` and the period words after it ("" when none)."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput(_("Name an account and, if you like, a period: `{usage}`. Periods: {examples}.").format(
            usage=USAGE, examples=PERIOD_EXAMPLES))
    for separator in (":", "："):
        if separator in text:
            name, _colon, period_text = text.partition(separator)
            return require_account(session, name=name), period_text.strip()
    if (account := get_account_by_name(session, name=text)) is not None:
        return account, ""
    words = text.split(" ")
    for count in range(1, min(LONGEST_PERIOD_WORDS, len(words) - 1) + 1):
        if (account := get_account_by_name(session, name=" ".join(words[:-count]))) is not None:
            return account, " ".join(words[-count:])
    return require_account(session, name=text), ""  # NotFound, with names like it


def default_period(session: Session, account: Account, *, today: datetime) -> Period:
    """The account's last closed period of its agreement's cycle (a month when it has no agreement)."""
    assert account.id is not None  # a stored account
    agreement = agreement_store.get_agreement(session, account_id=account.id)
    cycle = Frequency(agreement.cycle) if agreement else Frequency.MONTH
    return Period.containing(cycle, today.date()).previous()


def report_on_demand(session: Session, *, text: str, settings: Settings, now: datetime) -> Report:
    """Build the report `text` asks for (`<account> [period]`) in the language being spoken."""
    account, period_text = split_request(session, text)
    assert account.id is not None  # a stored account
    local_now = now.astimezone(account_calendar(account, settings).timezone)
    if period_text:
        period = read_period(period_text, today=local_now.date())
        if period is None:
            raise InvalidInput(unreadable_period_message(period_text))
    else:
        period = default_period(session, account, today=local_now)
    # SECTIONS is read now (not bound at import) so the lead's merge and tests can change it.
    return sections.build_report(session, ReportScope(account.id, period, now), settings, sections=sections.SECTIONS)

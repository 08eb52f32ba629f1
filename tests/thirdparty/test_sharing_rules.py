"""Rules of information-sharing agreements: who may approve one."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.calendar.workdays import WorkCalendar
from bot.platform.errors import Refused
from bot.thirdparty.sharing import AgreementForm, decide_agreement, record_agreement
from storage.accounts import Account, AccountKind
from storage.thirdparty.sharing import AgreementStatus, SharingMethod, SharingWindow

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
MANAGERS = ("U0CAROL", "U0DAN")


def _proposed(session, *, by: str, approver: str = "U0CAROL"):
    account = Account(name="AuditCo", name_key="auditco", kind=AccountKind.THIRD_PARTY, owner_id=by, created_by=by,
                      created_at=NOW)
    session.add(account)
    session.flush()
    assert account.id is not None
    form = AgreementForm(purpose="audit", kinds=["complaints"], channel_id="C0AUDIT", window=SharingWindow.ANY_TIME,
                         schedule=None, people=[by], method=SharingMethod.SLACK, approved_by=approver,
                         valid_until=date(2027, 1, 1))
    return record_agreement(session, account_id=account.id, form=form, actor_id=by, now=NOW,
                            calendar=WorkCalendar.from_settings(None, "UTC"), managers=MANAGERS,
                            is_internal=lambda user_id: True)


def test_only_the_manager_named_decides_even_another_manager_is_refused(db):
    with db.session() as session:
        recorded = _proposed(session, by="U0ALICE")
        assert recorded.agreement.status == AgreementStatus.PENDING and len(recorded.keys) == 1
        for someone in ("U0ALICE", "U0DAN"):
            with pytest.raises(Refused, match="Only <@U0CAROL>"):
                decide_agreement(session, agreement_id=recorded.agreement.id, approve=True, actor_id=someone,
                                 now=NOW, managers=MANAGERS)
        decision = decide_agreement(session, agreement_id=recorded.agreement.id, approve=True, actor_id="U0CAROL",
                                    now=NOW, managers=MANAGERS)
        assert decision.changed and decision.agreement.status == AgreementStatus.APPROVED


def test_a_manager_naming_themselves_approves_at_once_and_nobody_is_asked(db):
    with db.session() as session:
        recorded = _proposed(session, by="U0CAROL")
        assert recorded.agreement.status == AgreementStatus.APPROVED and recorded.keys == []

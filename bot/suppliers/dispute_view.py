"""A dispute's card as it stands — what the escalation channel shows, rebuilt and updated in place on every change."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.platform import outbox
from bot.suppliers.cards import DisputeCard, DisputeStep, LinkedComplaint, MediatorRow
from bot.suppliers.dispute_ladder import DisputePolicy
from storage.accounts import Account, AccountKind
from storage.care.complaints import get_complaint
from storage.suppliers import disputes as store
from storage.suppliers.disputes import Dispute, DisputeAction, DisputeStatus


def card_key(dispute_id: int) -> str:
    """The outbox key of a dispute's card."""
    return f"dispute:{dispute_id}:card"


def card_location(session: Session, *, dispute_id: int) -> outbox.Delivered | None:
    """Where a dispute's card landed (channel and ts), once it has been posted."""
    return outbox.delivered(session, key=card_key(dispute_id))


def queue_card_update(session: Session, dispute: Dispute, *, now: datetime, policy: DisputePolicy) -> str:
    """Queue an edit of the dispute's card showing its current state; returns the outbox key."""
    dispute.version += 1
    dispute.updated_at = now
    session.add(dispute)
    session.flush()
    key = f"{card_key(dispute_id_of(dispute))}:v{dispute.version}"
    outbox.update(session, key=key, original_key=card_key(dispute_id_of(dispute)),
                  card=build_card(session, dispute, policy=policy), now=now)
    return key


def dispute_id_of(dispute: Dispute) -> int:
    """A stored dispute's id."""
    assert dispute.id is not None  # a stored dispute
    return dispute.id


def party_of(session: Session, dispute: Dispute) -> Account:
    """The account a dispute is with."""
    party = session.get(Account, dispute.supplier_id)
    assert party is not None  # disputes keep their party (foreign key)
    return party


def build_card(session: Session, dispute: Dispute, *, policy: DisputePolicy) -> DisputeCard:
    """The dispute's card as it stands, with its whole history (internal: it only goes to internal channels and DMs)."""
    complaint = get_complaint(session, complaint_id=dispute.complaint_id) if dispute.complaint_id else None
    history = tuple(DisputeStep(at=e.at, actor=e.actor_id, action=DisputeAction(e.action), level=e.level,
                                automatic=e.automatic, note=e.note)
                    for e in store.list_events(session, dispute_id=dispute_id_of(dispute)))
    party, ladder = party_of(session, dispute), policy.ladder(session, dispute)
    named = store.get_mediator(session, dispute_id=dispute_id_of(dispute))
    mediator_account = session.get(Account, named.account_id) if named else None
    mediator = MediatorRow(name=mediator_account.name, kind=AccountKind(mediator_account.kind), user=named.user_id) if (
        named and mediator_account) else None
    return DisputeCard(
        id=dispute_id_of(dispute), supplier=party.name, subject=dispute.subject, scope=dispute.scope,
        others=tuple(store.list_party_names(session, dispute_id=dispute_id_of(dispute))),
        complaint=LinkedComplaint(id=complaint.id, summary=complaint.summary) if complaint and complaint.id else None,
        status=DisputeStatus(dispute.status), level=dispute.level, due=dispute.level_due_at, owner=dispute.owner_id,
        created_by=dispute.created_by, resolution=dispute.resolution, resolved_by=dispute.resolved_by,
        resolved_at=dispute.resolved_at, tz=policy.calendar.timezone, days=ladder.level_days(), history=history,
        party_kind=AccountKind(party.kind), last=ladder.last, deciders=ladder.deciders(), clause=ladder.clause,
        mediator=mediator,
    )

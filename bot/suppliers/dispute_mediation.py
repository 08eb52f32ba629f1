"""The ladder's second step (借助最终客户、第三方伙伴协调): a mediating party named for a dispute, recorded and told
once — in its linked shared channel, or by DM to the person named — with only the subject and what is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.platform import outbox
from bot.platform.errors import Refused
from bot.platform.i18n import _
from bot.suppliers.cards import DisputeMediationAskCard
from bot.suppliers.dispute_ladder import DisputePolicy
from bot.suppliers.dispute_view import build_card, queue_card_update
from bot.suppliers.disputes import DisputeChange, escalate_dispute, get_or_refuse
from storage.accounts import first_shared_channel
from storage.platform.audit import record_change
from storage.suppliers import disputes as store
from storage.suppliers.disputes import DisputeAction, DisputeEvent, DisputeMediator, DisputeStatus

MEDIATION_LEVEL = 2


@dataclass(frozen=True)
class MediatorNamed:
    """A mediator recorded (or found recorded already), where they were asked, and the keys to deliver now."""

    change: DisputeChange
    mediator: str
    channel: str | None  # the shared channel asked in, or
    person: str | None  # the person asked by DM


def ask_key(dispute_id: int) -> str:
    """The outbox key of the one message asking a dispute's mediator."""
    return f"dispute:{dispute_id}:mediation-ask"


def name_mediator(session: Session, *, dispute_id: int, mediator_name: str, person: str | None, actor_id: str,
                  now: datetime, policy: DisputePolicy) -> MediatorNamed:
    """Record the mediator of an open dispute at level 1 (escalating it to 2) or 2, and ask them once."""
    dispute = get_or_refuse(session, dispute_id, for_update=True)
    if dispute.status != DisputeStatus.OPEN:
        raise Refused(_("Dispute #{id} is resolved; reopen it first: `/dispute {id} reopen: <reason>`.").format(
            id=dispute_id))
    if policy.ladder(session, dispute).last < MEDIATION_LEVEL:
        raise Refused(_("Dispute #{id} follows a one-level dispute clause: it has no mediation step.").format(
            id=dispute_id))
    if dispute.level > MEDIATION_LEVEL:
        raise Refused(_("Dispute #{id} is at level {level}, past the mediation step (level 2).").format(
            id=dispute_id, level=dispute.level))
    mediator = require_account(session, name=mediator_name)
    assert mediator.id is not None  # a stored account
    channel = None if person else first_shared_channel(session, account_id=mediator.id)
    named = store.get_mediator(session, dispute_id=dispute_id)
    if named is not None:
        if named.account_id == mediator.id and named.user_id == person:
            change = DisputeChange(dispute, DisputeAction.MEDIATOR, changed=False,
                                   card=build_card(session, dispute, policy=policy))
            return MediatorNamed(change, mediator.name, channel, person)
        raise Refused(_("Dispute #{id} already has a mediator; they have been asked.").format(id=dispute_id))
    if mediator.id == dispute.supplier_id:
        raise Refused(_("*{name}* is the party the dispute is with; name another party to mediate.").format(
            name=mediator.name))
    if person is None and channel is None:
        raise Refused(_("*{name}* has no linked shared channel to ask in. Name the person to ask: `/dispute {id} "
                        "mediator {name} @someone`.").format(name=mediator.name, id=dispute_id))
    keys: list[str] = []
    if dispute.level < MEDIATION_LEVEL:
        keys += escalate_dispute(session, dispute_id=dispute_id, from_level=dispute.level, actor_id=actor_id,
                                 now=now, policy=policy).keys
    store.add_mediator(session, DisputeMediator(dispute_id=dispute_id, account_id=mediator.id, user_id=person,
                                                named_by=actor_id, named_at=now))
    store.add_event(session, DisputeEvent(dispute_id=dispute_id, at=now, actor_id=actor_id,
                                          action=DisputeAction.MEDIATOR, level=dispute.level, note=mediator.name))
    record_change(session, actor_id=actor_id, action="dispute.mediator", object_type="dispute", object_id=dispute_id,
                  at=now, after={"mediator": mediator.name, "kind": mediator.kind, "person": person,
                                 "channel": channel, "level": dispute.level})
    keys.append(queue_card_update(session, dispute, now=now, policy=policy))
    ask = DisputeMediationAskCard(subject=dispute.subject, contact=dispute.owner_id, person=person)
    keys.append(ask_key(dispute_id))
    if person:
        outbox.dm(session, key=keys[-1], user=person, card=ask, now=now, actor=actor_id)
    else:
        assert channel is not None  # checked above
        outbox.post(session, key=keys[-1], channel=channel, card=ask, now=now, actor=actor_id)
    change = DisputeChange(dispute, DisputeAction.MEDIATOR, changed=True,
                           card=build_card(session, dispute, policy=policy), keys=keys)
    return MediatorNamed(change, mediator.name, channel, person)

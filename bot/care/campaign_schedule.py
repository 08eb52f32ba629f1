"""The scheduler's part of open surveys: open each campaign at its moment, remind once, close.

`run_due_campaigns` reads only campaigns whose indexed `next_check_at` has come, locked with SKIP
LOCKED; each step is a conditional update on the campaign's status, so a repeated tick does it once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.care.campaigns import close_campaign, open_campaign, remind_campaign
from bot.platform import people
from storage.care import campaigns as store
from storage.care.campaigns import CampaignStatus

if TYPE_CHECKING:
    from bot.platform.services import Services

DUE_BATCH = 20  # campaigns handled per tick (each may address many people); the rest wait for the next one


def run_due_campaigns(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: open campaigns that are due, remind their non-respondents once, close them."""
    calendar = services.team_calendar()

    def members(channel: str) -> list[str]:
        return people.customers(services.slack, services.slack.channel_members(channel))

    handled = 0
    for campaign in store.claim_due_campaigns(session, now=now, limit=DUE_BATCH):
        assert campaign.id is not None  # a stored campaign
        if campaign.status == CampaignStatus.SCHEDULED:
            open_campaign(session, campaign, now=now, members=members, calendar=calendar)
        elif campaign.status == CampaignStatus.OPEN and now < campaign.closes_at and campaign.reminded_at is None:
            remind_campaign(session, campaign, now=now, calendar=calendar)
        elif campaign.status == CampaignStatus.OPEN:
            close_campaign(session, campaign, now=now, calendar=calendar)
        else:
            store.change_campaign(session, campaign_id=campaign.id, statuses=(CampaignStatus(campaign.status),),
                                  values={"next_check_at": None})
        handled += 1
    return handled


def next_due_campaigns(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_campaigns next has work (a campaign to open, remind or close)."""
    return store.next_campaign_check_at(session)

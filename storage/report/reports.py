"""A drafted service report per report deadline (its owner's text, chosen sections, where it was sent), and each
account's named section choices for its readers (差异化服务报告)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, String, Text, UniqueConstraint, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import insert_new_id, rows_changed, storable_id
from storage.types import JSONData, UTCDateTime


class ReportState(StrEnum):
    """Where a drafted report is."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class ServiceReport(SQLModel, table=True):
    """The report on one period of an account, drafted when the period closes and submitted by its owner."""

    __tablename__ = "service_report"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    deadline_id: int = Field(foreign_key="report_deadline.id", unique=True)
    cycle: str = Field(max_length=16)
    period_start: date
    status: ReportState = Field(default=ReportState.DRAFT, sa_type=String(16))
    key_issues: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # Section keys the customer version holds (None: every shareable section).
    shared_sections: list[str] | None = Field(default=None, sa_column=Column(JSONData, nullable=True))
    posted_to_channel: str | None = Field(default=None, max_length=32)
    # What was uploaded: [{"version": "internal"|"customer", "name", "id", "permalink"}].
    files: list[dict[str, str]] = Field(default_factory=list, sa_column=Column(JSONData, nullable=False))
    submitted_by: str | None = Field(default=None, max_length=32)
    submitted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ReportPreset(SQLModel, table=True):
    """A named choice of sections for one reader of an account's reports ("CIO": service, satisfaction)."""

    __tablename__ = "report_preset"
    __table_args__ = (UniqueConstraint("account_id", "name", name="uq_report_preset_name"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    name: str = Field(max_length=40)
    sections: list[str] = Field(default_factory=list, sa_column=Column(JSONData, nullable=False))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


def add_report(session: Session, values: dict[str, Any]) -> ServiceReport | None:
    """Draft the report of a deadline unless it has one (two ticks at once); None then."""
    new_id = insert_new_id(session, ServiceReport, values, keys=("deadline_id",))
    return None if new_id is None else get_report(session, report_id=new_id)


def get_report(session: Session, *, report_id: int) -> ServiceReport | None:
    """One report by id, read fresh."""
    if not storable_id(report_id):
        return None
    query = select(ServiceReport).where(col(ServiceReport.id) == report_id)
    return session.exec(query.execution_options(populate_existing=True)).first()


def change_report(session: Session, *, report_id: int, statuses: tuple[ReportState, ...],
                  values: dict[str, Any]) -> bool:
    """Apply `values` only while the report is in one of `statuses`; True if this call changed it."""
    statement = update(ServiceReport).where(col(ServiceReport.id) == report_id,
                                            col(ServiceReport.status).in_(statuses)).values(**values)
    return rows_changed(session, statement.execution_options(synchronize_session=False)) == 1


def latest_submitted(session: Session, *, account_id: int, before: date | None = None) -> ServiceReport | None:
    """The account's latest submitted report (on a period starting before `before`, when given)."""
    query = select(ServiceReport).where(ServiceReport.account_id == account_id,
                                        ServiceReport.status == ReportState.SUBMITTED)
    if before is not None:
        query = query.where(col(ServiceReport.period_start) < before)
    return session.exec(query.order_by(col(ServiceReport.period_start).desc(), col(ServiceReport.id).desc())).first()


def list_presets(session: Session, *, account_id: int) -> list[ReportPreset]:
    """An account's named section choices, by name."""
    query = select(ReportPreset).where(ReportPreset.account_id == account_id).order_by(col(ReportPreset.name))
    return list(session.exec(query))


def save_preset(session: Session, *, account_id: int, name: str, sections: list[str], actor_id: str,
                now: datetime) -> ReportPreset:
    """Save (or replace) a named section choice."""
    found = session.exec(select(ReportPreset).where(ReportPreset.account_id == account_id,
                                                    ReportPreset.name == name)).first()
    preset = found or ReportPreset(account_id=account_id, name=name, created_by=actor_id, created_at=now)
    preset.sections = list(sections)
    session.add(preset)
    session.flush()
    return preset

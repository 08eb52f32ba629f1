"""`/rapport report <account> [period]` end to end: the report's files land in the asker's DM, named after the
account and period, in the asker's language (a Chinese PDF reads back in Chinese); bad periods and outsiders are
turned away with nothing sent."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from bot.sandbox.world import World
from tests.conftest import WORLD_START
from tests.databases import fresh_sqlite_url
from tests.expect import run
from tests.report.builders import INTERNAL_TEXT, SERVICE_ZH, report_sections
from tests.rhythm.steps import ALICE, ERIN, SHARED, add_acme

__all__ = ["report_sections"]
DAVE = "U0DAVE"


@pytest.fixture
def zh_world(sqlite_template, tmp_path) -> Iterator[World]:
    """The demo workspace with Dave reading Slack in Chinese."""
    with World(fresh_sqlite_url(sqlite_template, tmp_path), start=WORLD_START) as running:
        running.stand_in.workspace.users[DAVE].locale = "zh-CN"
        yield running


def pdf_text(content: bytes) -> str:
    """The text of every page of a PDF."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_report_is_sent_to_the_askers_dm_with_its_files(world, report_sections):
    add_acme(world)
    reply = run(world, ALICE, "#general", "/rapport", "report Acme Corp 2026-10")
    assert "service report on *Acme Corp* for October 2026" in reply and "1 chart" in reply
    files = world.stand_in.files(ALICE)
    assert sorted(f["name"] for f in files) == ["service-report-Acme-Corp-2026-10.md",
                                                "service-report-Acme-Corp-2026-10.pdf", "sla-2026-10.png"]
    by_name = {f["name"]: f["content"] for f in files}
    markdown = by_name["service-report-Acme-Corp-2026-10.md"].decode()
    assert markdown.startswith("# Service report — Acme Corp — October 2026")
    assert "## Service delivered" in markdown and INTERNAL_TEXT in markdown  # the internal version: everything
    assert by_name["sla-2026-10.png"].startswith(b"\x89PNG")
    text = pdf_text(by_name["service-report-Acme-Corp-2026-10.pdf"])
    assert "Service report — Acme Corp — October 2026" in text and INTERNAL_TEXT in text
    assert world.stand_in.files(SHARED) == []

    # Without a period: the last closed month (the clock is in November 2026); words for periods work too.
    assert "for October 2026" in run(world, ALICE, "#general", "/rapport", "report acme corp")
    assert "for Q3 2026" in run(world, ALICE, "#general", "/rapport", "report Acme Corp last quarter")
    assert "for November 2026" in run(world, ALICE, "#general", "/rapport", "report Acme Corp: this month")


def test_a_chinese_reader_gets_a_chinese_pdf(zh_world, report_sections):
    world = zh_world
    add_acme(world)
    reply = run(world, DAVE, "#general", "/rapport", "报告 Acme Corp 上个月")
    assert "Acme Corp" in reply and "2026年10月" in reply
    pdf = next(f for f in world.stand_in.files(DAVE) if f["name"].endswith(".pdf"))
    text = pdf_text(pdf["content"])
    assert "服务报告 — Acme Corp — 2026年10月" in text
    assert SERVICE_ZH in text


def test_an_unreadable_period_or_account_gets_examples_and_sends_nothing(world, report_sections):
    add_acme(world)
    reply = run(world, ALICE, "#general", "/rapport", "report Acme Corp 2026-13")
    assert "can't read “2026-13” as a period" in reply and "`2026-Q4`" in reply and "`上个月`" in reply
    assert "can't read “last year”" in run(world, ALICE, "#general", "/rapport", "report Acme Corp last year")
    assert "No account called “Umbrella”" in run(world, ALICE, "#general", "/rapport", "report Umbrella")
    assert "Name an account" in run(world, ALICE, "#general", "/rapport", "report")
    assert world.stand_in.files() == []


def test_an_external_user_is_refused(world, report_sections):
    add_acme(world)
    assert "only available to the team" in run(world, ERIN, SHARED, "/rapport", "report Acme Corp")
    assert world.stand_in.files() == []

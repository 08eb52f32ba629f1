"""The report's life end to end: drafted and DM'd once when its period closes (files and Edit and submit), then
submitted from the modal — its deadline met and reminders stopped, the customer version posted in the shared
channel only when chosen and holding none of the internal sections — and a reader's saved choice of sections."""

from __future__ import annotations

import io

from pypdf import PdfReader

from bot.sandbox.world import World
from storage.report.reports import ReportPreset, ServiceReport
from storage.rhythm.agreements import ReportDeadline
from tests.expect import full_text, run
from tests.report.builders import INTERNAL_TEXT, SERVICE_ZH, report_sections
from tests.rhythm.steps import ALICE, SHARED, acme, add_acme, at, audit_count, dms, local, rows, two_ticks_at_once
from tests.rhythm.test_agreements import set_agreement

__all__ = ["report_sections"]
DRAFTED = "is drafted from the record"
DAVE = "U0DAVE"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def drafted(world: World) -> None:
    """Acme with a monthly agreement (November's report due 7 Dec), ticked past November's close twice."""
    add_acme(world)
    set_agreement(world)
    at(world, local(11, 30, 18))
    assert dms(world, ALICE, DRAFTED) == []  # the period is still open
    two_ticks_at_once(world, local(12, 1, 10))
    world.tick(local(12, 1, 10))


def test_the_draft_is_dmed_once_with_its_files_when_the_period_closes(world, report_sections):
    drafted(world)
    drafts = dms(world, ALICE, DRAFTED)
    assert len(drafts) == 1 and "*Acme Corp* on November 2026" in drafts[0] and "Edit and submit" in drafts[0]
    names = sorted(f["name"] for f in world.stand_in.files(ALICE))
    assert names == ["service-report-Acme-Corp-2026-11.md", "service-report-Acme-Corp-2026-11.pdf",
                     "sla-2026-11.png"]
    assert [r.status for r in rows(world, ServiceReport)] == ["draft"]
    assert world.stand_in.files(SHARED) == []


def submit(world: World, **values: object) -> None:
    world.slack.click(ALICE, "Edit and submit", ALICE)
    modal = world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    assert modal["callback_id"] == "report_edit"
    world.slack.submit_view(ALICE, "report_edit", {f"report_field_{name}": value for name, value in values.items()})
    world.wait_until_idle()


def test_submit_marks_the_deadline_and_posts_only_the_chosen_shareable_sections(world, report_sections):
    drafted(world)
    world.clock.set(local(12, 2, 11))
    submit(world, key_issues="Backups failed twice: a second site by January.",
           sections=["service", "improvement"], post=["on"], save_as="CIO")
    assert [d.status for d in rows(world, ReportDeadline) if d.period_start.month == 11] == ["submitted"]
    [report] = rows(world, ServiceReport)
    assert report.status == "submitted" and report.posted_to_channel and report.submitted_by == ALICE
    assert [(p.name, p.sections) for p in rows(world, ReportPreset)] == [("CIO", ["service", "improvement"])]

    shared = world.stand_in.files(SHARED)
    assert [f["name"] for f in shared] == ["service-report-Acme-Corp-2026-11-customer.pdf"]
    customer = pdf_text(shared[0]["content"])
    assert "Service delivered" in customer and "a second site by January" in customer
    assert INTERNAL_TEXT not in customer and "Suppliers" not in customer
    internal = [f for f in world.stand_in.files(ALICE) if f["name"] == "service-report-Acme-Corp-2026-11.pdf"]
    assert len(internal) == 2  # the draft's, then the submitted one (with the owner's text)
    assert INTERNAL_TEXT in pdf_text(internal[-1]["content"]) and "a second site" in pdf_text(internal[-1]["content"])
    assert {f["version"] for f in report.files} == {"internal", "customer"}
    assert audit_count(world, "service_report.files") == 1
    assert len(dms(world, ALICE, "Submitted by <@U0ALICE>: the service report of *Acme Corp*")) == 1
    assert dms(world, ALICE, DRAFTED) == []  # the draft's DM, edited: no button any more

    # Reminders stop: nothing more about November's report on its due day.
    before = len(dms(world, ALICE, "November 2026"))
    at(world, local(12, 7, 10))
    assert len(dms(world, ALICE, "November 2026")) == before

    # The review meeting's agenda links the submitted report.
    at(world, local(12, 14, 9))
    [agenda] = dms(world, ALICE, "Agenda — review of November 2026")
    assert "*Service report on November 2026:* <https://" in agenda
    name = "service-report-Acme-Corp-2026-11.pdf"
    assert f"/{name}|{name}> — submitted by <@U0ALICE>" in agenda


def test_without_posting_nothing_reaches_the_shared_channel(world, report_sections):
    drafted(world)
    submit(world, sections=["service"], post=[])
    assert world.stand_in.files(SHARED) == []
    assert [r.posted_to_channel for r in rows(world, ServiceReport)] == [None]
    assert [d.status for d in rows(world, ReportDeadline) if d.period_start.month == 11] == ["submitted"]


def test_a_readers_saved_choice_picks_the_customer_sections_next_time(sqlite_world, report_sections):
    world = sqlite_world
    drafted(world)
    submit(world, sections=["service"], post=[], save_as="CIO")
    at(world, local(12, 7, 19))  # November's deadline passed: December's is planned
    at(world, local(1, 5, 10, year=2027))  # December closed: its report is drafted
    assert len(dms(world, ALICE, DRAFTED)) == 1
    world.slack.click(ALICE, "Edit and submit", ALICE)
    modal = world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    assert "Or use a reader's saved choice" in str(modal["blocks"])
    world.slack.submit_view(ALICE, "report_edit", {"report_field_key_issues": "Patch the VPN concentrators.",
                                                   "report_field_sections": ["service", "improvement"],
                                                   "report_field_preset": "CIO", "report_field_post": ["on"]})
    world.wait_until_idle()
    [posted] = world.stand_in.files(SHARED)
    assert posted["name"] == "service-report-Acme-Corp-2026-12-customer.pdf"
    customer = pdf_text(posted["content"])
    assert "Service delivered" in customer and "Patch the VPN" not in customer and INTERNAL_TEXT not in customer
    assert [r.shared_sections for r in rows(world, ServiceReport)] == [["service"], ["service"]]


def test_an_owner_reading_chinese_gets_a_chinese_draft(sqlite_world, report_sections):
    world = sqlite_world
    world.stand_in.workspace.users[DAVE].locale = "zh-CN"
    add_acme(world)
    set_agreement(world)
    run(world, DAVE, "#general", "/rapport", "help")  # Rapport learns Dave reads Slack in Chinese
    with world.services.db.session() as session:
        owned = acme(session)
        owned.owner_id = DAVE
        session.add(owned)
    at(world, local(12, 1, 10))
    [draft] = dms(world, DAVE, "编辑并提交")
    assert "*Acme Corp* 2026年11月的服务报告已根据记录起草" in draft
    pdf = next(f for f in world.stand_in.files(DAVE) if f["name"].endswith(".pdf"))
    text = pdf_text(pdf["content"])
    assert "服务报告 — Acme Corp — 2026年11月" in text and SERVICE_ZH in text


def test_a_refused_upload_still_submits_and_says_how_to_get_the_files(sqlite_world, report_sections):
    world = sqlite_world
    drafted(world)
    world.stand_in.fail_next("files.completeUploadExternal", error="not_allowed_token_type")
    seen = len(world.stand_in.ephemerals(user=ALICE))
    submit(world, sections=["service"], post=[])
    assert [r.status for r in rows(world, ServiceReport)] == ["submitted"]
    replies = world.stand_in.ephemerals(user=ALICE)[seen:] + world.stand_in.dm_messages(ALICE)
    assert any("its files could not be sent (not_allowed_token_type)" in full_text(m)
               and "`/rapport report Acme Corp 2026-11`" in full_text(m) for m in replies)

"""The dispute modals: open a dispute (party, subject, scope, linked complaint, others), resolve one, ask a mediator,
reopen one."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement, PlainTextObject, UserSelectElement
from slack_sdk.models.views import View

from bot.platform.i18n import _
from bot.suppliers.disputes import MAX_RESOLUTION, MAX_SUBJECT
from handlers.blocks.common import context, quoted, section
from handlers.blocks.suppliers.dispute import level_name
from handlers.ids import Action, Block
from handlers.ids import View as ViewId


def _text_input(block_id: str, label: str, *, optional: bool = False, multiline: bool = False, max_length: int = 80,
                placeholder: str | None = None, initial: str | None = None, hint: str | None = None) -> InputBlock:
    element = PlainTextInputElement(action_id=Action.DISPUTE_INPUT, multiline=multiline, max_length=max_length,
                                    initial_value=initial or None,
                                    placeholder=PlainTextObject(text=placeholder) if placeholder else None)
    return InputBlock(block_id=block_id, label=PlainTextObject(text=label), element=element, optional=optional,
                      hint=PlainTextObject(text=hint) if hint else None)


def build_new_dispute_modal(*, private_metadata: str, days: list[int], supplier: str | None = None) -> dict[str, Any]:
    """Open a dispute: the party, what it is about, its scope, a linked complaint and the other parties."""
    blocks: list[InputBlock | dict[str, Any]] = [
        _text_input(Block.DISPUTE_SUPPLIER, _("With (supplier, customer or third party)"), placeholder="Netcom",
                    initial=supplier),
        _text_input(Block.DISPUTE_SUBJECT, _("What is the dispute about?"), multiline=True, max_length=MAX_SUBJECT),
        _text_input(Block.DISPUTE_SCOPE, _("Scope"), optional=True, multiline=True, max_length=MAX_SUBJECT,
                    hint=_("Services, systems, contracts or amounts concerned.")),
        _text_input(Block.DISPUTE_COMPLAINT, _("Linked complaint"), optional=True, max_length=12, placeholder="#12",
                    hint=_("Its owner is told when the dispute is resolved.")),
        _text_input(Block.DISPUTE_OTHERS, _("Other parties involved"), optional=True, max_length=500,
                    placeholder="DBCo, HostCo", hint=_("Account names, separated by commas.")),
        context(_("Level 1 — {name} — runs {first} working days; an overdue level escalates itself to the next "
                  "one, which runs {second}, then {third} working days, then the legal route — unless the party's "
                  "contract or agreement has a dispute clause, which the dispute then follows.").format(
            name=level_name(1), first=days[0], second=days[1], third=days[2])),
    ]
    return View(type="modal", callback_id=ViewId.DISPUTE_NEW, private_metadata=private_metadata,
                title=PlainTextObject(text=_("Open a dispute")), submit=PlainTextObject(text=_("Open it")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()


def build_resolve_dispute_modal(*, dispute_id: int, subject: str, private_metadata: str) -> dict[str, Any]:
    """Ask how a dispute was resolved."""
    return _one_text_modal(ViewId.DISPUTE_RESOLVE, _("Resolve dispute #{id}").format(id=dispute_id), _("Resolve"),
                           subject, Block.DISPUTE_RESOLUTION, _("How was it resolved?"),
                           _("The history keeps it; the owner of a linked complaint is told."), private_metadata)


def _one_text_modal(callback_id: str, title: str, submit: str, subject: str, block: str, label: str, note: str,
                    private_metadata: str) -> dict[str, Any]:
    """A modal on one dispute asking for one text (how it was resolved, why it is reopened)."""
    return View(
        type="modal", callback_id=callback_id, private_metadata=private_metadata,
        title=PlainTextObject(text=title), submit=PlainTextObject(text=submit),
        close=PlainTextObject(text=_("Cancel")),
        blocks=[section(quoted(subject, 1000)), _text_input(block, label, multiline=True, max_length=MAX_RESOLUTION),
                context(note)],
    ).to_dict()


def build_mediator_modal(*, dispute_id: int, subject: str, level: int, private_metadata: str) -> dict[str, Any]:
    """Ask a mediator (the ladder's second step): the mediating account and, optionally, the person to ask."""
    then = _("Dispute #{id} moves to level 2 — {name}.").format(id=dispute_id, name=level_name(2)) if level < 2 else ""
    person = InputBlock(block_id=Block.DISPUTE_MEDIATOR_PERSON, label=PlainTextObject(text=_("Person to ask")),
                        element=UserSelectElement(action_id=Action.DISPUTE_INPUT), optional=True,
                        hint=PlainTextObject(text=_("Asked by DM; otherwise Rapport asks in the account's shared "
                                                    "channel.")))
    return View(
        type="modal", callback_id=ViewId.DISPUTE_MEDIATOR, private_metadata=private_metadata,
        title=PlainTextObject(text=_("Ask a mediator")), submit=PlainTextObject(text=_("Ask")),
        close=PlainTextObject(text=_("Cancel")),
        blocks=[
            section(quoted(subject, 1000)),
            _text_input(Block.DISPUTE_MEDIATOR_ACCOUNT, _("Mediating account (customer, supplier or third party)"),
                        placeholder="AuditCo"),
            person,
            context(" ".join(filter(None, [then, _("They are told only the subject and that their help is asked; "
                                                   "nothing else of the dispute.")]))),
        ],
    ).to_dict()


def build_reopen_modal(*, dispute_id: int, subject: str, private_metadata: str) -> dict[str, Any]:
    """Ask why a resolved dispute is reopened."""
    return _one_text_modal(ViewId.DISPUTE_REOPEN, _("Reopen dispute #{id}").format(id=dispute_id), _("Reopen"),
                           subject, Block.DISPUTE_REOPEN_REASON, _("Why is it reopened?"),
                           _("It reopens at the level it was resolved at, with that level's time starting again."),
                           private_metadata)

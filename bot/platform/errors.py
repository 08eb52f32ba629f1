"""Typed errors whose text is safe to show the person who acted."""

from __future__ import annotations


class RapportError(Exception):
    """A problem the user can fix; `message` is shown to them as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(RapportError):
    """Something named by the user does not exist."""


class InvalidInput(RapportError):
    """The user's text cannot be read; the message says what to type instead."""


class Refused(RapportError):
    """The action is not allowed for this user or right now."""


class NotConfigured(RapportError):
    """A setting the action needs is missing; the message names it."""


class SlackUnavailable(RapportError):
    """Slack could not answer a question Rapport must not guess (e.g. is this channel shared?)."""


class FormErrors(InvalidInput):
    """Fields of a submitted form that need fixing: `fields` maps each field to what to do."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(" ".join(dict.fromkeys(fields.values())))
        self.fields = fields


class FieldError(InvalidInput):
    """One input of a submitted modal is wrong: `block` is the block id the message shows under."""

    def __init__(self, block: str, message: str) -> None:
        super().__init__(message)
        self.block = block


class MalformedForm(InvalidInput):
    """A submitted modal came back without what its own form sends (missing blocks, bad metadata)."""

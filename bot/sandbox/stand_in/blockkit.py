"""Block Kit as Slack checks it: the limits that make Slack answer `invalid_blocks`.

Each problem is reported the way Slack words it in `response_metadata.messages`:
"must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from typing import Any

MESSAGE_BLOCK_LIMIT = 50
SURFACE_BLOCK_LIMIT = 100
MESSAGE_TEXT_LIMIT = 40000

BLOCK_TYPES = {
    "actions", "context", "divider", "file", "header", "image", "input", "markdown",
    "rich_text", "section", "table", "video", "context_actions",
}
SELECT_TYPES = {
    "static_select", "external_select", "users_select", "conversations_select",
    "channels_select", "multi_static_select", "multi_external_select", "multi_users_select",
    "multi_conversations_select", "multi_channels_select",
}
INPUT_TYPES = {
    "plain_text_input", "number_input", "email_text_input", "url_text_input",
    "rich_text_input", "file_input", "datepicker", "timepicker", "datetimepicker",
    "checkboxes", "radio_buttons",
}
ELEMENT_TYPES = {"button", "overflow", "image", "workflow_button"} | SELECT_TYPES | INPUT_TYPES


class _Checker:
    """Walks one payload and collects Slack-worded problems with their JSON pointers."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.block_ids: set[str] = set()

    def fail(self, pointer: str, problem: str) -> None:
        self.problems.append(f"{problem} [json-pointer:{pointer}]")

    def length(self, value: Any, pointer: str, limit: int, *, required: bool = True) -> None:
        if value is None:
            if required:
                self.fail(pointer.rsplit("/", 1)[0], f"missing required field: {pointer.rsplit('/', 1)[1]}")
            return
        if not isinstance(value, str):
            self.fail(pointer, "must provide a string")
        elif required and not value:
            self.fail(pointer, "must be more than 0 characters")
        elif len(value) > limit:
            self.fail(pointer, f"must be less than {limit + 1} characters")

    def text(self, obj: Any, pointer: str, limit: int, *, plain: bool = False,
             required: bool = True) -> None:
        if obj is None:
            if required:
                parent, name = pointer.rsplit("/", 1)
                self.fail(parent, f"missing required field: {name}")
            return
        if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
            self.fail(pointer, "must be a text object of type plain_text or mrkdwn")
            return
        if plain and obj["type"] != "plain_text":
            self.fail(f"{pointer}/type", "must be plain_text")
        self.length(obj.get("text"), f"{pointer}/text", limit)

    def items(self, value: Any, pointer: str, limit: int, *, minimum: int = 1) -> list[Any]:
        if not isinstance(value, list):
            self.fail(pointer, "must be an array")
            return []
        if len(value) < minimum:
            self.fail(pointer, f"must have at least {minimum} item{'s' if minimum > 1 else ''}")
        if len(value) > limit:
            self.fail(pointer, f"no more than {limit} items allowed")
        return value

    def blocks(self, blocks: Any, pointer: str, limit: int) -> None:
        for index, block in enumerate(self.items(blocks, pointer, limit, minimum=0)):
            self.block(block, f"{pointer}/{index}")

    def block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, dict):
            self.fail(pointer, "must be an object")
            return
        kind = block.get("type")
        if kind is None:
            self.fail(pointer, "missing required field: type")
            return
        if kind not in BLOCK_TYPES:
            self.fail(f"{pointer}/type", f"unsupported block type: {kind}")
            return
        block_id = block.get("block_id")
        if block_id is not None:
            self.length(block_id, f"{pointer}/block_id", 255)
            if block_id in self.block_ids:
                self.fail(f"{pointer}/block_id", f"duplicate block_id: {block_id}")
            self.block_ids.add(block_id)
        getattr(self, f"_{kind}", lambda b, p: None)(block, pointer)
        action_ids: set[str] = set()
        for element, element_pointer in _elements_of(block, pointer):
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if action_id is None:
                continue
            # Slack wants action_id unique within its block, not across the whole message.
            if action_id in action_ids:
                self.fail(f"{element_pointer}/action_id", f"duplicate action_id: {action_id}")
            action_ids.add(action_id)

    def _section(self, block: dict[str, Any], pointer: str) -> None:
        if block.get("text") is None and block.get("fields") is None:
            self.fail(pointer, "must provide text or fields")
        self.text(block.get("text"), f"{pointer}/text", 3000, required=False)
        if "fields" in block:
            for index, item in enumerate(self.items(block["fields"], f"{pointer}/fields", 10)):
                self.text(item, f"{pointer}/fields/{index}", 2000)
        if "accessory" in block:
            self.element(block["accessory"], f"{pointer}/accessory")

    def _header(self, block: dict[str, Any], pointer: str) -> None:
        self.text(block.get("text"), f"{pointer}/text", 150, plain=True)

    def _context(self, block: dict[str, Any], pointer: str) -> None:
        for index, item in enumerate(self.items(block.get("elements"), f"{pointer}/elements", 10)):
            if isinstance(item, dict) and item.get("type") == "image":
                self.element(item, f"{pointer}/elements/{index}")
            else:
                self.text(item, f"{pointer}/elements/{index}", 3000)

    def _actions(self, block: dict[str, Any], pointer: str) -> None:
        for index, item in enumerate(self.items(block.get("elements"), f"{pointer}/elements", 25)):
            self.element(item, f"{pointer}/elements/{index}")

    def _image(self, block: dict[str, Any], pointer: str) -> None:
        if block.get("slack_file") is None:
            self.length(block.get("image_url"), f"{pointer}/image_url", 3000)
        self.length(block.get("alt_text"), f"{pointer}/alt_text", 2000)
        self.text(block.get("title"), f"{pointer}/title", 2000, plain=True, required=False)

    def _input(self, block: dict[str, Any], pointer: str) -> None:
        self.text(block.get("label"), f"{pointer}/label", 2000, plain=True)
        self.text(block.get("hint"), f"{pointer}/hint", 2000, plain=True, required=False)
        if block.get("element") is None:
            self.fail(pointer, "missing required field: element")
        else:
            self.element(block["element"], f"{pointer}/element")

    def _markdown(self, block: dict[str, Any], pointer: str) -> None:
        self.length(block.get("text"), f"{pointer}/text", 12000)

    def element(self, element: Any, pointer: str) -> None:
        if not isinstance(element, dict):
            self.fail(pointer, "must be an object")
            return
        kind = element.get("type")
        if kind not in ELEMENT_TYPES:
            self.fail(f"{pointer}/type", f"unsupported element type: {kind}")
            return
        self.length(element.get("action_id"), f"{pointer}/action_id", 255, required=False)
        if kind == "button":
            self.text(element.get("text"), f"{pointer}/text", 75, plain=True)
            self.length(element.get("value"), f"{pointer}/value", 2000, required=False)
            self.length(element.get("url"), f"{pointer}/url", 3000, required=False)
            if element.get("style") not in (None, "primary", "danger"):
                self.fail(f"{pointer}/style", "must be one of primary, danger")
        elif kind == "image":
            self.length(element.get("alt_text"), f"{pointer}/alt_text", 2000)
        else:
            self.text(element.get("placeholder"), f"{pointer}/placeholder", 150, plain=True,
                      required=False)
        options_limit = {"overflow": 5, "checkboxes": 10, "radio_buttons": 10}.get(kind, 100)
        if "options" in element:
            options = self.items(element["options"], f"{pointer}/options", options_limit)
            for index, option in enumerate(options):
                self.option(option, f"{pointer}/options/{index}")
        if "confirm" in element:
            self._confirm(element["confirm"], f"{pointer}/confirm")

    def option(self, option: Any, pointer: str) -> None:
        if not isinstance(option, dict):
            self.fail(pointer, "must be an object")
            return
        self.text(option.get("text"), f"{pointer}/text", 75)
        self.length(option.get("value"), f"{pointer}/value", 150)

    def _confirm(self, confirm: Any, pointer: str) -> None:
        if not isinstance(confirm, dict):
            self.fail(pointer, "must be an object")
            return
        self.text(confirm.get("title"), f"{pointer}/title", 100, plain=True)
        self.text(confirm.get("text"), f"{pointer}/text", 300)
        self.text(confirm.get("confirm"), f"{pointer}/confirm", 30, plain=True)
        self.text(confirm.get("deny"), f"{pointer}/deny", 30, plain=True)


def _elements_of(block: dict[str, Any], pointer: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield the interactive elements of one block with their JSON pointers."""
    if isinstance(block.get("elements"), list) and block.get("type") in ("actions", "context"):
        for index, element in enumerate(block["elements"]):
            if isinstance(element, dict):
                yield element, f"{pointer}/elements/{index}"
    if isinstance(block.get("accessory"), dict):
        yield block["accessory"], f"{pointer}/accessory"
    if isinstance(block.get("element"), dict):
        yield block["element"], f"{pointer}/element"


def validate_message_blocks(blocks: Any) -> list[str]:
    """Return Slack's complaints about a message's blocks; empty when Slack would accept them."""
    checker = _Checker()
    checker.blocks(blocks, "/blocks", MESSAGE_BLOCK_LIMIT)
    return checker.problems


def validate_view(view: Any) -> list[str]:
    """Return Slack's complaints about a modal or Home tab view; empty when acceptable."""
    checker = _Checker()
    if not isinstance(view, dict):
        return ["must be an object [json-pointer:/view]"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        checker.fail("/view/type", "must be one of modal, home")
        return checker.problems
    checker.blocks(view.get("blocks"), "/view/blocks", SURFACE_BLOCK_LIMIT)
    checker.length(view.get("callback_id"), "/view/callback_id", 255, required=False)
    checker.length(view.get("private_metadata"), "/view/private_metadata", 3000, required=False)
    checker.length(view.get("external_id"), "/view/external_id", 255, required=False)
    if kind == "modal":
        checker.text(view.get("title"), "/view/title", 24, plain=True)
        checker.text(view.get("submit"), "/view/submit", 24, plain=True, required=False)
        checker.text(view.get("close"), "/view/close", 24, plain=True, required=False)
        has_input = any(isinstance(b, dict) and b.get("type") == "input"
                        for b in view.get("blocks") or [])
        if has_input and view.get("submit") is None:
            checker.fail("/view", "missing required field: submit (the view has input blocks)")
    return checker.problems


def _random_id(length: int = 5) -> str:
    """Make an id like the ones Slack gives blocks and actions that came without one."""
    return "".join(random.choices(string.ascii_letters + string.digits + "+/=", k=length))


def fill_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every block and interactive element an id, as Slack does when it stores them."""
    for block in blocks:
        block.setdefault("block_id", _random_id())
        for element, _ in _elements_of(block, ""):
            if element.get("type") in ELEMENT_TYPES - {"image"}:
                element.setdefault("action_id", _random_id())
    return blocks


def iter_interactive(blocks: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Yield (block, element) for each interactive element, buttons and selects alike."""
    for block in blocks or []:
        for element, _ in _elements_of(block, ""):
            if element.get("type") in ELEMENT_TYPES - {"image"}:
                yield block, element


def iter_input_elements(blocks: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Yield (block, element) for each input block's element, the ones a view submission reports."""
    for block in blocks or []:
        if block.get("type") == "input" and isinstance(block.get("element"), dict):
            yield block, block["element"]



# Rendering: what a person would read in the Slack client, as plain lines for the sandbox and
# for assertion messages.

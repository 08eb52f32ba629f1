"""Pagination arithmetic shared by every listing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """Which page is shown (clamped to those that exist) and the rows it covers."""

    page: int
    pages: int
    offset: int
    limit: int


def page_window(*, total: int, page: int, size: int) -> Window:
    """The window for `page` of `total` rows, `size` a page; an empty listing still has page 1."""
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    return Window(page=page, pages=pages, offset=(page - 1) * size, limit=size)

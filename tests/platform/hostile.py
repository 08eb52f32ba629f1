"""Adversarial text for the hostile-input suites: every mention form, markup, control and invisible characters."""

from __future__ import annotations

from hypothesis import strategies as st

PIECES = (
    "<!channel>", "<!here>", "<!everyone>", "<!here|here>", "<!subteam^S0NETOPS|@netops>", "<!subteam^S1>",
    "<!date^1392734382^{date}|Feb 18>", "@channel", "@here", "@everyone", "<@U0BOB|bob>", "<@U0BOB>",
    "<#C0KUDOS|kudos>",
    "<https://evil.example|click>", "<mailto:a@b.c|mail>", "<https://x>", "<", ">", "&lt;", "&gt;", "&amp;", "|",
    "*bold*", "_it_", "~s~", "`code`", "```", "> quote", ":", "：", "!critical", "!urgent", "#", "#12", "-1", "0",
    "²", "٣", "١٢", "１２", "①", "2147483648", "99999999999999999999", "\u202e", "\u200b", "\ufeff", "\u2060",
    "\x00", "\x07", "\x1b[31m", "\r\n", "\t", "🙂", "👩‍💻", "é", "Ω", "中文", "每月第99个工作日", "每周二",
    "tomorrow 10am",
    "every month on working day 99 at 10:00", "9999-12-31 10:00", "2026-02-30", "Acme Corp", "Acme Corp:", "list",
    "cancel", "done", "add", "set", "link", "help", "top", "cold", "share", "request", "coordinate", "agreement",
    "digest", "config", "customer", "supplier", "third-party", "cadence", "owner", " ", "\n",
)

pieces = st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=12).map("".join)
long_text = st.builds(lambda piece, n: piece * n, st.sampled_from(["é", "x", "<!here>", "٣", "\u200b", "a "]),
                      st.integers(min_value=100, max_value=5000))
hostile_text = st.one_of(pieces, st.text(max_size=60), long_text)
PINGS = ("<!channel", "<!here", "<!everyone", "<!subteam", "<https://evil", "<mailto:")


def readable(message: str) -> bool:
    """A refusal a person can read: some words, not a dump, no traceback."""
    return bool(message.strip()) and len(message) < 4000 and "Traceback" not in message

"""Times of day in plain language, at the end or the start of a date: "3pm", "15:00", "noon", "下午3点".

Pure domain code, read by bot.calendar.when on text it has already normalised (lower case, ASCII
digits). An hour 1-6 without am/pm or 上午/下午 ("3点", "at 3") is afternoon; "3:00" is a 24-hour clock.
"""

from __future__ import annotations

import re
from datetime import time

from bot.calendar import when_zh

# Times that a word stands for: "monday morning", "周五下午", "tonight".
_PARTS_OF_DAY = {"morning": time(9), "noon": time(12), "midday": time(12), "afternoon": time(14),
                 "evening": time(18), "night": time(20), "midnight": time(0),
                 **when_zh.PARTS_OF_DAY}  # fmt: skip

# The look-behinds stop "sat 3pm" reading "at", "123pm" reading "23pm" and "14:00+08:00" reading "08:00".
_NO_NUMBER_BEFORE = r"(?<![0-9a-z:+\-./])"
_CLOCK = rf"""
    (?:(?<![a-z])at\s*)?
    (?:
        (?<![a-z])(?P<en>midday|midnight|noon|morning|afternoon|evening|night)
      | (?P<zh>{when_zh.PART})?\s*
        (?:
            {_NO_NUMBER_BEFORE}(?P<h>[0-9]{{1,2}})(?:[:.](?P<m>[0-9]{{2}}))?\s*(?P<ampm>am|pm)
          | {_NO_NUMBER_BEFORE}(?P<hh>[0-9]{{1,2}})[:.](?P<mm>[0-9]{{2}})
          | {_NO_NUMBER_BEFORE}{when_zh.HOUR}
        )
      | (?<![a-z])at\s*(?P<bare>[0-9]{{1,2}})
      | (?P<zh_alone>{when_zh.PART_ALONE})
    )"""
_CLOCK_AT_END = re.compile(_CLOCK + r"$", re.X)
_CLOCK_AT_START = re.compile(r"^" + _CLOCK + r"\s+(?:on\s+)?", re.X)


def split_off(cleaned: str) -> tuple[str, time | None]:
    """Split normalised "tomorrow 3pm" into ("tomorrow", 15:00); ValueError for an impossible time such as 25:00."""
    match = _CLOCK_AT_END.search(cleaned)
    if match is None:
        match = _CLOCK_AT_START.match(cleaned)
        if match is None:
            return cleaned, None
        return cleaned[match.end() :].strip(), _clock_of(match)
    return cleaned[: match.start()].strip(), _clock_of(match)


def _clock_of(match: re.Match[str]) -> time:
    """The time of day a _CLOCK match stands for."""
    if word := match["en"] or match["zh_alone"]:
        return _PARTS_OF_DAY[word]
    if match["h"]:
        hour, minute = int(match["h"]), int(match["m"] or 0)
        if not 1 <= hour <= 12:
            raise ValueError(f"{hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    elif match["hh"]:
        hour, minute = when_zh.apply_part(match["zh"], int(match["hh"])), int(match["mm"])
    elif match["bare"]:
        hour, minute = int(match["bare"]), 0
        hour += 12 if 1 <= hour <= 6 else 0
    else:
        hour, minute = when_zh.hour_minute(match, match["zh"])
    return time(hour, minute)

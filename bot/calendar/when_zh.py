"""The Chinese vocabulary of bot.calendar.when: numerals, parts of the day, weekdays and durations."""

from __future__ import annotations

import re
from datetime import time

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
# "十一", "二十", "二十三" (tens) or digit by digit ("二〇二六").
_NUMERAL = re.compile(r"[一二两三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九]+")
_ALIASES = {"今晚": "今天晚上", "明晚": "明天晚上", "今早": "今天早上", "明早": "明天早上",
            "今日": "今天", "明日": "明天"}  # fmt: skip

# Times that a word stands for when no hour is given: "周五下午" is Friday 14:00.
PARTS_OF_DAY = {
    "早上": time(9),
    "早晨": time(9),
    "上午": time(9),
    "中午": time(12),
    "下午": time(14),
    "傍晚": time(18),
    "晚上": time(20),
    "夜里": time(20),
}
# 凌晨 (small hours) only qualifies an hour: alone it names no particular time.
PART = "凌晨|" + "|".join(PARTS_OF_DAY)
PART_ALONE = "|".join(PARTS_OF_DAY)
_AFTERNOON = {"下午", "傍晚", "晚上", "夜里"}
# "3点", "10点半", "10点30分", "10点一刻", "14时".
HOUR = r"(?P<zh_h>[0-9]{1,2})[点时]钟?(?:(?P<zh_m>[0-9]{1,2})分?|(?P<zh_half>半)|(?P<zh_quarter>[13])刻)?"

DAY_OFFSETS = {"今天": 0, "明天": 1, "后天": 2, "大后天": 3}
WEEKDAY = r"(?:周|星期|礼拜)(?P<wd>[1-7日天])"
WEEKDAYS = {"1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6, "日": 6, "天": 6}
LATER = r"(?:后|以后|之后)"
# "3天后", "2个小时后", "半小时后", "1个半小时后", "两周后"; a number or 半 must come first.
DURATION = rf"(?=[0-9半])(?P<n>[0-9]+)?\s*个?(?P<half>半)?个?(?P<unit>分钟|小时|钟头|天|日|周|星期|礼拜){LATER}"
UNITS = {"分钟": "minute", "小时": "hour", "钟头": "hour", "天": "day", "日": "day",
         "周": "week", "星期": "week", "礼拜": "week"}  # fmt: skip


def is_chinese(text: str) -> bool:
    """Whether the text holds Chinese characters (the echo and hints then speak Chinese)."""
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def normalize(text: str) -> str:
    """Chinese numerals as digits ("三天后" -> "3天后") and short forms spelled out ("今晚")."""
    # A space keeps a numeral apart from digits after it: "周三15:00" is "周3 15:00", not "周315:00".
    text = _NUMERAL.sub(lambda match: str(_number(match.group())) + (" " if _digit_follows(match) else ""), text)
    for short, full in _ALIASES.items():
        text = text.replace(short, full)
    return text


def _digit_follows(match: re.Match[str]) -> bool:
    """Whether an ASCII digit comes right after the match."""
    return match.string[match.end() : match.end() + 1].isdigit()


def _number(numeral: str) -> int:
    """The value of a numeral matched by _NUMERAL."""
    if "十" not in numeral:
        return int("".join(str(_DIGITS[char]) for char in numeral))
    tens, _, units = numeral.partition("十")
    return _DIGITS.get(tens, 1) * 10 + _DIGITS.get(units, 0)


def hour_minute(match: re.Match[str], part: str | None) -> tuple[int, int]:
    """Hour and minute of an HOUR match after `part`; a bare 1-6 o'clock is afternoon (3点)."""
    hour = int(match["zh_h"])
    if match["zh_half"]:
        minute = 30
    elif match["zh_quarter"]:
        minute = 15 * int(match["zh_quarter"])
    else:
        minute = int(match["zh_m"] or 0)
    if part is None:
        return hour + 12 if 1 <= hour <= 6 else hour, minute
    return apply_part(part, hour), minute


def apply_part(part: str | None, hour: int) -> int:
    """Move a 12-hour reading into the part of the day named: 下午3点 is 15, 晚上12点 is 0."""
    if part in ("晚上", "夜里") and hour == 12:
        return 0
    if part in _AFTERNOON and hour < 12:
        return hour + 12
    if part == "中午" and hour < 3:
        return hour + 12
    if part == "凌晨" and hour == 12:
        return 0
    return hour

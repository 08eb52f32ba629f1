"""Chinese command words: one table per slash command, read before the command's own grammar.

Each command's grammar (bot/<domain>, handlers/commands) stays English; `to_english` turns the Chinese
form of a subcommand (`/complaint 列表 我的` → `list mine`) into the English one first, and help lists the
same table (`aliases`). Only whole words are replaced, and only where the grammar expects a command word:
the subcommand first, then the option words that subcommand knows, so free text such as a complaint's
summary ("列表页打不开") or a praise message is never rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A word followed by a colon is an account's name (`/meeting 列表: …` schedules for an account called 列表).
_NAME_COLON = re.compile(r"[:：]$")


@dataclass(frozen=True)
class CommandWords:
    """One command's Chinese words: subcommand → aliases, and per subcommand its option words → aliases."""

    verbs: dict[str, tuple[str, ...]]
    options: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def verb_of(self, word: str) -> str | None:
        """The English subcommand a Chinese word stands for, if any."""
        return next((english for english, chinese in self.verbs.items() if word in chinese), None)

    def option_of(self, verb: str, word: str) -> str | None:
        """The English option word of `verb` that a Chinese word stands for, if any."""
        return next((english for english, chinese in self.options.get(verb, {}).items() if word in chinese), None)


_HELP = ("帮助", "说明")
_LIST = ("列表", "清单")

# The tables. Keys are the English words each grammar reads; values are what Chinese users type.
COMMAND_WORDS: dict[str, CommandWords] = {
    "/praise": CommandWords(
        verbs={"help": _HELP, "top": ("排行", "排行榜", "排名")},
        options={"top": {"week": ("本周", "周"), "month": ("本月", "月"), "quarter": ("本季度", "本季", "季度")}},
    ),
    "/account": CommandWords(
        verbs={"help": _HELP, "add": ("添加", "新增", "新建"), "link": ("关联", "绑定"), "list": _LIST,
               "set": ("设置",), "agreement": ("协议", "服务协议"), "stakeholder": ("干系人",)},
        options={
            "add": {"customer": ("客户",), "supplier": ("供应商",), "third-party": ("第三方",)},
            "set": {"owner": ("负责人",), "tier": ("级别", "等级"), "cadence": ("联系周期",),
                    "channel": ("频道", "内部频道"), "customer-ack": ("客户确认",), "sla": ("服务级别",),
                    "country": ("国家",), "timezone": ("时区",), "hours": ("工作时间", "营业时间"),
                    "surveys": ("满意度调查", "调查"), "role": ("角色",),
                    "key": ("关键", "关键客户"), "standard": ("标准", "普通"), "dm": ("私信",),
                    "on": ("开", "开启"), "off": ("关", "关闭"), "default": ("默认",)},
        },
    ),
    "/contact": CommandWords(verbs={"help": _HELP, "cold": ("冷淡", "久未联系", "未联系")}),
    "/complaint": CommandWords(
        verbs={"help": _HELP, "list": _LIST},
        options={"list": {"mine": ("我的",), "open": ("未解决", "处理中"), "breached": ("超时", "已超时")}},
    ),
    "/supplier": CommandWords(
        verbs={"help": _HELP, "add": ("添加", "新增"), "evaluate": ("评估",), "audit": ("审核",),
               "contract": ("合同",), "list": _LIST, "schedule": ("审核周期", "周期"), "change": ("变更",),
               "subcontractor": ("分包", "分包商")},
    ),
    "/meeting": CommandWords(
        verbs={"help": _HELP, "list": _LIST, "cancel": ("取消",), "report": ("报告", "服务报告")},
        options={"report": {"submitted": ("已提交", "提交", "完成")}},
    ),
    "/dispute": CommandWords(
        verbs={"help": _HELP, "list": _LIST, "coordinate": ("协调",)},
        options={"list": {"open": ("未解决", "处理中"), "resolved": ("已解决",)},
                 "coordinate": {"list": _LIST}},
    ),
    "/thirdparty": CommandWords(
        verbs={"help": _HELP, "agree": ("协议", "共享协议"), "share": ("共享", "分享"), "request": ("请求",),
               "requests": ("请求列表",), "done": ("完成",), "evaluate": ("评估",), "review": ("审核", "评审")},
        options={"share": {"complaints": ("投诉",), "disputes": ("争议",), "requests": ("请求",)}},
    ),
    # Open surveys: the channel word of `record` (电话, 走访, 网站) is read by the survey grammar itself, since the
    # answers after it are free text an option table must not rewrite.
    "/survey": CommandWords(
        verbs={"help": _HELP, "new": ("新建", "新增"), "list": _LIST, "results": ("结果", "统计"),
               "record": ("记录", "录入")},
    ),
    "/service": CommandWords(
        verbs={"help": _HELP, "propose": ("提议", "提出", "申请"), "done": ("完成", "交付")},
    ),
    # The words after a need's number (statuses, 补充协议, 已签署) are read by bot/care/need_commands itself.
    "/need": CommandWords(verbs={"help": _HELP, "list": _LIST}),
    "/rapport": CommandWords(
        verbs={"help": _HELP, "digest": ("日报", "摘要"), "config": ("配置", "设置"), "report": ("报告", "服务报告"),
               "risks": ("风险",)},
        options={"digest": {"on": ("开", "开启"), "off": ("关", "关闭")},
                 "risks": {"add": ("添加", "新增"), "set": ("修改",), "review": ("复核", "评审"), "close": ("关闭",),
                           "page": ("页",)}},
    ),
}


def to_english(command: str, text: str) -> str:
    """`/praise`, `排行 本月` → `top month`: the text with its Chinese command words in English.

    Text whose first word is no command word is returned unchanged; the rest keeps its spacing and lines.
    """
    words = COMMAND_WORDS.get(command)
    stripped = text.strip()
    if words is None or not stripped:
        return text
    first, *rest = re.split(r"(\s+)", stripped, maxsplit=1)
    verb = words.verb_of(first) if not _NAME_COLON.search(first) else None
    if verb is None:
        return _glued(words, stripped) or text
    # Odd pieces are the spaces between words, kept as typed.
    pieces = re.split(r"(\s+)", rest[1]) if rest else []
    options = [piece if index % 2 else words.option_of(verb, piece) or piece for index, piece in enumerate(pieces)]
    # The grammars split the subcommand off at an ASCII space, so a full-width one after it becomes one.
    return verb + (rest[0].replace("\u3000", " ") if rest else "") + "".join(options)


def _glued(words: CommandWords, text: str) -> str | None:
    """A subcommand written without a space before a number or an option: `取消3`, `排行本月`."""
    stripped = text.strip()
    for english, chinese in words.verbs.items():
        for alias in sorted(chinese, key=len, reverse=True):
            tail = stripped[len(alias):]
            if not stripped.startswith(alias) or not tail:
                continue
            if re.fullmatch(r"#?[0-9]+", tail) or words.option_of(english, tail):
                return f"{english} {words.option_of(english, tail) or tail}"
    return None


def aliases(command: str) -> list[tuple[str, tuple[str, ...], bool]]:
    """The Chinese words of a command, for its help: (English word, Chinese aliases, is a subcommand), each once."""
    words = COMMAND_WORDS.get(command)
    if words is None:
        return []
    listed = [(english, chinese, True) for english, chinese in words.verbs.items()]
    seen = set(words.verbs)
    for options in words.options.values():
        for english, chinese in options.items():
            if english not in seen:
                seen.add(english)
                listed.append((english, chinese, False))
    return listed

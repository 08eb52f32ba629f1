"""Typed settings from the environment and `.env`, validated at start-up."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.platform.arguments import whole_number

DEFAULT_API_URL = "https://slack.com/api/"
_HOURS = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]|24):([0-5][0-9])$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
# Never repeated in an error, even when refused: a wrong value is often a real secret in the wrong place.
SECRETS = frozenset({"slack_bot_token", "slack_app_token", "slack_signing_secret", "database_url"})


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """Everything Rapport reads from the environment (SPEC §5)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str = DEFAULT_API_URL
    database_url: str = "sqlite:///rapport.db"
    rapport_kudos_channel: str | None = None
    rapport_escalation_channel: str | None = None
    rapport_managers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rapport_admins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rapport_timezone: str = "UTC"
    rapport_country: str | None = None
    rapport_business_hours: str = "09:00-18:00"
    # The workspace default: a catalog under bot/locale (zh, zh_Hans and zh-CN all mean zh_Hans).
    rapport_language: str = "en"
    rapport_tick_seconds: int = Field(default=60, ge=1, le=3600)
    rapport_praise_daily_limit: int = Field(default=5, ge=1, le=1000)
    # Suppliers: the weighted total (1–5) that qualifies a candidate, the latest audit average under
    # which a supplier is flagged "improve or replace", the share by which support terms must beat the
    # customer SLA, and default selection weights ("capital=2,scalability=3"; empty: equal).
    rapport_supplier_threshold: float = Field(default=3.5, ge=1, le=5)
    rapport_audit_threshold: float = Field(default=3.0, ge=1, le=5)
    rapport_contract_margin: float = Field(default=0.2, ge=0, lt=1)
    rapport_supplier_weights: str = ""
    # Disputes: working days of ladder levels 1–3 (coordinate, mediation, company process); level 4
    # (legal) has no deadline.
    rapport_dispute_days: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [3, 5, 10])
    # Conversation capture: business minutes to a first response to a customer's message, by tier
    # (0: no clock for that tier).
    rapport_first_response_key: int = Field(default=30, ge=0, le=10080)
    rapport_first_response_standard: int = Field(default=240, ge=0, le=10080)
    # The emoji (name, without colons) that log a customer's message as a complaint or as praise when one
    # of our people reacts with it.
    rapport_complaint_emoji: str = Field(default="rotating_light", min_length=1, max_length=100)
    rapport_praise_emoji: str = Field(default="raised_hands", min_length=1, max_length=100)
    # Account health: points taken per signal ("breach=10,complaint=3"; names not given keep their default), and
    # the band edges (the lowest green score, then the lowest amber one).
    rapport_health_weights: str = ""
    rapport_health_bands: str = "75,50"

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: str | None) -> str | None:
        if value and not value.startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value or None

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: str | None) -> str | None:
        if value and not value.startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value or None

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not re.match(r"^https?://", value):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("rapport_kudos_channel", "rapport_escalation_channel")
    @classmethod
    def _channel_id(cls, value: str | None) -> str | None:
        if value and not _CHANNEL_ID.match(value):
            raise ValueError("must be a channel ID such as C0123ABCD (right-click the channel › Copy link)")
        return value or None

    @field_validator("rapport_managers", "rapport_admins", mode="before")
    @classmethod
    def _user_ids(cls, value: object) -> list[str]:
        items = [item for item in _items(value) if item]
        bad = [item for item in items if not _USER_ID.match(item)]
        if bad:
            raise ValueError(f"must be comma-separated user IDs such as U0123ABCD (bad: {', '.join(bad)})")
        return items

    @field_validator("rapport_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Asia/Shanghai or Europe/London") from None
        return value

    @field_validator("rapport_country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if not value:
            return None
        import holidays

        code = value.strip().upper()
        if code not in holidays.list_supported_countries():
            raise ValueError("must be a country code the holidays package knows, such as CN, US or GB")
        return code

    @field_validator("rapport_supplier_weights")
    @classmethod
    def _supplier_weights(cls, value: str) -> str:
        if not value.strip():  # the default: nothing to read, and a cron tick need not import the models
            return ""
        from bot.platform.errors import InvalidInput
        from bot.suppliers.scoring import parse_weights

        try:
            parse_weights(value)
        except InvalidInput as exc:
            raise ValueError(exc.message) from None
        return value.strip()

    @field_validator("rapport_health_weights", "rapport_health_bands")
    @classmethod
    def _health(cls, value: str, info: ValidationInfo) -> str:
        if info.field_name and value == cls.model_fields[info.field_name].default:
            return value  # known good (tests read the defaults); a cron tick need not import the domain
        from bot.overview.health import parse_bands, parse_health_weights
        from bot.platform.errors import InvalidInput

        try:
            (parse_bands if info.field_name == "rapport_health_bands" else parse_health_weights)(value)
        except InvalidInput as exc:
            raise ValueError(exc.message) from None
        return value.strip()

    @field_validator("rapport_dispute_days", mode="before")
    @classmethod
    def _dispute_days(cls, value: object) -> list[int]:
        days = [whole_number(str(part)) for part in _items(value)]
        if len(days) != 3 or not all(day is not None and 1 <= day <= 100 for day in days):
            raise ValueError("must be three numbers of working days, 1 to 100, such as 3,5,10")
        return [day for day in days if day is not None]

    @field_validator("rapport_language")
    @classmethod
    def _language(cls, value: str) -> str:
        from bot.platform.i18n import available_languages, normalize

        language = normalize(value)
        if language is None:
            raise ValueError(f"has no catalog; the languages available are {', '.join(available_languages())}")
        return language

    @field_validator("rapport_business_hours")
    @classmethod
    def _business_hours(cls, value: str) -> str:
        match = _HOURS.match(value.strip())
        if not match or match.group(1, 2) >= match.group(3, 4):
            raise ValueError("must look like 09:00-18:00 (start before end)")
        return value.strip()

    @property
    def zone(self) -> ZoneInfo:
        """The team's time zone."""
        return ZoneInfo(self.rapport_timezone)

    @property
    def admins(self) -> list[str]:
        """Who sees failed deliveries: RAPPORT_ADMINS, else the managers."""
        return self.rapport_admins or self.rapport_managers

    @property
    def slack_configured(self) -> bool:
        """True when a bot token is set, i.e. Rapport talks to a real Slack."""
        return bool(self.slack_bot_token)


def _items(value: object) -> list[str]:
    """A list setting as given: comma-separated in the environment, a list when passed in code."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    return [str(part).strip() for part in value] if isinstance(value, Iterable) else []


def load_settings(env_file: str | None = ".env") -> Settings:
    """Read and validate settings; raise ConfigError with one line per bad variable."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        reason = str(error["msg"]).removeprefix("Value error, ")
        lines.append(f"{name}: {reason}{_shown(error)}")
    return "; ".join(lines)


def _shown(error: ErrorDetails) -> str:
    """The refused value for the message, unless it may be a secret."""
    if error["loc"] and str(error["loc"][0]) in SECRETS:
        return " (the value given is not shown)"
    given = error.get("input")
    return f" (got {given!r})" if isinstance(given, str | int) else ""


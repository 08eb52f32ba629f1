"""Settings are validated at start-up; a bad value names its variable in one line."""

from __future__ import annotations

import pytest

from bot.platform.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL", "RAPPORT_MANAGERS",
                 "RAPPORT_TIMEZONE", "RAPPORT_COUNTRY", "RAPPORT_TICK_SECONDS", "RAPPORT_BUSINESS_HOURS"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_no_environment():
    settings = load_settings(None)
    assert settings.database_url == "sqlite:///rapport.db"
    assert settings.rapport_tick_seconds == 60 and not settings.slack_configured


@pytest.mark.parametrize(("variable", "value", "words"), [
    ("RAPPORT_TICK_SECONDS", "soon", "RAPPORT_TICK_SECONDS"),
    ("RAPPORT_TICK_SECONDS", "0", "greater than or equal to 1"),
    ("RAPPORT_MANAGERS", "U0CAROL,carol", "bad: carol"),
    ("RAPPORT_TIMEZONE", "Mars/Olympus", "IANA time zone"),
    ("RAPPORT_COUNTRY", "XX", "country code"),
    ("RAPPORT_BUSINESS_HOURS", "18:00-09:00", "09:00-18:00"),
    ("SLACK_BOT_TOKEN", "xoxp-user-token", "xoxb-"),
    ("SLACK_APP_TOKEN", "xoxb-not-an-app-token", "xapp-"),
    ("RAPPORT_KUDOS_CHANNEL", "#kudos", "channel ID"),
    ("RAPPORT_LANGUAGE", "fr", "RAPPORT_LANGUAGE"),
])
def test_a_malformed_value_is_named_in_one_line(monkeypatch, variable, value, words):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings(None)
    message = str(error.value)
    assert message.startswith(variable) and words in message and "\n" not in message


def test_a_dotenv_file_is_read(tmp_path):
    env = tmp_path / ".env"
    env.write_text("RAPPORT_MANAGERS=U0CAROL, U0DAVE\nRAPPORT_COUNTRY=cn\nSLACK_API_URL=http://127.0.0.1:9/api\n")
    settings = load_settings(str(env))
    assert settings.rapport_managers == ["U0CAROL", "U0DAVE"]
    assert settings.rapport_country == "CN"
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.admins == ["U0CAROL", "U0DAVE"]


def test_env_example_documents_every_setting_and_loads_as_is():
    from pathlib import Path

    from bot.platform.config import Settings

    example = Path(__file__).resolve().parents[2] / ".env.example"
    documented = {line.split("=", 1)[0] for line in example.read_text().splitlines()
                  if "=" in line and not line.startswith("#")}
    assert documented == {name.upper() for name in Settings.model_fields}
    assert load_settings(str(example)).rapport_business_hours == "09:00-18:00"


@pytest.mark.parametrize("value", ["zh", "zh_Hans", "zh-CN", "ZH"])
def test_chinese_is_zh_hans_however_it_is_written(monkeypatch, value):
    monkeypatch.setenv("RAPPORT_LANGUAGE", value)
    assert load_settings(None).rapport_language == "zh_Hans"


def test_a_language_without_a_catalog_refuses_to_start_naming_those_available(monkeypatch):
    monkeypatch.setenv("RAPPORT_LANGUAGE", "fr")
    with pytest.raises(ConfigError) as error:
        load_settings(None)
    assert "has no catalog" in str(error.value) and "en, zh_Hans" in str(error.value)
@pytest.mark.parametrize(("variable", "value", "prefix"), [
    ("SLACK_BOT_TOKEN", "xoxp-LEAKME-12345", "xoxb-"),
    ("SLACK_APP_TOKEN", "xoxb-LEAKME-12345", "xapp-"),
    ("SLACK_SIGNING_SECRET", "LEAKME" * 200_000, None),
    ("DATABASE_URL", "LEAKME://user:LEAKME@host/db", None),
])
def test_a_refused_secret_is_never_echoed(monkeypatch, variable, value, prefix):
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("RAPPORT_TICK_SECONDS", "soon")  # a second bad value, whose echo is harmless
    with pytest.raises(ConfigError) as error:
        load_settings(None)
    message = str(error.value)
    assert "LEAKME" not in message and "'soon'" in message
    if prefix:
        assert message.startswith(variable) and prefix in message


def test_the_config_error_line_of_the_cli_shows_no_token(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "SLACK_BOT_TOKEN": "xoxp-LEAKME-12345", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "bot.platform.cli", "serve", "--http"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and "SLACK_BOT_TOKEN" in result.stderr and "xoxb-" in result.stderr
    assert "LEAKME" not in result.stderr + result.stdout

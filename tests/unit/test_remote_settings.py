"""SUPABASE_URL / SUPABASE_ANON_KEY from the environment and .env; service keys are refused."""

from __future__ import annotations

import base64
import json

import pytest

from sitegen.errors import ConfigError
from sitegen.remote.settings import key_role, load_remote_settings


def jwt_with(claims: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.signature"


ANON = jwt_with({"role": "anon", "iss": "supabase"})
SERVICE = jwt_with({"role": "service_role", "iss": "supabase"})


def test_reads_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text(
        f"SUPABASE_URL=https://abc.supabase.co/\nSUPABASE_ANON_KEY={ANON}\n"
    )
    settings = load_remote_settings(tmp_path, environ={})
    assert settings.url == "https://abc.supabase.co"
    assert settings.anon_key == ANON


def test_environment_wins_over_dotenv(tmp_path):
    (tmp_path / ".env").write_text(f"SUPABASE_URL=https://file.example\nSUPABASE_ANON_KEY={ANON}\n")
    settings = load_remote_settings(tmp_path, environ={"SUPABASE_URL": "http://env.example:8000"})
    assert settings.url == "http://env.example:8000"
    assert settings.anon_key == ANON


def test_opaque_publishable_keys_are_accepted(tmp_path):
    env = {"SUPABASE_URL": "https://abc.supabase.co", "SUPABASE_ANON_KEY": "sb_publishable_abc"}
    assert load_remote_settings(tmp_path, environ=env).anon_key == "sb_publishable_abc"


@pytest.mark.parametrize(
    "env, variable, words",
    [
        ({"SUPABASE_ANON_KEY": ANON}, "SUPABASE_URL", "is not set"),
        (
            {"SUPABASE_URL": "localhost:54321", "SUPABASE_ANON_KEY": ANON},
            "SUPABASE_URL",
            "not an http(s) URL",
        ),
        ({"SUPABASE_URL": "https://abc.supabase.co"}, "SUPABASE_ANON_KEY", "is not set"),
        (
            {"SUPABASE_URL": "https://abc.supabase.co", "SUPABASE_ANON_KEY": "  "},
            "SUPABASE_ANON_KEY",
            "is not set",
        ),
    ],
)
def test_missing_or_invalid_settings_name_the_variable(tmp_path, env, variable, words):
    with pytest.raises(ConfigError) as caught:
        load_remote_settings(tmp_path, environ=env)
    assert caught.value.field == variable
    assert words in caught.value.message
    assert caught.value.hint


@pytest.mark.parametrize("key", [SERVICE, "sb_secret_abc123"])
def test_service_keys_are_refused_without_echoing_them(tmp_path, key):
    env = {"SUPABASE_URL": "https://abc.supabase.co", "SUPABASE_ANON_KEY": key}
    with pytest.raises(ConfigError) as caught:
        load_remote_settings(tmp_path, environ=env)
    assert "service-role" in caught.value.message
    assert key not in str(caught.value)


def test_the_service_role_variable_is_never_read(tmp_path):
    env = {"SUPABASE_URL": "https://abc.supabase.co", "SUPABASE_SERVICE_ROLE_KEY": SERVICE}
    with pytest.raises(ConfigError) as caught:
        load_remote_settings(tmp_path, environ=env)
    assert caught.value.field == "SUPABASE_ANON_KEY"


def test_the_key_is_not_in_the_settings_repr(tmp_path):
    env = {"SUPABASE_URL": "https://abc.supabase.co", "SUPABASE_ANON_KEY": ANON}
    assert ANON not in repr(load_remote_settings(tmp_path, environ=env))


def test_key_role_of_malformed_keys_is_none():
    assert key_role("a.b.c") is None
    assert key_role("not-a-jwt") is None
    assert key_role(jwt_with({"role": "anon"})) == "anon"


def test_a_bad_value_in_dotenv_names_the_file_and_line(tmp_path):
    (tmp_path / ".env").write_text(
        f"# Supabase\nSUPABASE_URL=localhost:54321\nSUPABASE_ANON_KEY={ANON}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_remote_settings(tmp_path, environ={})
    assert str(caught.value).startswith(
        f"{tmp_path / '.env'}:2: SUPABASE_URL: 'localhost:54321' is not an http(s) URL"
    )


def test_a_bad_value_from_the_environment_says_so(tmp_path):
    (tmp_path / ".env").write_text(
        f"SUPABASE_URL=https://abc.supabase.co\nSUPABASE_ANON_KEY={ANON}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_remote_settings(tmp_path, environ={"SUPABASE_URL": "abc.supabase.co"})
    assert caught.value.file is None
    assert caught.value.message.endswith("(set in the environment, which wins over .env)")


@pytest.mark.parametrize(
    "url", ["https://abc.supabase.co/rest/v1", "https://abc.supabase.co/rest/v1/", "http://h:1/x"]
)
def test_a_url_with_a_path_after_the_project_url_says_so(tmp_path, url):
    (tmp_path / ".env").write_text(f"SUPABASE_URL={url}\nSUPABASE_ANON_KEY={ANON}\n")
    with pytest.raises(ConfigError) as caught:
        load_remote_settings(tmp_path, environ={})
    error = caught.value
    assert error.field == "SUPABASE_URL" and error.line == 1
    assert "has a path" in error.message and "after the project URL" in error.message
    project = url.split("/")[0] + "//" + url.split("/")[2]
    assert f"use the project URL alone: SUPABASE_URL={project}" in (error.hint or "")

"""Where the Supabase project is: SUPABASE_URL and SUPABASE_ANON_KEY from the environment or `.env`.

Secrets never live in sitegen.toml. Only the anon (publishable) key is read: everything sitegen
does runs under Row Level Security as the logged-in author. A service-role key would bypass RLS,
so one found in SUPABASE_ANON_KEY is refused rather than used.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.errors import ConfigError

ENV_FILE = ".env"
URL_VARIABLE = "SUPABASE_URL"
KEY_VARIABLE = "SUPABASE_ANON_KEY"
_WHERE = "Supabase dashboard: Project Settings -> API"


@dataclass(frozen=True)
class RemoteSettings:
    """The project URL (no trailing slash) and the anon key (kept out of repr)."""

    url: str
    anon_key: str = field(repr=False)


def load_remote_settings(
    site_dir: Path, environ: Mapping[str, str] | None = None
) -> RemoteSettings:
    """Read the settings; the environment wins over `<site>/.env`. Raises ConfigError naming the variable."""
    env_file = site_dir / ENV_FILE
    values = _read_env_file(env_file)
    sources = {name: _Source(str(env_file), _line_of(env_file, name)) for name in values}
    for name, value in (os.environ if environ is None else environ).items():
        if name in (URL_VARIABLE, KEY_VARIABLE):
            values[name] = value
            sources[name] = _Source(None, None)
    url, key = values.get(URL_VARIABLE, ""), values.get(KEY_VARIABLE, "")
    try:
        return RemoteSettings(url=_check_url(url), anon_key=_check_anon_key(key))
    except ConfigError as error:  # say where the bad value came from: .env (line) or environment
        source = sources.get(error.field or "")
        if source is not None:
            if source.file is None:
                error.message += " (set in the environment, which wins over .env)"
                error.args = (error.message,)
            else:
                error.file, error.line = source.file, source.line
        raise


@dataclass(frozen=True)
class _Source:
    """Where a setting's value came from: a line of .env, or the environment (file None)."""

    file: str | None
    line: int | None


def _line_of(path: Path, name: str) -> int | None:
    """The line of .env that sets `name` (the last one wins, as in python-dotenv)."""
    pattern = re.compile(rf"^\s*(?:export\s+)?{re.escape(name)}\s*=")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    found = [number for number, text in enumerate(lines, 1) if pattern.match(text)]
    return found[-1] if found else None


def _read_env_file(path: Path) -> dict[str, str]:
    from dotenv import dotenv_values

    if not path.is_file():
        return {}
    try:
        values = dotenv_values(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the file: {exc}", file=str(path)) from None
    return {k: v for k, v in values.items() if v is not None}


def _check_url(value: str) -> str:
    value = value.strip()
    if not value:
        raise ConfigError(
            "is not set",
            field=URL_VARIABLE,
            hint=f"add {URL_VARIABLE}=https://<project>.supabase.co to .env ({_WHERE})",
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"{value!r} is not an http(s) URL",
            field=URL_VARIABLE,
            hint="use the project URL, e.g. https://abcd1234.supabase.co",
        )
    if parts.path.strip("/"):
        project = f"{parts.scheme}://{parts.netloc}"
        raise ConfigError(
            f"{value!r} has a path ({parts.path.rstrip('/')}) after the project URL",
            field=URL_VARIABLE,
            hint=f"use the project URL alone: {URL_VARIABLE}={project} "
            "(sitegen adds /rest/v1, /auth/v1 and /storage/v1 itself)",
        )
    return value.rstrip("/")


def _check_anon_key(value: str) -> str:
    value = value.strip()
    if not value:
        raise ConfigError(
            "is not set",
            field=KEY_VARIABLE,
            hint=f"add {KEY_VARIABLE}=<the anon / publishable key> to .env ({_WHERE})",
        )
    if key_role(value) == "service_role" or value.startswith("sb_secret_"):
        raise ConfigError(
            "holds a service-role (secret) key, which bypasses every security policy",
            field=KEY_VARIABLE,
            hint="use the anon / publishable key instead; sitegen never needs the service key "
            "(and it must never be shared or committed)",
        )
    return value


def key_role(key: str) -> str | None:
    """The `role` claim of a JWT-shaped key (read without verifying it), or None for opaque keys."""
    parts = key.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return None
    role = claims.get("role") if isinstance(claims, dict) else None
    return role if isinstance(role, str) else None

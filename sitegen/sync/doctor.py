"""The checks of `sitegen doctor`: is this site's Supabase project set up right? Each prints ok or FAIL + hint.

The checks probe behaviour rather than read configuration: anonymous writes are attempted in a way
that cannot store anything (a row owned by a user who does not exist), and the author's draft and
media probes are deleted again. A check whose prerequisite did not pass is skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from sitegen.console import say
from sitegen.errors import SitegenError

SCHEMA_HINT = "apply the SQL files in sql/ in order (see sql/README.md)"
PROJECT_URL_EXAMPLE = "https://<project-ref>.supabase.co, with nothing after it"
COLUMNS = {
    "posts": "id,slug,author_id,title,body,draft,publish_at,front,authors,version,created_at,"
    "updated_at,updated_by,updated_by_email",
    "media": "id,path,author_id,object_name,sha256,size,content_type,alt,version,created_at,"
    "updated_at,updated_by,updated_by_email",
}
COLUMNS["pages"] = COLUMNS["posts"]


class CheckFailed(Exception):
    """A check's verdict: what is wrong and what to do."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass
class Doctor:
    """Runs the checks in order; later checks use what earlier ones found (settings, clients)."""

    site: Path
    failures: int = 0
    passed: set[str] = field(default_factory=set)
    settings: Any = None
    anonymous: Any = None
    author: Any = None
    role: str | None = None

    def check(self, name: str, probe: Callable[[], str], *, needs: tuple[str, ...] = ()) -> None:
        """Run one check and print its verdict; skipped when a check it `needs` did not pass."""
        missing = [need for need in needs if need not in self.passed]
        if missing:
            say(f"skip  {name} (needs: {', '.join(missing)})")
            return
        try:
            say(f"ok    {name}: {probe()}")
            self.passed.add(name)
        except (CheckFailed, SitegenError) as exc:
            self._fail(name, exc.message, getattr(exc, "field", None), exc.hint)
        except Exception as exc:  # an unforeseen answer fails this check, not the whole doctor
            from sitegen.remote.failures import as_remote_error

            error = as_remote_error(exc, name)
            self._fail(name, error.message, error.field, error.hint)

    def _fail(self, name: str, message: str, field_name: str | None, hint: str | None) -> None:
        self.failures += 1
        say(f"FAIL  {name}: {field_name + ': ' if field_name else ''}{message}")
        if hint:
            say(f"      hint: {hint}")

    def close(self) -> None:
        for client in (self.anonymous, self.author):
            if client is not None:
                client.close()

    # -- the checks, in order ----------------------------------------------------------------

    def config(self) -> str:
        from sitegen.config import load_config

        return f"{load_config(self.site).title!r}"

    def remote_settings(self) -> str:
        from sitegen.remote.settings import key_role, load_remote_settings

        self.settings = load_remote_settings(self.site)
        key = self.settings.anon_key
        if key_role(key) == "anon":
            kind = "an anon key"
        elif key.startswith("sb_publishable_"):
            kind = "a publishable key"
        else:
            kind = "a key of unknown form (neither an anon JWT nor sb_publishable_...)"
        return f"{self.settings.url} with {kind}"

    def reachable(self) -> str:
        from sitegen.remote.client import make_http_client
        from sitegen.remote.failures import KEY_HINT, as_remote_error

        with make_http_client() as http:
            try:
                response = http.get(
                    f"{self.settings.url}/auth/v1/health",
                    headers={"apikey": self.settings.anon_key},
                )
            except Exception as exc:
                error = as_remote_error(exc, "health check")
                raise CheckFailed(error.message, error.hint) from None
        if response.status_code == 401:
            raise CheckFailed("the server rejected SUPABASE_ANON_KEY", KEY_HINT)
        if response.status_code != 200:  # a 404 is a web server, but not Supabase Auth's health
            raise CheckFailed(
                f"{response.url} answered HTTP {response.status_code}, not Supabase's health check",
                f"check SUPABASE_URL: it is the project URL, {PROJECT_URL_EXAMPLE}",
            )
        return f"the server answered (HTTP {response.status_code})"

    def schema(self) -> str:
        from sitegen.auth import open_client

        # anonymous=True: the probes of what visitors may do must not carry the stored login
        self.anonymous = client = open_client(self.site, require_login=False, anonymous=True)
        for kind, columns in COLUMNS.items():
            _probe_table(client, kind, columns)
        _expect_ok(lambda: client.supabase.rpc("sitegen_my_role", {}).execute(), "members")
        return "tables posts, pages, media, members and sitegen_manifest() are there"

    def anonymous_reads(self) -> str:
        table = self.anonymous.supabase.table
        published = table("posts").select("slug", count="exact").limit(1).execute().count
        drafts = table("posts").select("slug").eq("draft", True).limit(1).execute().data
        if drafts:
            raise CheckFailed(
                "anonymous visitors can read drafts",
                "Row Level Security is off or too loose on posts: " + SCHEMA_HINT,
            )
        return f"they see {published} published post(s) and no drafts"

    def anonymous_cannot_write(self) -> str:
        from postgrest.exceptions import APIError

        nobody = str(uuid.uuid4())  # no such user: even a wrongly allowed insert cannot be stored
        probe = {"slug": f"sitegen-doctor-{nobody[:8]}", "title": "probe", "author_id": nobody}
        try:
            self.anonymous.supabase.table("posts").insert(probe, returning="minimal").execute()
        except APIError as exc:
            if exc.code == "42501":
                return "inserting a post was refused, as it should be"
            raise CheckFailed(
                f"an anonymous insert got past the permissions ({exc.code}: {exc.message})",
                "grants or Row Level Security are too loose: " + SCHEMA_HINT,
            ) from None
        raise CheckFailed("anonymous visitors can create posts", SCHEMA_HINT)

    def logged_in(self) -> str:
        from datetime import datetime

        from sitegen.auth import open_client, whoami

        identity = whoami(self.site)
        self.author = open_client(self.site, require_login=True)
        self.role = identity.role
        until = datetime.fromtimestamp(identity.expires_at, UTC).strftime("%H:%M UTC")
        role = f"role {self.role}" if self.role else "not a member of the site"
        return f"as {identity.email}, {role} (session valid until {until})"

    def own_drafts(self) -> str:
        if self.role is None:
            raise CheckFailed(
                "you are not a member of the site, so you cannot write to it",
                "ask an owner to add you (`sitegen members add EMAIL --role ROLE`, docs/teams.md)",
            )
        table = self.author.supabase.table
        slug = f"sitegen-doctor-{uuid.uuid4().hex[:12]}"
        _expect_ok(
            lambda: (
                table("posts")
                .insert(
                    {"slug": slug, "title": "sitegen doctor probe", "draft": True},
                    returning="minimal",
                )
                .execute()
            ),
            "creating a draft post",
        )
        try:
            seen = table("posts").select("slug").eq("slug", slug).execute().data
        finally:
            deleted = table("posts").delete().eq("slug", slug).execute().data
        if not seen:
            raise CheckFailed("you cannot read your own draft", SCHEMA_HINT)
        if not deleted:
            raise CheckFailed(
                f"the probe draft posts/{slug} could not be deleted",
                f"delete posts/{slug} in the dashboard; " + SCHEMA_HINT,
            )
        return "created, read back and deleted a probe draft"

    def media_bucket(self) -> str:
        from sitegen.remote.client import make_http_client

        with make_http_client() as http:  # the shared set-up: timeouts, and -v logs the requests
            return self._media_bucket(http)

    def _media_bucket(self, http: Any) -> str:
        public = f"{self.settings.url}/storage/v1/object/public/media"
        missing = http.get(f"{public}/sitegen-doctor/{uuid.uuid4().hex}.txt")
        answer = missing.text.lower()
        if "bucket not found" in answer:
            raise CheckFailed(
                "the `media` bucket is missing or not public",
                "apply sql/005_storage.sql, or make the bucket public in Storage",
            )
        if (
            "object not found" not in answer
        ):  # what Storage says of a missing file in a public bucket
            raise CheckFailed(
                f"{missing.url} answered HTTP {missing.status_code}, not as Supabase Storage does",
                f"check SUPABASE_URL: it is the project URL, {PROJECT_URL_EXAMPLE}",
            )
        if self.author is None:
            return "the bucket exists and is public (log in to test uploads)"
        if self.role in (None, "contributor"):  # they may not add media
            return "the bucket exists and is public (your role cannot upload)"
        name = f"{self.author.user_id}/sitegen-doctor/{uuid.uuid4().hex}.txt"
        bucket = self.author.supabase.storage.from_("media")
        payload = b"sitegen doctor probe\n"
        _expect_ok(
            lambda: bucket.upload(name, payload, {"content-type": "text/plain"}),
            "uploading into your folder of the media bucket",
        )
        try:
            fetched = http.get(f"{public}/{name}")
        finally:
            bucket.remove([name])
        if fetched.status_code != 200 or fetched.content != payload:
            raise CheckFailed(
                f"an uploaded file is not readable at its public URL (HTTP {fetched.status_code})",
                "make the `media` bucket public",
            )
        return "public, and you can upload into your own folder"


def _probe_table(client: Any, kind: str, columns: str) -> None:
    """The table `kind` has `columns`, and the manifest of `kind` has the shape sync reads."""
    from sitegen.remote.store import parse_manifest

    _expect_ok(
        lambda: client.supabase.table(kind).select(columns).limit(1).execute(), f"table {kind}"
    )
    _expect_ok(
        lambda: parse_manifest(
            kind, client.supabase.rpc("sitegen_manifest", {"kind": kind}).execute().data
        ),
        "function sitegen_manifest",
    )


def _expect_ok(call: Callable[[], object], what: str) -> None:
    """Run a probe request; turn its failure into a CheckFailed explaining `what` failed."""
    from sitegen.remote.failures import as_remote_error

    try:
        call()
    except Exception as exc:
        code = getattr(exc, "code", None)
        if code in ("PGRST205", "PGRST202", "42P01", "42883", "42703", "PGRST204"):
            raise CheckFailed(
                f"{what} is missing or incomplete ({getattr(exc, 'message', exc)})", SCHEMA_HINT
            ) from None
        error = as_remote_error(exc, what)
        raise CheckFailed(error.message, error.hint or SCHEMA_HINT) from None


def run_checks(site: Path) -> int:
    """Run every check in order, printing each verdict; returns the number that failed."""
    doctor = Doctor(site)
    try:
        doctor.check("sitegen.toml", doctor.config)
        doctor.check("settings", doctor.remote_settings)
        doctor.check("server", doctor.reachable, needs=("settings",))
        doctor.check("schema", doctor.schema, needs=("server",))
        doctor.check("anonymous read", doctor.anonymous_reads, needs=("schema",))
        doctor.check("anonymous write", doctor.anonymous_cannot_write, needs=("schema",))
        doctor.check("login", doctor.logged_in, needs=("server",))
        doctor.check("own drafts", doctor.own_drafts, needs=("schema", "login"))
        doctor.check("media bucket", doctor.media_bucket, needs=("server",))
    finally:
        doctor.close()
    return doctor.failures

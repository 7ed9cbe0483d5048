"""`sitegen pull` against the stack: incremental, paginated, deletions, visibility, hostile rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.sync.state import BASE_FILE
from tests.integration.sync.sync_helpers import (
    count_requests,
    files_under,
    login_as,
    make_site,
    push_post,
    run,
    write_post,
)

pytestmark = pytest.mark.usefixtures("clean_db")
User = Callable[..., object]


def posts_of(site: Path) -> list[str]:
    return sorted(p.stem for p in (site / "content" / "posts").glob("*.md"))


def test_no_change_pull_costs_one_request_per_table_and_one_for_the_authors(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    author = make_site(tmp_path / "author", stack, user=make_user())
    push_post(capsys, author, "one", "One")
    reader = make_site(tmp_path / "reader", stack)
    assert run(capsys, reader, "pull").code == 0
    with count_requests(stack, r"^/(rest|storage)/v1/") as requests:
        result = run(capsys, reader, "pull")
    assert result.code == 0
    assert (
        "Pulled 0 posts, 0 pages, 0 media in " in result.out
        and ": already up to date" in result.out
    )
    assert requests.hits == 4  # the manifests of posts, pages, media; the author profiles


def test_a_wrong_anon_key_is_named_with_where_to_get_the_right_one(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = site / ".env"
    env.write_text(env.read_text().replace("SUPABASE_ANON_KEY=", "SUPABASE_ANON_KEY=x"))
    result = run(capsys, site, "pull")
    assert result.code == 1
    assert result.err == (
        "error: SUPABASE_ANON_KEY: read the posts manifest failed: the server does not accept "
        "this key (Invalid API key)\n  hint: copy the anon / publishable key of this project "
        "(Supabase dashboard: Project Settings -> API) into SUPABASE_ANON_KEY in .env\n"
    )


def test_pull_gets_every_row_beyond_the_1000_row_cap(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    author = make_site(tmp_path / "author", stack, user=make_user())
    for number in range(1100):
        write_post(author, f"post-{number:04d}", f"Post {number}")
    assert run(capsys, author, "push").code == 0
    reader = make_site(tmp_path / "reader", stack)
    result = run(capsys, reader, "pull")
    assert result.code == 0, result.err
    assert "Pulled 1100 posts" in result.out
    assert len(posts_of(reader)) == 1100


def test_deletions_and_unpublishing_propagate_but_local_edits_are_kept(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    author = make_site(tmp_path / "author", stack, user=make_user())
    for slug in ("gone", "hidden", "edited", "stays"):
        write_post(author, slug, slug.title())
    assert run(capsys, author, "push").code == 0
    reader = make_site(tmp_path / "reader", stack)
    assert run(capsys, reader, "pull").code == 0
    assert posts_of(reader) == ["edited", "gone", "hidden", "stays"]

    (author / "content/posts/gone.md").unlink()
    write_post(author, "hidden", "Hidden", draft="true")
    (author / "content/posts/edited.md").unlink()
    reader_edit = write_post(reader, "edited", "Edited by the reader", "My words.\n")
    assert run(capsys, author, "push", "--prune").code == 0

    result = run(capsys, reader, "pull")
    assert result.code == 1
    assert "posts/edited" in result.err and "changed locally" in result.err
    assert posts_of(reader) == ["edited", "stays"]  # deleted and unpublished are gone
    assert reader_edit.read_text(encoding="utf-8").endswith("My words.\n")  # the edit is kept


def test_author_gets_own_drafts_anonymous_does_not_and_logout_keeps_them(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = make_user()
    author = make_site(tmp_path / "author", stack, user=user)
    write_post(author, "draft", "Draft", draft="true")
    push_post(capsys, author, "public", "Public")

    anonymous = make_site(tmp_path / "anonymous", stack)
    assert run(capsys, anonymous, "pull").code == 0
    assert posts_of(anonymous) == ["public"]

    second_machine = make_site(tmp_path / "second", stack, user=user)
    assert run(capsys, second_machine, "pull").code == 0
    assert posts_of(second_machine) == ["draft", "public"]

    (second_machine / ".sitegen" / "session.json").unlink()  # logged out
    result = run(capsys, second_machine, "pull")
    assert result.code == 0
    assert posts_of(second_machine) == ["draft", "public"]  # invisible is not deleted
    assert "posts/draft" in result.err and "log in as its author" in result.err
    assert run(capsys, second_machine, "pull").code == 0  # nor on the next anonymous pull
    assert posts_of(second_machine) == ["draft", "public"]

    login_as(second_machine, user)  # its author deletes it elsewhere: now it goes
    (author / "content/posts/draft.md").unlink()
    assert run(capsys, author, "push", "--prune").code == 0
    assert run(capsys, second_machine, "pull").code == 0
    assert posts_of(second_machine) == ["public"]


def test_empty_pull_says_whether_login_or_rls_may_be_why(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anonymous = make_site(tmp_path / "anonymous", stack)
    result = run(capsys, anonymous, "pull")
    assert result.code == 0
    assert "not logged in" in result.err and "row-level security" in result.err
    user = make_user()
    logged_in = make_site(tmp_path / "logged-in", stack, user=user)
    result = run(capsys, logged_in, "pull")
    assert user.email in result.err and "row-level security" in result.err  # type: ignore[attr-defined]


def test_scheduled_post_appears_when_its_time_comes(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    author = make_site(tmp_path / "author", stack, user=make_user())
    push_post(capsys, author, "later", "Later", date="2999-01-01")
    reader = make_site(tmp_path / "reader", stack)
    assert run(capsys, reader, "pull").code == 0
    assert posts_of(reader) == []

    # Time passes: publish_at moves into the past without any edit (version unchanged; the
    # version trigger is bypassed for this one statement only).
    stack.admin_sql(  # type: ignore[attr-defined]
        "begin; set local session_replication_role = replica; "
        "update public.posts set publish_at = now() - interval '1 minute' where slug = 'later'; "
        "commit"
    )
    assert stack.admin_sql("select version from public.posts")[0][0] == 1  # type: ignore[attr-defined]
    assert run(capsys, reader, "pull").code == 0
    assert posts_of(reader) == ["later"]


def test_hostile_rows_are_rejected_and_nothing_escapes_content(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A project whose CHECK constraints were dropped serves hostile rows; the client holds."""
    user = make_user()
    sha = "0" * 64
    constraints = stack.admin_sql(  # type: ignore[attr-defined]
        "select conrelid::regclass::text, conname, pg_get_constraintdef(oid) from pg_constraint "
        "where contype = 'c' and conrelid in ('public.posts'::regclass, 'public.media'::regclass)"
    )
    try:
        for table, name, _ in constraints:
            stack.admin_sql(f'alter table {table} drop constraint "{name}"')  # type: ignore[attr-defined]
        stack.admin_sql(  # type: ignore[attr-defined]
            "insert into public.posts (slug, title, body, author_id) values "
            "('../../etc/passwd', 'Evil', 'x', %(u)s), ('fine', 'Fine', "
            "'<script>alert(1)</script>\n\nHello', %(u)s)",
            {"u": user.id},
        )  # type: ignore[attr-defined]
        stack.admin_sql(  # type: ignore[attr-defined]
            "insert into public.media (path, object_name, sha256, size, content_type, author_id) "
            "values ('/etc/x', %(o)s, %(s)s, 1, 'text/plain', %(u)s)",
            {"o": f"{user.id}/{sha}/x", "s": sha, "u": user.id},
        )  # type: ignore[attr-defined]
        reader = make_site(tmp_path / "site" / "reader", stack)
        result = run(capsys, reader, "pull")
    finally:
        stack.admin_sql("truncate public.posts, public.media")  # type: ignore[attr-defined]
        for table, name, definition in constraints:
            stack.admin_sql(f'alter table {table} add constraint "{name}" {definition}')  # type: ignore[attr-defined]

    assert result.code == 1
    assert "remote posts/../../etc/passwd: slug:" in result.err
    assert "remote media//etc/x: path:" in result.err
    assert sorted(files_under(tmp_path)) == [
        "site/reader/.env",
        "site/reader/.sitegen/sync/base.json",
        "site/reader/.sitegen/sync/index.json",
        "site/reader/.sitegen/sync/texts.sqlite",  # the base text of posts/fine, for merges
        "site/reader/content/posts/fine.md",
        "site/reader/sitegen.toml",
    ]
    base = json.loads((reader / BASE_FILE).read_text())
    assert list(base["entries"]) == ["posts/fine"]

    from sitegen.build import BuildOptions, build_site

    build_site(reader, BuildOptions(output_dir=tmp_path / "out", use_cache=False))
    page = next(text for name, text in files_under(tmp_path / "out").items() if "fine" in name)
    assert b"<script>" not in page and b"alert(1)" not in page  # sanitized away
    assert b"<p>Hello</p>" in page


def test_verbose_pull_logs_each_request_without_secrets(
    stack: object,
    make_user: User,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    site = make_site(tmp_path / "site", stack, user=make_user())
    caplog.set_level(logging.DEBUG, logger="sitegen")
    result = run(capsys, site, "pull", "-v")
    assert result.code == 0
    lines = [r.getMessage() for r in caplog.records if r.name == "sitegen.http"]
    assert sum("POST /rest/v1/rpc/sitegen_manifest 200" in line for line in lines) == 3
    session = json.loads((site / ".sitegen/session.json").read_text())
    everything = "\n".join(lines) + result.out + result.err
    for secret in (stack.anon_key, session["access_token"], session["refresh_token"]):  # type: ignore[attr-defined]
        assert secret not in everything


def test_build_pull_pulls_then_builds_and_fails_loudly_on_conflict(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = make_user()
    author = make_site(tmp_path / "author", stack, user=user)
    push_post(capsys, author, "news", "News", "Fresh news.\n")

    ci = make_site(tmp_path / "ci", stack)
    result = run(capsys, ci, "build", "--pull")
    assert result.code == 0, result.err
    built = files_under(ci / "public")
    assert any(b"Fresh news." in data for data in built.values())

    write_post(ci, "news", "News", "Edited on the CI box.\n")
    push_post(capsys, author, "news", "News", "Newer news.\n")
    failed = run(capsys, ci, "build", "--pull")
    assert failed.code == 1 and "posts/news" in failed.err
    kept = (ci / "content/posts/news.md").read_text(encoding="utf-8")  # both sides, with markers
    assert "<<<<<<< local\nEdited on the CI box.\n=======\nNewer news.\n>>>>>>> remote\n" in kept


def test_pull_never_writes_over_a_file_that_holds_another_key(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    author = make_site(tmp_path / "author", stack, user=make_user())
    push_post(capsys, author, "foo", "Remote foo", "remote\n")
    reader = make_site(tmp_path / "reader", stack)
    squatter = reader / "content/posts/foo.md"  # holds posts/bar
    squatter.write_text("---\ntitle: Local bar\nslug: bar\n---\nmine\n", encoding="utf-8")
    result = run(capsys, reader, "pull")
    assert result.code == 1
    assert "content/posts/foo.md" in result.err and "another key" in result.err
    assert squatter.read_text(encoding="utf-8").endswith("mine\n")


def test_a_file_edited_while_the_pull_runs_is_kept(
    stack: object,
    make_user: User,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sitegen.sync.pull as pull_module

    user = make_user()
    author = make_site(tmp_path / "author", stack, user=user)
    reader = make_site(tmp_path / "reader", stack)
    push_post(capsys, author, "p", "P", "v1\n")
    assert run(capsys, reader, "pull").code == 0
    push_post(capsys, author, "p", "P", "v2\n")

    real_fetch = pull_module.fetch_rows

    def fetch_then_user_edits(*args: object, **kwargs: object) -> object:
        rows = real_fetch(*args, **kwargs)  # the plan said "unchanged locally": pull it...
        write_post(reader, "p", "P", "typed while pulling, longer\n")  # ...but the user types
        return rows

    monkeypatch.setattr(pull_module, "fetch_rows", fetch_then_user_edits)
    result = run(capsys, reader, "pull")
    assert result.code == 1 and "changed locally while pulling" in result.err
    assert (
        (reader / "content/posts/p.md")
        .read_text(encoding="utf-8")
        .endswith("typed while pulling, longer\n")
    )


def test_a_scheduled_post_that_went_public_and_was_deleted_goes_for_everyone(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = make_user()
    author = make_site(tmp_path / "author", stack, user=user)
    write_post(author, "later", "Later", date="2999-01-01")
    assert run(capsys, author, "push").code == 0  # recorded as private: only its author sees it
    stack.admin_sql(  # type: ignore[attr-defined]
        "begin; set local session_replication_role = replica; "
        "update public.posts set publish_at = now() - interval '1 minute'; commit"
    )
    (author / ".sitegen/session.json").unlink()  # the author now pulls anonymously
    assert run(capsys, author, "pull").code == 0  # sees it as public now
    stack.admin_sql("delete from public.posts")  # type: ignore[attr-defined]
    assert run(capsys, author, "pull").code == 0
    assert posts_of(author) == []  # deleted, not "hidden"


def test_a_pull_that_gets_no_rows_says_whether_login_or_rls_may_be_why(
    site: Path, stack: object, make_user: User, capsys: pytest.CaptureFixture[str]
) -> None:
    anonymous = run(capsys, site, "pull")
    assert anonymous.code == 0
    assert (
        "warning: No rows came back. You are not logged in, so only published content is "
        "visible (row-level security); `sitegen login` to also get your drafts."
    ) in anonymous.err
    user = make_user()
    author = make_site(site.parent / "author", stack, user=user)
    logged_in = run(capsys, author, "pull")
    assert logged_in.code == 0
    assert (
        f"warning: No rows came back for {user.email}: the project holds no content yet, "  # type: ignore[attr-defined]
        "or its row-level security policies hide every row"
    ) in logged_in.err

"""sitegen doctor against the stack: passes on a good set-up, fails with the right hint otherwise."""

from __future__ import annotations

from pathlib import Path

from tests.integration.sync.sync_helpers import make_site


def lines(output: str) -> dict[str, str]:
    """check name -> its verdict line, e.g. {"schema": "FAIL  schema: ..."}."""
    verdicts = {}
    for line in output.splitlines():
        if line[:6].strip() in ("ok", "FAIL", "skip"):
            name = line[6:].split(":")[0].split(" (needs")[0]
            verdicts[name] = line
    return verdicts


def test_doctor_passes_on_a_good_setup_and_leaves_nothing_behind(author_a, cli, stack):
    result = cli(author_a.site, "doctor")
    assert result.code == 0, result.out + result.err
    verdicts = lines(result.out)
    assert list(verdicts) == [
        "sitegen.toml",
        "settings",
        "server",
        "schema",
        "anonymous read",
        "anonymous write",
        "login",
        "own drafts",
        "media bucket",
    ]
    assert all(line.startswith("ok ") for line in verdicts.values()), result.out
    assert "All checks passed." in result.out
    assert stack.admin_sql(
        "select count(*) from public.posts where slug like 'sitegen-doctor-%'"
    ) == [(0,)]
    assert stack.admin_sql(
        "select count(*) from storage.objects where name like '%sitegen-doctor%'"
    ) == [(0,)]


def test_a_service_key_in_place_of_the_anon_key_fails(site, cli, stack):
    (site / ".env").write_text(f"SUPABASE_URL={stack.url}\nSUPABASE_ANON_KEY={stack.service_key}\n")
    result = cli(site, "doctor")
    assert result.code == 1
    verdicts = lines(result.out)
    assert verdicts["settings"].startswith(
        "FAIL  settings: SUPABASE_ANON_KEY: holds a service-role"
    )
    assert "use the anon / publishable key instead" in result.out
    assert verdicts["schema"].startswith("skip")
    assert stack.service_key not in result.out + result.err


def test_not_logged_in_fails_with_the_login_hint(site, cli):
    result = cli(site, "doctor")
    assert result.code == 1
    verdicts = lines(result.out)
    assert verdicts["login"] == "FAIL  login: not logged in"
    assert "hint: run `sitegen login`" in result.out
    assert verdicts["own drafts"].startswith("skip")
    assert verdicts["schema"].startswith("ok") and verdicts["anonymous write"].startswith("ok")


def test_a_missing_schema_fails_with_the_apply_hint(tmp_path: Path, cli):
    from tests.stack.stack import Stack

    empty = tmp_path / "no-sql"
    empty.mkdir()
    with Stack.start(sql_dir=empty) as bare:
        site = make_site(tmp_path / "site", bare)
        result = cli(site, "doctor")
    assert result.code == 1
    verdicts = lines(result.out)
    assert verdicts["schema"].startswith("FAIL  schema: table posts is missing")
    assert "apply the SQL files in sql/ in order (see sql/README.md)" in result.out
    assert verdicts["media bucket"].startswith("FAIL  media bucket: the `media` bucket is missing")


def test_loose_permissions_are_caught_by_the_anonymous_write_probe(site, cli, stack):
    stack.admin_sql(
        "alter table public.posts disable row level security; grant insert on public.posts to anon"
    )
    try:
        result = cli(site, "doctor")
    finally:
        stack.admin_sql(
            "alter table public.posts enable row level security; "
            "revoke insert on public.posts from anon"
        )
    assert result.code == 1
    verdict = lines(result.out)["anonymous write"]
    assert verdict.startswith("FAIL  anonymous write: an anonymous insert got past the permissions")
    assert stack.admin_sql(
        "select count(*) from public.posts where slug like 'sitegen-doctor-%'"
    ) == [(0,)]


def test_an_unreachable_server_fails_and_names_the_url(
    tmp_path: Path, cli, stack, unused_url, quick_retries
):
    site = make_site(tmp_path / "site", stack, url=unused_url)
    result = cli(site, "doctor")
    assert result.code == 1
    verdicts = lines(result.out)
    assert verdicts["server"].startswith(
        f"FAIL  server: health check failed: cannot reach the Supabase server at {unused_url}"
    )
    assert verdicts["login"].startswith("skip")


def test_an_unforeseen_error_fails_its_check_and_the_others_still_run(tmp_path, capsys):
    from sitegen.sync.doctor import Doctor

    def broken() -> str:
        raise ValueError("odd answer")

    doctor = Doctor(tmp_path)
    doctor.check("first", broken)
    doctor.check("second", lambda: "fine")
    assert doctor.failures == 1 and doctor.passed == {"second"}
    assert capsys.readouterr().out == (
        "FAIL  first: first failed: ValueError: odd answer\nok    second: fine\n"
    )


def test_the_anonymous_probes_do_not_carry_the_login(author_a, cli, stack):
    from tests.integration.sync.sync_helpers import write_post

    write_post(author_a.site, "unfinished", "Unfinished", draft="true")
    assert cli(author_a.site, "push").code == 0
    result = cli(author_a.site, "doctor")
    assert result.code == 0, result.out
    verdicts = lines(result.out)
    assert verdicts["anonymous read"].startswith("ok    anonymous read: they see 0 published")
    assert verdicts["login"].startswith(f"ok    login: as {author_a.email}, role author")


def test_the_anonymous_write_probe_runs_anonymously(author_a, cli, stack):
    stack.admin_sql(
        "grant insert on public.posts to anon; "
        'create policy "too loose" on public.posts for insert to anon with check (true)'
    )
    try:
        result = cli(author_a.site, "doctor")
    finally:
        stack.admin_sql(
            'drop policy "too loose" on public.posts; revoke insert on public.posts from anon'
        )
    assert result.code == 1
    verdict = lines(result.out)["anonymous write"]
    assert verdict.startswith("FAIL  anonymous write: an anonymous insert got past the permissions")


def test_a_url_with_rest_v1_on_the_end_is_named_as_such(site, cli, stack):
    (site / ".env").write_text(
        f"SUPABASE_URL={stack.url}/rest/v1\nSUPABASE_ANON_KEY={stack.anon_key}\n"
    )
    result = cli(site, "doctor")
    assert result.code == 1
    verdicts = lines(result.out)
    assert verdicts["settings"].startswith(
        f"FAIL  settings: SUPABASE_URL: '{stack.url}/rest/v1' has a path (/rest/v1) after the "
        "project URL"
    )
    assert f"use the project URL alone: SUPABASE_URL={stack.url}" in result.out
    assert "apply the SQL files" not in result.out
    assert verdicts["server"].startswith("skip") and verdicts["media bucket"].startswith("skip")
    pushed = cli(site, "pull")
    assert pushed.code == 1 and "has a path (/rest/v1)" in pushed.err


def test_the_server_and_bucket_checks_refuse_an_answer_that_is_not_supabases(site, stack, capsys):
    from sitegen.remote.settings import RemoteSettings
    from sitegen.sync.doctor import Doctor

    doctor = Doctor(site)
    doctor.settings = RemoteSettings(f"{stack.url}/rest/v1", stack.anon_key)  # as a user might
    doctor.check("server", doctor.reachable)
    doctor.check("media bucket", doctor.media_bucket)
    out = capsys.readouterr().out
    assert doctor.failures == 2 and not doctor.passed, out
    assert "FAIL  server: " in out and "answered HTTP 404, not Supabase's health check" in out
    assert "FAIL  media bucket: " in out and "not as Supabase Storage does" in out
    assert out.count("check SUPABASE_URL: it is the project URL") == 2


def test_a_signed_up_non_member_is_told_to_ask_an_owner(site, cli, stack, make_user):
    from tests.integration.sync.sync_helpers import login_as

    login_as(site, make_user(role=None))
    result = cli(site, "doctor")
    assert result.code == 1
    verdicts = lines(result.out)
    assert "not a member of the site" in verdicts["login"]
    assert verdicts["own drafts"].startswith(
        "FAIL  own drafts: you are not a member of the site, so you cannot write to it"
    )

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
    from sitegen.commands.doctor import Doctor

    def broken() -> str:
        raise ValueError("odd answer")

    doctor = Doctor(tmp_path)
    doctor.check("first", broken)
    doctor.check("second", lambda: "fine")
    assert doctor.failures == 1 and doctor.passed == {"second"}
    assert capsys.readouterr().out == (
        "FAIL  first: first failed: ValueError: odd answer\nok    second: fine\n"
    )

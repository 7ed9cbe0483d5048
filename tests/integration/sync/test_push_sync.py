"""`sitegen push` against the stack: batching, full rows, media, --prune."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.sync.sync_helpers import (
    count_requests,
    count_rows,
    make_site,
    push_post,
    run,
    write_post,
)

pytestmark = pytest.mark.usefixtures("clean_db")
User = Callable[..., object]


def test_push_of_1000_new_posts_takes_at_most_5_rest_requests(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site", stack, user=make_user())
    for number in range(1000):
        write_post(site, f"post-{number:04d}", f"Post {number}", tags="[a, b]")
    with count_requests(stack) as requests:
        result = run(capsys, site, "push")
    assert result.code == 0, result.err
    assert "Pushed 1000 posts" in result.out
    assert requests.hits <= 5
    assert stack.admin_sql(  # type: ignore[attr-defined]
        "select count(*), min(version), max(version) from public.posts"
    )[0] == (1000, 1, 1)
    base = json.loads((site / ".sitegen/sync/base.json").read_text())
    assert len(base["entries"]) == 1000

    with count_requests(stack) as again:
        assert "Pushed 0 posts" in run(capsys, site, "push").out
    assert again.hits == 3  # manifests only


def test_push_sends_full_rows_and_keeps_columns_it_does_not_own(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site", stack, user=make_user())
    write_post(site, "rich", "Rich", "Body.\n", date="2024-05-01", tags="[x, y]", summary="S")
    media = site / "content/media/cat.png"
    media.write_bytes(b"cat v1")
    assert run(capsys, site, "push").code == 0
    stack.admin_sql(
        "begin; set local session_replication_role = replica; "  # type: ignore[attr-defined]
        "update public.media set alt = 'A cat' where path = 'cat.png'; commit"
    )

    write_post(site, "rich", "Rich", "New body.\n", date="2024-05-01", tags="[x, y]", summary="S")
    media.write_bytes(b"cat v2")
    assert run(capsys, site, "push").code == 0
    title, body, front, publish_at = stack.admin_sql(  # type: ignore[attr-defined]
        "select title, body, front, publish_at::text from public.posts where slug = 'rich'"
    )[0]
    assert (title, body) == ("Rich", "New body.\n")
    assert front == {"date": "2024-05-01", "tags": ["x", "y"], "summary": "S"}
    assert publish_at.startswith("2024-05-01 00:00:00")
    alt, size, version = stack.admin_sql(  # type: ignore[attr-defined]
        "select alt, size, version from public.media where path = 'cat.png'"
    )[0]
    assert (alt, size, version) == ("A cat", 6, 2)


def test_prune_deletes_only_synced_keys_and_removes_unreferenced_own_objects(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = make_user()
    site = make_site(tmp_path / "site", stack, user=user)
    write_post(site, "doomed", "Doomed")
    (site / "content/media/a.txt").write_bytes(b"first")
    (site / "content/media/b.txt").write_bytes(b"gone soon")
    assert run(capsys, site, "push").code == 0
    other_machine = make_site(tmp_path / "other", stack, user=user)
    push_post(capsys, other_machine, "never-synced-there", "Elsewhere")

    (site / "content/posts/doomed.md").unlink()
    (site / "content/media/b.txt").unlink()
    (site / "content/media/a.txt").write_bytes(b"second")
    without = run(capsys, site, "push")
    assert "posts/doomed: deleted locally; `sitegen push --prune`" in without.err
    assert count_rows(stack, "posts") == 2

    assert run(capsys, site, "push", "--prune").code == 0
    assert [r[0] for r in stack.admin_sql("select slug from public.posts")] == [  # type: ignore[attr-defined]
        "never-synced-there"
    ]
    assert [r[0] for r in stack.admin_sql("select path from public.media")] == ["a.txt"]  # type: ignore[attr-defined]
    objects = sorted(
        r[0]
        for r in stack.admin_sql(  # type: ignore[attr-defined]
            "select name from storage.objects where bucket_id = 'media'"
        )
    )
    referenced = stack.admin_sql("select object_name from public.media")[0][0]  # type: ignore[attr-defined]
    assert objects == [referenced]


def test_push_requires_login(
    stack: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site", stack)
    write_post(site, "a", "A")
    result = run(capsys, site, "push")
    assert result.code == 1 and "not logged in" in result.err
    assert count_rows(stack, "posts") == 0


def test_pages_and_scripts_are_not_pushed_as_media(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site", stack, user=make_user())
    (site / "content/media/trap.html").write_text("<script>alert(1)</script>")
    (site / "content/media/fine.png").write_bytes(b"png")
    result = run(capsys, site, "push")
    assert result.code == 1 and "content/media/trap.html" in result.err and "static/" in result.err
    assert [r[0] for r in stack.admin_sql("select path from public.media")] == ["fine.png"]  # type: ignore[attr-defined]


def test_a_broken_local_file_is_reported_and_the_rest_is_pushed(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site", stack, user=make_user())
    write_post(site, "good", "Good")
    (site / "content/posts/broken.md").write_text("---\ntitle: Broken\ndraft: maybe\n---\n")
    result = run(capsys, site, "push")
    assert result.code == 1
    assert "content/posts/broken.md:3: draft:" in result.err
    assert [r[0] for r in stack.admin_sql("select slug from public.posts")] == ["good"]  # type: ignore[attr-defined]

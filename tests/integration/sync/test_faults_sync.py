"""Injected faults during push and pull: nothing lost, nothing duplicated, re-runs converge."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.errors import RemoteError, SyncConflict
from sitegen.sync.push import push
from tests.integration.sync.sync_helpers import (
    count_rows,
    make_site,
    push_post,
    run,
    write_post,
)

pytestmark = pytest.mark.usefixtures("clean_db")
User = Callable[..., object]


def versions(stack: object) -> list[tuple[str, int]]:
    return stack.admin_sql("select slug, version from public.posts order by slug")  # type: ignore[attr-defined]


def base_versions(site: Path) -> dict[str, int]:
    entries = json.loads((site / ".sitegen/sync/base.json").read_text())["entries"]
    return {key.removeprefix("posts/"): entry["version"] for key, entry in entries.items()}


def test_push_and_pull_ride_out_503s_and_dropped_connections(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faults = stack.faults  # type: ignore[attr-defined]
    site = make_site(tmp_path / "author", stack, user=make_user())
    for number in range(30):
        write_post(site, f"p{number:02d}", f"P{number}")
    (site / "content/media/x.bin").write_bytes(b"x" * 1000)
    faults.inject("status", r"^/rest/v1/posts", method="POST", status=503, times=2)
    faults.inject("drop", r"^/rest/v1/rpc/sitegen_manifest", times=1)
    faults.inject("drop", r"^/storage/v1/object/media/", method="POST", times=1)
    assert run(capsys, site, "push").code == 0
    assert count_rows(stack, "posts") == 30
    assert {version for _, version in versions(stack)} == {1}

    reader = make_site(tmp_path / "reader", stack)
    faults.inject("drop", r"^/rest/v1/posts", method="GET", times=1)
    faults.inject("status", r"^/rest/v1/rpc/", status=503, times=2)
    faults.inject("drop", r"^/storage/v1/object/public/", times=1)
    result = run(capsys, reader, "pull")
    assert result.code == 0, result.err
    assert len(list((reader / "content/posts").glob("*.md"))) == 30
    assert (reader / "content/media/x.bin").read_bytes() == b"x" * 1000
    assert faults.active() == []  # every fault was hit


def test_push_cut_off_at_the_second_batch_resumes_without_loss_or_duplicates(
    stack: object, make_user: User, tmp_path: Path
) -> None:
    faults = stack.faults  # type: ignore[attr-defined]
    site = make_site(tmp_path / "site", stack, user=make_user())
    for number in range(1100):
        write_post(site, f"post-{number:04d}", f"Post {number}")

    def break_after_first_batch(message: str) -> None:
        if message.strip() == "sent 1000 of 1100 posts":
            faults.inject("drop", r"^/rest/v1/posts", method="POST", times=None)

    with pytest.raises(RemoteError):
        push(site, notify=break_after_first_batch)
    faults.clear()
    assert count_rows(stack, "posts") == 1000
    assert len(base_versions(site)) == 1000  # the base holds exactly what the server confirmed

    report = push(site)
    assert report.conflicts == [] and report.errors == []
    assert count_rows(stack, "posts") == 1100
    assert {version for _, version in versions(stack)} == {1}
    assert base_versions(site) == dict(versions(stack))


def test_push_killed_midway_and_rerun_ends_consistent(
    stack: object, make_user: User, tmp_path: Path
) -> None:
    faults = stack.faults  # type: ignore[attr-defined]
    site = make_site(tmp_path / "site", stack, user=make_user())
    for number in range(50):
        write_post(site, f"post-{number:02d}", f"Post {number}")
    slow = faults.inject("delay", r"^/rest/v1/posts", method="POST", seconds=3.0, times=1)
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "push", "--site", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    deadline = time.monotonic() + 30
    while slow.hits == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert slow.hits == 1, "the push reached its write"
    process.send_signal(signal.SIGKILL)
    process.wait()

    push(site)  # the killed request may still land meanwhile: either way the re-run converges
    time.sleep(3.5)  # let a delayed write from the killed process finish, then check again
    final = push(site)
    assert final.conflicts == [] and final.errors == []
    assert sum(final.done.values()) == 0
    assert count_rows(stack, "posts") == 50
    assert {version for _, version in versions(stack)} == {1}
    assert base_versions(site) == dict(versions(stack))


def test_a_write_landing_between_plan_and_push_is_a_conflict_and_the_rest_still_lands(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faults = stack.faults  # type: ignore[attr-defined]
    user = make_user()
    slow_site = make_site(tmp_path / "slow", stack, user=user)
    fast_site = make_site(tmp_path / "fast", stack, user=user)
    push_post(capsys, slow_site, "contested", "Contested", "v1\n")
    assert run(capsys, fast_site, "pull").code == 0
    write_post(slow_site, "contested", "Contested", "slow\n")
    write_post(slow_site, "fresh", "Fresh")
    write_post(fast_site, "contested", "Contested", "fast\n")

    slow = faults.inject("delay", r"^/rest/v1/posts", method="POST", seconds=2.0, times=1)
    outcome: dict[str, object] = {}

    def slow_push() -> None:
        try:
            outcome["report"] = push(slow_site)
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=slow_push)
    thread.start()
    deadline = time.monotonic() + 20
    while slow.hits == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert run(capsys, fast_site, "push").code == 0  # lands while the slow write waits
    thread.join(30)

    report = outcome.get("report")
    assert report is not None, outcome.get("error")
    assert [c.key for c in report.conflicts] == ["posts/contested"]  # type: ignore[attr-defined]
    with pytest.raises(SyncConflict):
        report.raise_for_problems()  # type: ignore[attr-defined]
    assert stack.admin_sql(  # type: ignore[attr-defined]
        "select slug, body, version from public.posts order by slug"
    ) == [("contested", "fast\n", 2), ("fresh", "Hello.\n", 1)]


def test_writes_and_deletes_whose_answer_was_lost_are_not_repeated_or_misreported(
    stack: object, make_user: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server applied the request but the answer never came: the retry must not harm."""
    import sitegen.remote.store as store_module

    site = make_site(tmp_path / "site", stack, user=make_user())
    write_post(site, "kept", "Kept", "v1\n")
    write_post(site, "doomed", "Doomed")
    assert push(site).errors == []
    write_post(site, "kept", "Kept", "v2\n")
    (site / "content/posts/doomed.md").unlink()

    real = store_module.with_retries

    def answer_lost_once(operation: Callable[[], object], **kwargs: object) -> object:
        if str(kwargs["describe"]).startswith(("write", "delete")):
            operation()  # applied by the server; its answer is lost, so the client retries
        return real(operation, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "with_retries", answer_lost_once)
    report = push(site, prune=True)
    monkeypatch.undo()
    assert report.conflicts == [] and report.errors == []
    assert stack.admin_sql(  # type: ignore[attr-defined]
        "select slug, body, version from public.posts"
    ) == [("kept", "v2\n", 2)]
    assert base_versions(site) == {"kept": 2}
    assert sum(push(site).done.values()) == 0

"""Round trips through the real stack: content/ -> Supabase -> an empty working copy -> same site."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.sync.sync_helpers import (
    count_requests,
    files_under,
    make_site,
    run,
    wipe_working_copy,
)

pytestmark = pytest.mark.usefixtures("clean_db")


def build_into(site: Path, out: Path) -> dict[str, bytes]:
    from sitegen.build import BuildOptions, build_site

    shutil.rmtree(out, ignore_errors=True)
    build_site(site, BuildOptions(output_dir=out, use_cache=False))
    return files_under(out)


def test_example_site_survives_push_wipe_pull_byte_identical(
    stack: object, make_user: Callable[..., object], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = make_site(tmp_path / "site", stack, example=True, user=make_user())
    original = build_into(site, tmp_path / "out-original")
    assert original, "the example site builds to something"

    pushed = run(capsys, site, "push")
    assert pushed.code == 0, pushed.err
    assert "Pushed" in pushed.out

    wipe_working_copy(site)
    pulled = run(capsys, site, "pull")
    assert pulled.code == 0, pulled.err
    rebuilt = build_into(site, tmp_path / "out-rebuilt")

    assert sorted(rebuilt) == sorted(original)
    assert [name for name in original if original[name] != rebuilt[name]] == []


def test_media_round_trip_downloads_only_changed_files(
    stack: object, make_user: Callable[..., object], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    author = make_site(tmp_path / "author", stack, user=make_user())
    media = author / "content" / "media"
    (media / "img").mkdir()
    (media / "img" / "a.png").write_bytes(b"\x89PNG first")
    (media / "b.txt").write_bytes(b"unchanged bytes")
    assert run(capsys, author, "push").code == 0

    reader = make_site(tmp_path / "reader", stack)
    with count_requests(stack, r"^/storage/v1/object/public/") as downloads:
        assert run(capsys, reader, "pull").code == 0
    assert downloads.hits == 2
    assert files_under(reader / "content" / "media") == files_under(media)

    (media / "img" / "a.png").write_bytes(b"\x89PNG second")
    assert run(capsys, author, "push").code == 0
    with count_requests(stack, r"^/storage/v1/object/public/") as downloads:
        result = run(capsys, reader, "pull")
    assert result.code == 0, result.err
    assert downloads.hits == 1  # only the changed file
    assert (reader / "content" / "media" / "img" / "a.png").read_bytes() == b"\x89PNG second"

    with count_requests(stack, r"^/(rest|storage)/v1/") as requests:
        assert run(capsys, reader, "pull").code == 0
    assert requests.hits == 3  # nothing changed: one manifest per table, no downloads

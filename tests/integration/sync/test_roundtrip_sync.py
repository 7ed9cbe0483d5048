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
    stack: object,
    make_user: Callable[..., object],
    tmp_path: Path,
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
    stack: object,
    make_user: Callable[..., object],
    tmp_path: Path,
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
    assert requests.hits == 4  # nothing changed: one manifest per table, the authors, no downloads


def test_many_media_transfers_are_announced_few_are_not(
    stack: object,
    make_user: Callable[..., object],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    author = make_site(tmp_path / "author", stack, user=make_user())
    media = author / "content" / "media"
    for number in range(9):
        (media / f"f{number}.bin").write_bytes(b"x%d" % number)
    few = run(capsys, author, "push")
    assert few.code == 0 and "uploading" not in few.out
    (media / "f9.bin").write_bytes(b"x9")
    (media / "f10.bin").write_bytes(b"x10")
    assert "uploading" not in run(capsys, author, "push").out  # 2 new ones
    for number in range(11, 21):
        (media / f"f{number}.bin").write_bytes(b"x%d" % number)
    many = run(capsys, author, "push")
    assert many.code == 0 and "  uploading 10 media files...\n" in many.out

    reader = make_site(tmp_path / "reader", stack)
    pulled = run(capsys, reader, "pull")
    assert pulled.code == 0 and "  downloading up to 21 media files...\n" in pulled.out
    assert files_under(reader / "content" / "media") == files_under(media)

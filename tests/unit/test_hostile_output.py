"""Hostile and odd input, issue 17: sitegen never deletes what it did not write, and a failed
build changes nothing in the output folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen.writer import MANIFEST
from tests.fuzz.harness import build, make_site, snapshot


def test_output_folder_with_foreign_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    elsewhere = tmp_path / "x"
    elsewhere.mkdir()
    (elsewhere / "thesis.pdf").write_bytes(b"years of work")
    (elsewhere / "notes").mkdir()
    (elsewhere / "notes" / "a.txt").write_text("mine")
    before = snapshot(elsewhere)
    outcome = build(site, "-o", str(elsewhere))
    assert outcome.code == 1
    assert "sitegen did not write" in outcome.err and "thesis.pdf" in outcome.err
    assert "--clean" in outcome.err
    assert snapshot(elsewhere) == before


def test_symlinked_output_folder_is_held_to_the_same_rule(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("not sitegen's")
    (site / "public").symlink_to(target)
    before = snapshot(target)
    outcome = build(site)
    assert outcome.code == 1 and "keep.txt" in outcome.err
    assert snapshot(target) == before


def test_clean_takes_a_folder_over(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    out = tmp_path / "x"
    out.mkdir()
    (out / "old.html").write_text("old")
    assert build(site, "-o", str(out), "--clean").code == 0
    assert not (out / "old.html").exists() and (out / "index.html").is_file()
    manifest = json.loads((out / MANIFEST).read_text())
    assert "index.html" in manifest["files"] and "old.html" not in manifest["files"]
    # From now on the folder is sitegen's: a later build needs no --clean.
    (site / "content/posts/hello.md").unlink()
    assert build(site, "-o", str(out)).code == 0


def test_files_sitegen_wrote_are_still_cleaned_up(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/pages/about.md": "---\ntitle: About\n---\nx\n"})
    assert build(site).code == 0
    assert (site / "public/about/index.html").is_file()
    (site / "content/pages/about.md").unlink()
    assert build(site).code == 0
    assert not (site / "public/about").exists()


def test_a_file_added_to_the_output_by_hand_is_not_deleted(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    assert build(site).code == 0
    (site / "public/CNAME").write_text("example.org")
    (site / "content/posts/hello.md").write_text("---\ntitle: Changed\n---\nx\n")
    outcome = build(site)
    assert outcome.code == 1 and "CNAME" in outcome.err
    assert (site / "public/CNAME").read_text() == "example.org"


def test_dot_files_in_the_output_folder_are_never_touched(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    out = site / "public"
    (out / ".git").mkdir(parents=True)
    (out / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    assert build(site).code == 0
    assert (out / ".git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (out / "index.html").is_file()


def test_a_link_in_the_output_folder_is_removed_not_followed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    assert build(site).code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    # Where a page of the site goes, a link to a folder outside (sitegen's own, by --clean).
    (site / "content/pages").mkdir(parents=True)
    (site / "public/about").symlink_to(outside)
    (site / "content/pages/about.md").write_text("---\ntitle: About\n---\nx\n")
    assert build(site, "--clean").code == 0
    assert not (site / "public/about").is_symlink()
    assert (site / "public/about/index.html").is_file()
    assert snapshot(outside) == {"precious.txt": ("file", b"keep")}


def test_a_page_behind_a_link_in_the_output_is_written_even_if_the_same(tmp_path: Path) -> None:
    """The bytes behind a link to a folder may equal the page: the page is still written."""
    site = make_site(tmp_path / "site", {"content/pages/about.md": "---\ntitle: About\n---\nx\n"})
    assert build(site).code == 0
    outside = tmp_path / "outside"
    (site / "public/about").rename(outside)
    (site / "public/about").symlink_to(outside)
    (site / "content/pages/about.md").write_text("---\ntitle: About\n---\nx\n\n")
    assert build(site, "--clean").code == 0
    assert not (site / "public/about").is_symlink()
    assert (site / "public/about/index.html").is_file()


@pytest.mark.parametrize(
    "pattern",
    [
        "/feed.xml/{slug}/",
        "/index.html/{slug}/",
        "/robots.txt/{slug}/",
        "/404.html/{slug}/",
        "/sitemap.xml/{slug}/",
        "/media/x.svg/{slug}/",
    ],
)
@pytest.mark.parametrize("kind", ["post", "tag"])
def test_a_permalink_through_an_output_file_fails_and_changes_nothing(
    tmp_path: Path, pattern: str, kind: str
) -> None:
    site = make_site(tmp_path / "site", {"content/media/x.svg": "<svg/>"})
    assert build(site).code == 0
    before = snapshot(site / "public")
    with (site / "sitegen.toml").open("a") as handle:
        handle.write(f'[permalinks]\n{kind} = "{pattern}"\n')
    outcome = build(site)
    assert outcome.code == 1, outcome.err
    assert "Traceback" not in outcome.err and "NotADirectoryError" not in outcome.err
    assert "both want" in outcome.err or "inside" in outcome.err
    assert snapshot(site / "public") == before


def test_a_page_replacing_a_stale_file_by_a_folder_builds(tmp_path: Path) -> None:
    """`/a.html` was a page; now `/a.html/x/` is: the stale file goes just before the folder."""
    site = make_site(tmp_path / "site", {"content/pages/a.md": "---\ntitle: A\n---\nx\n"})
    with (site / "sitegen.toml").open("a") as handle:
        handle.write('[permalinks]\npage = "/{slug}.html"\n')
    assert build(site).code == 0
    assert (site / "public/a.html").is_file()
    (site / "content/pages/a.md").unlink()
    (site / "content/pages/a.html").mkdir()
    (site / "content/pages/a.html/x.md").write_text("---\ntitle: X\nslug: a-html/x\n---\nx\n")
    text = (site / "sitegen.toml").read_text().replace("/{slug}.html", "/{slug}/")
    (site / "sitegen.toml").write_text(text)
    assert build(site).code == 0


def test_staging_folder_that_is_a_file_or_link_is_an_error(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    staging = site / ".public.sitegen-staging"
    staging.write_text("not a folder")
    outcome = build(site)
    assert outcome.code == 1 and ".public.sitegen-staging" in outcome.err
    assert staging.read_text() == "not a folder"
    staging.unlink()
    target = tmp_path / "target"
    target.mkdir()
    (target / "f").write_text("keep")
    staging.symlink_to(target)
    outcome = build(site)
    assert outcome.code == 1 and "symbolic link" in outcome.err
    assert snapshot(target) == {"f": ("file", b"keep")}


@pytest.mark.parametrize("kind", ["file", "link"])
def test_dot_sitegen_that_is_a_file_or_link_is_an_error(tmp_path: Path, kind: str) -> None:
    site = make_site(tmp_path / "site")
    if kind == "file":
        (site / ".sitegen").write_text("x")
    else:
        (tmp_path / "elsewhere").mkdir()
        (site / ".sitegen").symlink_to(tmp_path / "elsewhere")
    outcome = build(site)
    assert outcome.code == 1 and ".sitegen" in outcome.err
    assert "Traceback" not in outcome.err
    if kind == "link":
        assert list((tmp_path / "elsewhere").iterdir()) == []


def test_an_output_folder_from_before_manifests_is_adopted(tmp_path: Path) -> None:
    """The build state says which files an earlier build wrote: those are sitegen's."""
    site = make_site(tmp_path / "site")
    assert build(site).code == 0
    (site / "public" / MANIFEST).unlink()
    (site / "content/posts/hello.md").write_text("---\ntitle: Changed\n---\nx\n")
    assert build(site).code == 0
    assert "index.html" in json.loads((site / "public" / MANIFEST).read_text())["files"]


def test_an_unchanged_rebuild_does_not_rewrite_the_manifest(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/pages/a.md": "---\ntitle: A\n---\nx\n"})
    assert build(site).code == 0
    manifest = site / "public" / MANIFEST
    stamp = manifest.stat().st_mtime_ns
    (site / "content/pages/a.md").write_text("---\ntitle: A\n---\ny\n")
    assert build(site).code == 0
    assert manifest.stat().st_mtime_ns == stamp

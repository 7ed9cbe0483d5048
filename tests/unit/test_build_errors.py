"""Invalid fixture sites fail with exactly these messages, and never touch the output folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build_site
from sitegen.errors import SitegenError
from tests.golden.trees import FIXTURE_SITES, read_tree, write_files

EXPECTED = {
    "invalid-yaml": """\
content/posts/bad.md:4: invalid YAML in the front matter: did not find expected ',' or ']'
  hint: check the indentation, and quote values that contain `:` or `#`
build failed with 1 error; the output folder was left untouched""",
    "invalid-front-matter": """\
content/posts/bad-date.md:3: date: '2023-13-45' is not an ISO date
  hint: use an ISO date such as `2024-05-01` or `2024-05-01T09:30:00+02:00`
content/posts/bad-date.md:4: draft: must be true or false, not 'sometimes'
  hint: use `draft: true` or `draft: false`
content/posts/untitled.md:1: title: is required
  hint: add a title, e.g. `title: "My first post"`, or start the body with `# My first post`
build failed with 3 errors; the output folder was left untouched""",
    "invalid-config": """\
sitegen.toml:5: feeds.formt: unknown key
  hint: did you mean `format`? keys in [feeds]: enabled, format, per_tag, limit""",
    "invalid-duplicate": """\
content/posts/hello.md:1: slug: URL /posts/hello/ is also used by content/pages/other.md
  hint: give one of the two files another slug (`slug: ...`)
content/posts/other.md:1: slug: key posts/hello is also used by content/posts/hello.md
  hint: give one of the two files another slug (`slug: ...`)
build failed with 2 errors; the output folder was left untouched""",
    "invalid-template": """\
templates/page.html:4: 'sitegen.views.Page object' has no attribute 'subtitle' (rendering content/pages/fine.md)
  hint: fix the template, or the value it uses
build failed with 1 error; the output folder was left untouched""",
}

BROKEN_LINKS = """\
content/posts/links.md:8: broken link 'nowhere.md': no page, post, media or static file there
  hint: link to the other file relative to this one, e.g. `../pages/about.md`
content/posts/links.md:10: missing media file '../media/gone.png'
  hint: put the file under content/media/ and link to it relative to this file, e.g. `../media/cat.png`
content/posts/links.md:1: cover: missing media file 'missing-cover.png'
  hint: put the file under content/media/, e.g. `cover: /media/cover.jpg`"""


def _copy(name: str, tmp_path: Path) -> Path:
    site = tmp_path / name
    shutil.copytree(FIXTURE_SITES / name, site)
    return site


@pytest.mark.parametrize("name", list(EXPECTED))
def test_invalid_site_reports_every_error_exactly(name: str, tmp_path: Path) -> None:
    site = _copy(name, tmp_path)
    with pytest.raises(SitegenError) as info:
        build_site(site, BuildOptions())
    assert str(info.value) == EXPECTED[name]
    assert not (site / "public").exists()


def test_broken_links_are_warnings_by_default_and_errors_when_strict(tmp_path: Path) -> None:
    site = _copy("broken-links", tmp_path)
    result = build_site(site, BuildOptions())
    assert "\n".join(str(w) for w in result.warnings) == BROKEN_LINKS
    assert b'href="nowhere.md"' in (site / "public/posts/links/index.html").read_bytes()
    with pytest.raises(SitegenError) as info:
        build_site(site, BuildOptions(strict=True))
    assert (
        str(info.value)
        == BROKEN_LINKS + "\nbuild failed with 3 errors; the output folder was left untouched"
    )


def test_failed_build_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    site = _copy("tiny", tmp_path)
    build_site(site, BuildOptions())
    before = read_tree(site / "public")
    stats = {p: (site / "public" / p).stat().st_mtime_ns for p in before}
    write_files(
        site,
        {
            "content/posts/first.md": "---\ntitle: [\n---\n",
            "content/posts/new.md": "---\ntitle: New\n---\nNew post.\n",
        },
    )
    with pytest.raises(SitegenError):
        build_site(site, BuildOptions())
    assert read_tree(site / "public") == before
    assert {p: (site / "public" / p).stat().st_mtime_ns for p in before} == stats
    assert not list(tmp_path.glob(".*staging*")) and not list(site.glob(".*staging*"))


def test_template_error_at_render_time_leaves_output_untouched(tmp_path: Path) -> None:
    site = _copy("tiny", tmp_path)
    build_site(site, BuildOptions())
    before = read_tree(site / "public")
    write_files(site, {"templates/post.html": "{{ page.title }}\n{{ 1 / 0 }}\n"})
    with pytest.raises(SitegenError) as info:
        build_site(site, BuildOptions())
    assert str(info.value).startswith(
        "templates/post.html:2: ZeroDivisionError: division by zero (rendering content/posts/"
    )
    assert read_tree(site / "public") == before


def test_output_folder_cannot_hold_the_site(tmp_path: Path) -> None:
    site = _copy("tiny", tmp_path)
    for bad in (site, tmp_path, site / "content" / "x"):
        with pytest.raises(SitegenError, match="cannot be the output folder"):
            build_site(site, BuildOptions(output_dir=bad))


def test_a_build_warns_about_unresolved_conflict_markers_and_strict_refuses(
    tmp_path: Path,
) -> None:
    """The markers sync writes must not reach the published site unnoticed. (A build used to
    drop each document's body before the check, so it never warned.)"""
    site = tmp_path / "site"
    body = "Intro.\n\n<<<<<<< local\nMine.\n=======\nTheirs.\n>>>>>>> remote\n"
    write_files(
        site,
        {
            "sitegen.toml": 'title = "T"\nbase_url = "https://example.org/"\n',
            "content/posts/merged.md": f"---\ntitle: M\ndate: 2024-01-01\n---\n{body}",
            "content/posts/heading.md": "---\ntitle: H\ndate: 2024-01-02\n---\nTitle\n=======\n",
        },
    )
    [warning] = build_site(site).warnings
    assert (warning.file, warning.line) == ("content/posts/merged.md", 7)
    assert "unresolved merge conflict markers" in str(warning)
    before = read_tree(site / "public")
    with pytest.raises(SitegenError, match="unresolved merge conflict markers"):
        build_site(site, BuildOptions(strict=True, use_cache=False))
    assert read_tree(site / "public") == before

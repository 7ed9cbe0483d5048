"""Authors as people in a real build: profiles (files and sitegen.toml), bylines, author pages
and feeds, `<author>` in every feed entry, and the errors and warnings around them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sitegen.errors import BuildFailed
from tests.golden.trees import EPOCH, clean_build, write_files

ATOM = "{http://www.w3.org/2005/Atom}"
TOML = 'title = "Team blog"\nbase_url = "https://e.org/blog/"\nauthor = "The Team"\n'
PROFILES = """
[authors.grace]
name = "Grace Hopper"
bio = "Found the first bug."
"""


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def post(title: str, date: str, front: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{front}---\nText of {title}.\n"


def team_site(root: Path, **extra: str) -> Path:
    files = {
        "sitegen.toml": TOML + PROFILES,
        "content/authors/ada.md": "---\nname: Ada Lovelace\nbio: Wrote the first program.\n"
        "avatar: media/ada.png\n---\n",
        "content/media/ada.png": "png",
        "content/posts/both.md": post("Both", "2023-03-02", "authors: [ada, grace]\n"),
        "content/posts/ada-alone.md": post("Alone", "2023-03-01", "author: ada\n"),
        "content/posts/plain.md": post("Plain", "2023-02-01", "author: [Edsger Dijkstra, Alan]\n"),
        "content/posts/nobody.md": post("Nobody", "2023-01-01"),
        **extra,
    }
    write_files(root, files)
    return root


def test_posts_name_their_authors_with_links_and_plain_names_as_written(tmp_path: Path) -> None:
    _, tree = clean_build(team_site(tmp_path / "site"), tmp_path / "out")
    both = tree["posts/both/index.html"].decode()
    assert (
        'by <a href="/blog/authors/ada/" rel="author">Ada Lovelace</a> and '
        '<a href="/blog/authors/grace/" rel="author">Grace Hopper</a>'
    ) in both
    plain = tree["posts/plain/index.html"].decode()
    assert "by Edsger Dijkstra and Alan</span>" in plain
    assert "[" not in plain.split('meta__item">by', 1)[1].split("</span>")[0]  # never a repr
    assert "by " not in tree["posts/nobody/index.html"].decode().split('class="meta"')[1][:200]


def test_author_pages_list_their_posts_and_have_feeds(tmp_path: Path) -> None:
    _, tree = clean_build(team_site(tmp_path / "site"), tmp_path / "out")
    ada = tree["authors/ada/index.html"].decode()
    assert "<h1>Ada Lovelace</h1>" in ada and "Wrote the first program." in ada
    assert 'src="/blog/media/ada.png"' in ada
    assert ada.index("/blog/posts/both/") < ada.index("/blog/posts/ada-alone/")
    assert "/blog/posts/plain/" not in ada
    grace = tree["authors/grace/index.html"].decode()
    assert "/blog/posts/both/" in grace and "/blog/posts/ada-alone/" not in grace

    feed = ET.fromstring(tree["authors/ada/feed.xml"])
    assert feed.find(f"{ATOM}title").text == "Team blog: Ada Lovelace"  # type: ignore[union-attr]
    assert [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")] == ["Both", "Alone"]  # type: ignore[union-attr]
    assert "authors/ada/" in tree["sitemap.xml"].decode()
    assert "authors/plain/index.html" not in tree  # no profile, no page


def test_every_feed_entry_names_its_authors(tmp_path: Path) -> None:
    _, tree = clean_build(team_site(tmp_path / "site"), tmp_path / "out")
    feed = ET.fromstring(tree["feed.xml"])  # the main feed stays at the root
    authors = {
        entry.find(f"{ATOM}title").text: [  # type: ignore[union-attr]
            (a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri"))
            for a in entry.findall(f"{ATOM}author")
        ]
        for entry in feed.iter(f"{ATOM}entry")
    }
    assert authors == {
        "Both": [
            ("Ada Lovelace", "https://e.org/blog/authors/ada/"),
            ("Grace Hopper", "https://e.org/blog/authors/grace/"),
        ],
        "Alone": [("Ada Lovelace", "https://e.org/blog/authors/ada/")],
        "Plain": [("Edsger Dijkstra", None), ("Alan", None)],
        "Nobody": [("The Team", None)],  # the site's author
    }


def test_rss_entries_name_their_authors(tmp_path: Path) -> None:
    site = team_site(tmp_path / "site")
    (site / "sitegen.toml").write_text(TOML + PROFILES + '[feeds]\nformat = "rss"\n')
    _, tree = clean_build(site, tmp_path / "out")
    feed = ET.fromstring(tree["feed.xml"])
    creators = [
        [c.text for c in item.findall("{http://purl.org/dc/elements/1.1/}creator")]
        for item in feed.iter("item")
    ]
    assert creators[0] == ["Ada Lovelace", "Grace Hopper"] and creators[-1] == []


def test_an_unknown_author_slug_is_a_warning_with_did_you_mean(tmp_path: Path) -> None:
    site = team_site(
        tmp_path / "site", **{"content/posts/typo.md": post("Typo", "2023-04-01", "author: adda\n")}
    )
    result, tree = clean_build(site, tmp_path / "out")
    [warning] = [w for w in result.warnings if "adda" in str(w)]
    assert warning.file == "content/posts/typo.md" and warning.field == "author"
    assert "did you mean `ada`?" in str(warning)
    assert "by adda</span>" in tree["posts/typo/index.html"].decode()
    with pytest.raises(BuildFailed):
        clean_build(site, tmp_path / "strict", strict=True)


def test_the_same_slug_in_a_file_and_in_sitegen_toml_is_an_error_naming_both(
    tmp_path: Path,
) -> None:
    site = team_site(tmp_path / "site", **{"content/authors/grace.md": "---\nname: Grace\n---\n"})
    with pytest.raises(BuildFailed) as info:
        clean_build(site, tmp_path / "out")
    [error] = info.value.errors
    assert error.file == "content/authors/grace.md"
    assert "sitegen.toml [authors.grace]" in str(error)


def test_profile_problems_are_reported_with_file_line_and_field(tmp_path: Path) -> None:
    site = team_site(
        tmp_path / "site",
        **{
            "content/authors/alan.md": "---\nbio: no name\n---\n",
            "content/authors/bob.md": "---\nname: Bob\nbiography: typo\n---\n",
        },
    )
    with pytest.raises(BuildFailed) as info:
        clean_build(site, tmp_path / "out")
    [error] = info.value.errors
    assert (error.file, error.field) == ("content/authors/alan.md", "name")
    (site / "content/authors/alan.md").unlink()
    result, _ = clean_build(site, tmp_path / "out")
    [warning] = [w for w in result.warnings if w.file == "content/authors/bob.md"]
    assert (warning.line, warning.field) == (3, "biography") and "did you mean `bio`" in str(
        warning
    )


def test_a_site_without_profiles_gets_no_author_pages_and_no_warnings(tmp_path: Path) -> None:
    write_files(
        tmp_path / "site",
        {
            "sitegen.toml": TOML,
            "content/posts/a.md": post("A", "2023-01-01", "author: someone\n"),
        },
    )
    result, tree = clean_build(tmp_path / "site", tmp_path / "out")
    assert not [w for w in result.warnings if "author" in str(w)]
    assert not [path for path in tree if path.startswith("authors/")]
    assert "by someone</span>" in tree["posts/a/index.html"].decode()

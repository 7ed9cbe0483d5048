"""Hostile and odd input, issue 17: every case gives exit 1 with a message naming the file (and
line), never a traceback, a hang or a huge message; the previous output stays as it was."""

from __future__ import annotations

import time
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.fuzz.harness import POST, build, make_site, snapshot


def _fails_cleanly(site: Path, *needles: str, args: tuple[str, ...] = ()) -> str:
    """Build twice (good, then after the change made by the caller) and check the second fails
    cleanly, names what it must, and leaves the output unchanged."""
    outcome = build(site, *args)
    assert outcome.code == 1, (outcome.code, outcome.err)
    assert "Traceback" not in outcome.err
    for needle in needles:
        assert needle in outcome.err, outcome.err
    assert len(outcome.err) < 4000
    return outcome.err


def _site_with_output(tmp_path: Path, files: dict[str, str | bytes] | None = None) -> Path:
    site = make_site(tmp_path / "site", files)
    assert build(site).code == 0
    return site


def _post(site: Path, front: str, body: str = "text\n", name: str = "bad.md") -> None:
    (site / "content/posts" / name).write_text(f"---\n{front}---\n{body}", encoding="utf-8")


# --- front matter ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "line", "field"),
    [
        ("title: !!int abc\n", 2, "int"),
        ("title: !!float abc\n", 2, "float"),
        ("title: x\ndraft: !!bool maybe\n", 3, "bool"),
        ("title: x\ndate: !!timestamp foo\n", 3, "date"),
        ("title: a\x00b\n", 2, "control character"),
        ("title: a\x0cb\n", 2, "control character"),
        ("title: x\ndate: 0001-01-01T00:00:00+01:00\n", 3, "date"),
        ("title: x\ndate: 9999-12-31T23:59:59-12:00\n", 3, "date"),
        ("title: x\nslug: " + "a" * 256 + "\n", 3, "slug"),
        ("title: x\ncover: 'javascript:alert(1)'\n", 3, "cover"),
        ("title: x\ncover: ' JavaScript:alert(1)'\n", 3, "cover"),
        ("title: x\ncover: '//evil.example/x.png'\n", 3, "cover"),
    ],
)
def test_bad_front_matter_is_an_error_with_file_and_line(
    tmp_path: Path, front: str, line: int, field: str
) -> None:
    site = _site_with_output(tmp_path)
    before = snapshot(site / "public")
    _post(site, front)
    _fails_cleanly(site, f"content/posts/bad.md:{line}:", field)
    assert snapshot(site / "public") == before


def test_javascript_cover_never_reaches_the_page(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    _post(site, "title: x\ncover: 'javascript:alert(1)'\n")
    _fails_cleanly(site, "cover")
    assert not (site / "public").exists()


def test_a_site_relative_cover_still_works(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/media/c.png": b"png"})
    _post(site, "title: x\ncover: media/c.png\n")
    assert build(site).code == 0
    assert 'src="/media/c.png"' in (site / "public/posts/bad/index.html").read_text()


def test_a_long_file_name_gives_a_clean_error(tmp_path: Path) -> None:
    site = _site_with_output(tmp_path)
    _post(site, "title: x\n", name="a" * 240 + ".md")
    _fails_cleanly(site, "slug")


@pytest.mark.parametrize("key", ["title", "draft", "tags"])
def test_billion_laughs_is_refused_at_once_with_a_short_message(tmp_path: Path, key: str) -> None:
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    site = _site_with_output(tmp_path)
    front = laughs + f"{key}: *i\n" + ("title: x\n" if key != "title" else "")
    _post(site, front)
    began = time.perf_counter()
    _fails_cleanly(site, "content/posts/bad.md:", "aliases")
    assert time.perf_counter() - began < 10


def test_error_messages_cut_long_values(tmp_path: Path) -> None:
    site = _site_with_output(tmp_path)
    _post(site, "title: x\ndraft: '" + "y" * 100_000 + "'\n")
    err = _fails_cleanly(site, "content/posts/bad.md:3:", "draft")
    assert len(err) < 1000


# --- limits ------------------------------------------------------------------------------


def test_three_thousand_tags_are_over_the_limit(tmp_path: Path) -> None:
    site = _site_with_output(tmp_path)
    tags = ", ".join(f"t{i}" for i in range(3000))
    _post(site, f"title: x\ntags: [{tags}]\n")
    _fails_cleanly(site, "content/posts/bad.md:3:", "tags", "3,000 tags", "tags_per_document")


def test_limits_are_configurable(tmp_path: Path) -> None:
    site = _site_with_output(tmp_path)
    _post(site, "title: x\ntags: [a, b, c]\n", body="# one\n\n```\n# not a heading\n```\n# two\n")
    with (site / "sitegen.toml").open("a") as handle:
        handle.write("[limits]\ntags_per_document = 3\nheadings_per_document = 2\n")
    assert build(site).code == 0
    text = (site / "sitegen.toml").read_text().replace("= 3", "= 2").replace("= 2\n", "= 1\n")
    (site / "sitegen.toml").write_text(text)
    err = _fails_cleanly(site, "tags", "headings")
    assert "content/posts/bad.md:10:" in err  # the second heading (code blocks do not count)


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    site = _site_with_output(tmp_path)
    _post(site, "title: x\n", body="word " * 1000)
    with (site / "sitegen.toml").open("a") as handle:
        handle.write("[limits]\ndocument_bytes = 1000\n")
    _fails_cleanly(site, "content/posts/bad.md", "document_bytes")


# --- sitegen.toml ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        "/posts/{slug:d}/",
        "/posts/{year:>5}/{slug}/",
        "/posts/{slug:>10000}/",
        "/posts/{slug:>100000000}/",
        "/posts/{slug!r}/",
        "/posts/{slug.upper}/",
        "/./{slug}/",
        "/posts/\\u0000/{slug}/",
        "/posts/{slug/",
    ],
)
def test_permalink_placeholders_are_bare_names(tmp_path: Path, pattern: str) -> None:
    site = _site_with_output(tmp_path)
    before = snapshot(site / "public")
    with (site / "sitegen.toml").open("a") as handle:
        handle.write(f'[permalinks]\npost = "{pattern}"\n')
    began = time.perf_counter()
    _fails_cleanly(site, "sitegen.toml", "permalinks.post")
    assert time.perf_counter() - began < 10
    assert snapshot(site / "public") == before
    assert all(p.stat().st_size < 1_000_000 for p in (site / ".sitegen").rglob("*") if p.is_file())


@pytest.mark.parametrize(
    "line",
    [
        'output_dir = "pub\\u0000lic"',
        'output_dir = "' + "p" * 256 + '"',
        'output_dir = "' + "p" * 230 + '"',
        'base_url = "https://example.org/\\u0001/"',
        'base_url = "https://exa\\u001bmple.org/"',
        "posts_per_page = " + "9" * 5000,
        "x = " + "[" * 5000 + "]" * 5000,
        "x = " + "{a = " * 3000 + "1" + "}" * 3000,
    ],
)
def test_bad_config_values_are_clean_errors(tmp_path: Path, line: str) -> None:
    site = _site_with_output(tmp_path)
    before = snapshot(site / "public")
    text = (site / "sitegen.toml").read_text().replace('base_url = "https://example.org/"\n', "")
    (site / "sitegen.toml").write_text(line + "\n" + text)
    _fails_cleanly(site, "sitegen.toml")
    assert snapshot(site / "public") == before


# --- the file system ---------------------------------------------------------------------


@pytest.mark.parametrize("where", ["content/media/passwd", "static/passwd"])
def test_a_link_out_of_the_site_is_an_error_naming_it(tmp_path: Path, where: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    site = _site_with_output(tmp_path)
    before = snapshot(site / "public")
    (site / where).parent.mkdir(parents=True, exist_ok=True)
    (site / where).symlink_to(secret)
    _fails_cleanly(site, where, "outside the site")
    assert snapshot(site / "public") == before
    assert not any(b"root:x" in data for _, data in snapshot(site / "public").values())


@pytest.mark.parametrize("target", [".env", ".sitegen", ".git/config"])
def test_a_link_to_a_hidden_file_of_the_site_is_an_error(tmp_path: Path, target: str) -> None:
    site = _site_with_output(tmp_path)
    (site / target).parent.mkdir(parents=True, exist_ok=True)
    if not (site / target).exists():
        (site / target).write_text("SUPABASE_KEY=secret")
    (site / "content/media").mkdir(parents=True, exist_ok=True)
    (site / "content/media/leak").symlink_to(site / target)
    _fails_cleanly(site, "content/media/leak", "hidden")
    assert not (site / "public/media/leak").exists()


def test_a_media_folder_linked_out_of_the_site_is_an_error(tmp_path: Path) -> None:
    outside = tmp_path / "photos"
    outside.mkdir()
    (outside / "private.jpg").write_bytes(b"private")
    site = _site_with_output(tmp_path)
    (site / "content/media").mkdir(parents=True, exist_ok=True)
    (site / "content/media/album").symlink_to(outside)
    _fails_cleanly(site, "content/media/album", "outside the site")
    assert not (site / "public/media/album").exists()


def test_a_theme_linked_out_of_the_site_is_an_error(tmp_path: Path) -> None:
    import sitegen

    builtin = Path(sitegen.__file__).parent / "themes" / "default"
    site = _site_with_output(tmp_path)
    (site / "themes").mkdir()
    (site / "themes" / "mine").symlink_to(builtin)
    with (site / "sitegen.toml").open("a") as handle:
        handle.write('theme = "mine"\n')
    text = (site / "sitegen.toml").read_text()
    (site / "sitegen.toml").write_text('theme = "mine"\n' + text.replace('theme = "mine"\n', ""))
    _fails_cleanly(site, "themes/mine", "outside the site")


def test_a_link_within_the_site_is_followed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"assets/logo.svg": "<svg/>"})
    (site / "content/media").mkdir(parents=True)
    (site / "content/media/logo.svg").symlink_to(site / "assets/logo.svg")
    assert build(site).code == 0
    assert (site / "public/media/logo.svg").read_text() == "<svg/>"


@pytest.mark.parametrize("kind", ["self", "ancestor", "pair"])
def test_symlink_loops_are_errors_naming_the_path(tmp_path: Path, kind: str) -> None:
    site = _site_with_output(tmp_path)
    media = site / "content/media"
    media.mkdir(parents=True, exist_ok=True)
    if kind == "self":
        (media / "loop").symlink_to(media / "loop")
    elif kind == "ancestor":
        (media / "up").symlink_to(media)
    else:
        (media / "a").symlink_to(media / "b")
        (media / "b").symlink_to(media / "a")
    _fails_cleanly(site, "content/media/", "loop")


def test_a_file_name_that_is_not_utf8_is_named_escaped(tmp_path: Path) -> None:
    site = _site_with_output(tmp_path)
    folder = str(site / "content/posts").encode()
    with open(folder + b"/caf\xe9.md", "w", encoding="utf-8") as handle:
        handle.write(POST)
    _fails_cleanly(site, "caf\\xe9.md", "UTF-8")


def test_unreadable_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions do not stop root (CI): the OS error is made the way chmod 0 makes it."""
    import errno
    import os

    site = _site_with_output(tmp_path)
    before = snapshot(site / "public")
    _post(site, "title: x\n")
    real_open = os.open

    def unreadable(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("bad.md"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", unreadable)
    _fails_cleanly(site, "bad.md", "permission")
    monkeypatch.undo()
    assert snapshot(site / "public") == before


def test_unreadable_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    site = _site_with_output(tmp_path)
    (site / "content/media/private").mkdir(parents=True)
    real_scandir = os.scandir

    def unreadable(path: object) -> object:
        if str(path).endswith("private"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", unreadable)
    _fails_cleanly(site, "content/media/private", "permission")


def test_read_only_output_is_a_clean_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions do not stop root: the OS error is made the way a read-only disk makes it."""
    import errno
    import os

    site = _site_with_output(tmp_path)
    before = snapshot(site / "public")
    _post(site, "title: New\n")
    real_replace = os.replace

    def read_only(src: object, dst: object) -> None:
        if "public" in str(dst):
            raise OSError(errno.EROFS, "Read-only file system", str(dst))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", read_only)
    err = _fails_cleanly(site, "public", "read-only")
    assert "Traceback" not in err
    monkeypatch.undo()
    assert {k: v for k, v in snapshot(site / "public").items() if "manifest" not in k} == {
        k: v for k, v in before.items() if "manifest" not in k
    }


def test_a_file_where_a_content_folder_should_be(tmp_path: Path) -> None:
    site = _site_with_output(tmp_path)
    (site / "content/media").write_text("not a folder")
    assert build(site).code == 0  # not a folder: no media, as an absent folder


# --- valid XML ---------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x01", "\x0c", "\x1b"])
def test_feeds_and_sitemap_stay_well_formed(tmp_path: Path, char: str) -> None:
    site = make_site(tmp_path / "site")
    escaped = f"\\x{ord(char):02x}"
    (site / "content/posts/bad.md").write_text(
        f'---\ntitle: "a{escaped}b"\nsummary: "s{escaped}"\ntags: [news]\n---\nbody {char} text\n',
        encoding="utf-8",
    )
    assert build(site).code == 0
    for name in ("feed.xml", "sitemap.xml", "tags/news/feed.xml"):
        ElementTree.parse(site / "public" / name)


def test_rss_stays_well_formed(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        toml='title = "T\\u0001"\ndescription = "D\\u000c"\n[feeds]\nformat = "rss"\n',
    )
    (site / "content/posts/bad.md").write_text("---\ntitle: x\n---\nbody \x01 \x1b text\n")
    assert build(site).code == 0
    ElementTree.parse(site / "public/feed.xml")


@pytest.mark.parametrize("damage", ["folder", "junk"])
def test_a_damaged_build_cache_is_a_clean_error(tmp_path: Path, damage: str) -> None:
    site = _site_with_output(tmp_path)
    store = site / ".sitegen/build-docs.sqlite"
    for leftover in store.parent.glob("build-docs.sqlite*"):
        leftover.unlink()
    if damage == "folder":
        store.mkdir()
    else:
        store.write_bytes(b"not a database" * 100)
    _post(site, "title: x\n")
    _fails_cleanly(site, ".sitegen", "cache")


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("media/a.png", True),
        ("/media/a.png", True),
        ("../media/a.png", True),
        ("https://example.org/a.png", True),
        ("HTTP://example.org/a.png", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("vbscript:x", False),
        ("data:image/svg+xml,<svg onload=alert(1)>", False),
        ("//evil.example/a.png", False),
        ("\\\\evil.example\\a.png", False),
        ("/\\evil.example/a.png", False),
        ("https:evil.example", False),
        ("", False),
    ],
)
def test_cover_references(value: str, safe: bool) -> None:
    from sitegen.frontmatter import is_safe_reference

    assert is_safe_reference(value) is safe


def test_messages_never_print_a_huge_value() -> None:
    from sitegen.errors import quote

    assert len(quote("x" * 1_000_000)) <= 120
    assert len(quote([[["lol"] * 9] * 9] * 9)) <= 120
    assert quote(10**4999) == "<a number of more than 300 digits>"


def test_a_huge_broken_link_is_cut_in_the_message(tmp_path: Path) -> None:
    site = _site_with_output(tmp_path)
    _post(site, "title: x\n", body="[x](" + "a" * 100_000 + ".md)\n")
    err = _fails_cleanly(site, "content/posts/bad.md:", "broken link", args=("--strict",))
    assert len(err) < 1000

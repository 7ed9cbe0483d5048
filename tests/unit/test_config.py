from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import find_site_dir, load_config, parse_config
from sitegen.errors import ConfigError


def _error(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "sitegen.toml")
    return str(info.value)


def test_defaults_and_base_url_normalised() -> None:
    config = parse_config('title = "T"\nbase_url = "https://example.org/blog"\n', "sitegen.toml")
    assert config.base_url == "https://example.org/blog/"
    assert config.base_path == "/blog/"
    assert (config.output_dir, config.posts_per_page, config.feeds.format) == ("public", 10, "atom")
    assert config.permalinks.post == "/posts/{slug}/"


def test_unknown_key_suggests_the_closest() -> None:
    assert _error('title = "T"\n[feeds]\nfromat = "rss"\n') == (
        "sitegen.toml:3: feeds.fromat: unknown key\n"
        "  hint: did you mean `format`? keys in [feeds]: enabled, format, per_tag, limit"
    )


def test_bad_values_name_key_line_value_and_allowed_values() -> None:
    assert _error('title = "T"\n\n[feeds]\nformat = "json"\n') == (
        "sitegen.toml:4: feeds.format: 'json' is not allowed: input should be 'atom' or 'rss'\n"
        '  hint: use "atom" or "rss"'
    )
    assert _error('title = "T"\nbase_url = "example.org"\n').startswith(
        "sitegen.toml:2: base_url: 'example.org' is not an absolute http(s) URL"
    )
    assert "uses unknown placeholder {yr}" in _error(
        'title="T"\n[permalinks]\npost = "/{yr}/{slug}/"\n'
    )
    assert "must contain {slug}" in _error('title="T"\n[permalinks]\ntag = "/tags/"\n')
    assert "{year}" in _error('title="T"\n[permalinks]\npage = "/{year}/{slug}/"\n')
    assert "cannot be the output folder" in _error('title="T"\noutput_dir = "../x"\n')
    # the same rule as the build's (paths.holds_site_files): inside an input folder is refused too
    assert "cannot be the output folder" in _error('title="T"\noutput_dir = "content/out"\n')
    assert "cannot be the output folder" in _error('title="T"\noutput_dir = ".sitegen"\n')


def test_several_errors_are_reported_together() -> None:
    text = _error('titel = "T"\nposts_per_page = 0\n')
    assert (
        "title: is required" in text and "titel: unknown key" in text and "posts_per_page" in text
    )


def test_toml_syntax_error_has_a_line() -> None:
    assert _error('title = "T"\nbroken = \n').startswith("sitegen.toml:2: invalid TOML:")


def test_find_site_dir_walks_up(tmp_path: Path) -> None:
    (tmp_path / "sitegen.toml").write_text('title = "T"\n')
    nested = tmp_path / "content" / "posts"
    nested.mkdir(parents=True)
    assert find_site_dir(nested) == tmp_path.resolve()
    assert load_config(tmp_path).title == "T"


def test_find_site_dir_without_config_says_run_init(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="run `sitegen init`"):
        find_site_dir(tmp_path)


def test_resolve_site_checks_site_or_finds_the_nearest(tmp_path, monkeypatch) -> None:
    from sitegen.config import resolve_site

    (tmp_path / "sitegen.toml").write_text('title = "T"\n')
    (tmp_path / "content" / "posts").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "content" / "posts")
    assert resolve_site(None) == tmp_path.resolve()
    assert resolve_site(Path("../..")) == tmp_path.resolve()
    with pytest.raises(ConfigError) as info:
        resolve_site(Path(".."))
    assert info.value.field == "--site" and "has no sitegen.toml" in info.value.message


def test_extra_is_read_as_params() -> None:
    """Zola and MkDocs call the template values `[extra]`; Hugo calls them `[params]`."""
    assert parse_config('title = "T"\n[extra]\nlogo = "a.svg"\n', "s").params == {"logo": "a.svg"}
    assert parse_config('title = "T"\n[params]\nlogo = "b.svg"\n', "s").params == {"logo": "b.svg"}
    assert "sitegen.toml:4: extra" in _error('title = "T"\n[params]\na = 1\n[extra]\nb = 1\n')


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "title = 5\n",
            "sitegen.toml:1: title: 5 is not allowed: input should be a valid string\n"
            '  hint: add `title = "My site"` at the top of sitegen.toml',
        ),
        (
            'title = ""\n',
            "sitegen.toml:1: title: '' is not allowed: string should have at least 1 character\n"
            '  hint: add `title = "My site"` at the top of sitegen.toml',
        ),
        (
            'title = "T"\nmarkdown = 5\n',
            "sitegen.toml:2: markdown: 5 is not allowed: input should be a valid dictionary or "
            "instance of MarkdownConfig",
        ),
        (
            'title = "T"\n[markdown]\ntoc_max_level = 2.0\n',
            "sitegen.toml:3: markdown.toc_max_level: 2.0 is not allowed: input should be a valid "
            "integer\n  hint: use a heading level from 1 to 6",
        ),
        (
            'title = "T"\n[markdown]\ntoc_max_level = 7\n',
            "sitegen.toml:3: markdown.toc_max_level: 7 is not allowed: input should be less than "
            "or equal to 6\n  hint: use a heading level from 1 to 6",
        ),
        (
            'title = "T"\n[sitemap]\nenabled = "yes"\n',
            "sitegen.toml:3: sitemap.enabled: 'yes' is not allowed: input should be a valid "
            "boolean\n  hint: use true or false",
        ),
        (
            'title = "T"\nextra = 5\n',
            "sitegen.toml:2: extra: 5 is not allowed: input should be a valid dictionary",
        ),
        (
            'title = "T"\nnav = [5, {title = "G"}]\n',
            "sitegen.toml:2: nav.0: 5 is not allowed: input should be a valid dictionary or "
            "instance of NavEntry\n"
            '  hint: list pages as `nav = ["index.md", {title = "Guides", children = '
            '["guides/a.md"]}]`\n'
            "sitegen.toml:2: nav.1: give `page`, `url` or `children`\n"
            '  hint: list pages as `nav = ["index.md", {title = "Guides", children = '
            '["guides/a.md"]}]`',
        ),
    ],
)
def test_wrong_types_are_named_with_what_is_allowed(text: str, message: str) -> None:
    """The texts sitegen gave while pydantic checked sitegen.toml, kept when it stopped."""
    assert _error(text) == message


def test_unknown_key_in_an_author_table_names_the_keys() -> None:
    """An unknown key under [authors.<slug>] was an AssertionError (a traceback)."""
    assert _error('title = "T"\n[authors.jane]\nname = "Jane"\navatr = "a.png"\n') == (
        "sitegen.toml:4: authors.jane.avatr: unknown key\n"
        "  hint: did you mean `avatar`? keys in [authors.jane]: name, bio, avatar"
    )

"""`sitegen init` and `sitegen new`, driven through click's CliRunner on real temp folders."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from sitegen.cli import cli
from sitegen.config import parse_config
from sitegen.errors import SitegenError
from sitegen.frontmatter import parse_document

INIT_FILES = {
    "sitegen.toml",
    ".gitignore",
    ".env.example",
    "content/pages/about.md",
    "content/posts/welcome.md",
    "content/media/sitegen.svg",
}


def run(args: list[str], cwd: Path) -> Result:
    """Run `sitegen ARGS` in `cwd`; exceptions stay in the result (as cli.main would print them)."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, args)
    finally:
        os.chdir(old)


def error_text(result: Result) -> str:
    """What the user sees for a failed command: a SitegenError's text or click's usage message."""
    if isinstance(result.exception, SitegenError):
        return str(result.exception)
    return result.output


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    assert run(["init", "site"], tmp_path).exit_code == 0
    return tmp_path / "site"


# --- init ---------------------------------------------------------------------------------------


def test_init_creates_the_starter_site_in_a_new_nested_folder(tmp_path: Path) -> None:
    result = run(["init", "a/b/site"], tmp_path)

    assert result.exit_code == 0, result.output
    root = tmp_path / "a/b/site"
    assert set(tree(root)) == INIT_FILES
    assert "cd a/b/site" in result.output
    assert 'sitegen new post "My first post"' in result.output


def test_init_defaults_to_the_current_folder(tmp_path: Path) -> None:
    result = run(["init"], tmp_path)

    assert result.exit_code == 0, result.output
    assert set(tree(tmp_path)) == INIT_FILES
    assert "cd " not in result.output


def test_init_config_is_valid_and_documents_every_key(site: Path) -> None:
    text = (site / "sitegen.toml").read_text()
    config = parse_config(text, "sitegen.toml")
    data = tomllib.loads(text)

    assert config.title == "My site" and config.base_url == "https://example.org/"
    assert data["permalinks"] == {
        "post": "/posts/{slug}/",
        "page": "/{slug}/",
        "tag": "/tags/{slug}/",
    }
    assert data["feeds"] == {"enabled": True, "format": "atom", "per_tag": True, "limit": 20}
    assert data["markdown"] == {"allow_html": "sanitize", "highlight": True, "toc_max_level": 3}
    assert data["sitemap"] == {"enabled": True}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            assert "#" in line, f"undocumented setting: {line}"


def test_init_gitignore_and_env_example_keep_secrets_out(site: Path) -> None:
    ignored = (site / ".gitignore").read_text().splitlines()
    assert {"public/", ".sitegen/", ".env"} <= set(ignored)

    env = (site / ".env.example").read_text()
    settings = [line for line in env.splitlines() if line and not line.startswith("#")]
    assert settings == ["SUPABASE_URL=", "SUPABASE_ANON_KEY="]
    assert "NEVER put the service_role" in env


def test_init_starter_documents_parse(site: Path) -> None:
    welcome = parse_document(
        (site / "content/posts/welcome.md").read_text(), source="content/posts/welcome.md"
    )
    about = parse_document(
        (site / "content/pages/about.md").read_text(), source="content/pages/about.md"
    )

    assert welcome.key == "posts/welcome" and welcome.front.tags == ("sitegen",)
    assert isinstance(welcome.front.date, dt.datetime)
    assert welcome.front.date.utcoffset() == dt.timedelta(0)
    assert "](../media/sitegen.svg)" in welcome.body and "](../pages/about.md)" in welcome.body
    assert about.front.menu == 1


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "content/pages").mkdir(parents=True)
    (tmp_path / "content/pages/about.md").write_text("mine")
    (tmp_path / ".gitignore").write_text("node_modules/\n")
    before = tree(tmp_path)

    result = run(["init"], tmp_path)

    assert result.exit_code == 1
    message = error_text(result)
    assert "refusing to overwrite existing files" in message
    assert "content/pages/about.md" in message and ".gitignore" in message
    assert "sitegen.toml" not in message  # only the files actually in the way are named
    assert "nothing was written" in message and "sitegen init mysite" in message
    assert tree(tmp_path) == before


def test_init_accepts_a_folder_with_unrelated_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hello")

    assert run(["init"], tmp_path).exit_code == 0
    assert (tmp_path / "README.md").read_text() == "hello"
    assert (tmp_path / "sitegen.toml").is_file()


def test_init_rejects_a_file_as_target(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")

    result = run(["init", "taken"], tmp_path)

    assert result.exit_code == 1
    assert "taken exists and is not a folder" in error_text(result)


# --- new ----------------------------------------------------------------------------------------


def test_new_post_writes_front_matter_and_prints_the_path(site: Path) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = run(["new", "post", "Hello world"], site)
    after = dt.datetime.now(dt.UTC)

    assert result.exit_code == 0, result.output
    assert result.output.strip() == os.path.join("content", "posts", "hello-world.md")
    text = (site / "content/posts/hello-world.md").read_text()
    header = text.split("---\n")[1]
    assert "\ndate: " in header and "T" in header.split("date: ")[1].split("\n")[0]
    assert "." not in header.split("date: ")[1].split("\n")[0]  # no microseconds
    front = yaml.safe_load(header)
    assert front == {"title": "Hello world", "date": front["date"], "draft": False, "tags": []}
    assert before <= front["date"] <= after
    assert front["date"].utcoffset() == dt.timedelta(0)
    assert text.split("---\n", 2)[2].strip()  # a short body follows


def test_new_page_has_no_date_and_goes_to_pages(site: Path) -> None:
    result = run(["new", "page", "About us"], site)

    assert result.exit_code == 0, result.output
    doc = parse_document(
        (site / "content/pages/about-us.md").read_text(), source="content/pages/about-us.md"
    )
    assert doc.key == "pages/about-us" and doc.front.title == "About us"
    assert doc.front.date is None and doc.front.draft is False


def test_new_titles_with_yaml_syntax_round_trip(site: Path) -> None:
    titles = [
        'He said: "hi" #1',
        "- not a list",
        "yes",
        "null",
        "2026-01-01",
        "42",
        "'quoted'",
        "a: b: c",
        "[x]",
        "{y}",
        "&anchor *alias",
        "Ünïcödé — dash",
    ]
    for index, title in enumerate(titles):
        assert run(["new", "post", "--slug", f"t{index}", "--", title], site).exit_code == 0
    for index, title in enumerate(titles):
        source = f"content/posts/t{index}.md"
        doc = parse_document((site / source).read_text(), source=source)
        assert doc.front.title == title


def test_new_long_title_stays_on_one_line(site: Path) -> None:
    title = "A very long title " * 10
    assert run(["new", "post", title.strip(), "--slug", "long"], site).exit_code == 0

    text = (site / "content/posts/long.md").read_text()
    assert f"title: {title.strip()}\n" in text


def test_new_draft_tags_and_slug_options(site: Path) -> None:
    result = run(
        ["new", "post", "Notes", "--draft", "-t", "python", "-t", "web dev", "--slug", "my-notes"],
        site,
    )

    assert result.exit_code == 0, result.output
    doc = parse_document(
        (site / "content/posts/my-notes.md").read_text(), source="content/posts/my-notes.md"
    )
    assert doc.front.draft is True and doc.front.tags == ("python", "web dev")
    assert doc.slug == "my-notes"


def test_new_slug_is_made_from_the_title(site: Path) -> None:
    assert run(["new", "post", "  Héllo, Wörld! C++ & 2026 "], site).exit_code == 0
    assert (site / "content/posts/hello-world-c-2026.md").is_file()


def test_new_nested_page_slug_creates_folders(site: Path) -> None:
    result = run(["new", "page", "Install", "--slug", "guides/setup/install"], site)

    assert result.exit_code == 0, result.output
    assert (site / "content/pages/guides/setup/install.md").is_file()


def test_new_title_without_ascii_letters_asks_for_a_slug(site: Path) -> None:
    before = tree(site)
    result = run(["new", "post", "東京"], site)

    assert result.exit_code == 1
    assert "cannot make a slug from the title '東京'" in error_text(result)
    assert "--slug" in error_text(result)
    assert tree(site) == before
    assert run(["new", "post", "東京", "--slug", "tokyo"], site).exit_code == 0
    assert "title: 東京" in (site / "content/posts/tokyo.md").read_text()


@pytest.mark.parametrize("bad", ["Hello", "../escape", "/abs", "a//b", "a_b", "-a"])
def test_new_rejects_invalid_slugs(site: Path, bad: str) -> None:
    before = tree(site)
    result = run(["new", "page", "X", "--slug", bad], site)

    assert result.exit_code == 1
    assert f"--slug {bad!r} is not a valid slug" in error_text(result)
    assert tree(site) == before


def test_new_refuses_to_clobber(site: Path) -> None:
    assert run(["new", "post", "Hello world"], site).exit_code == 0
    path = site / "content/posts/hello-world.md"
    path.write_text("my words")

    result = run(["new", "post", "Hello world"], site)

    assert result.exit_code == 1
    assert "refusing to overwrite existing file: content/posts/hello-world.md" in error_text(result)
    assert "--slug" in error_text(result)
    assert path.read_text() == "my words"


def test_new_finds_the_site_from_a_subfolder(site: Path) -> None:
    result = run(["new", "post", "Deep"], site / "content/pages")

    assert result.exit_code == 0, result.output
    assert (site / "content/posts/deep.md").is_file()
    assert result.output.strip() == os.path.join("..", "posts", "deep.md")


def test_new_with_site_option(site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    assert run(["new", "page", "Faq", "--site", str(site)], elsewhere).exit_code == 0
    assert (site / "content/pages/faq.md").is_file()

    result = run(["new", "page", "Faq", "--site", str(elsewhere)], tmp_path)
    assert result.exit_code == 1
    assert "has no sitegen.toml" in error_text(result)


def test_new_outside_a_site_is_an_error(tmp_path: Path) -> None:
    result = run(["new", "post", "Lost"], tmp_path)

    assert result.exit_code == 1
    assert "no sitegen.toml found" in error_text(result)
    assert "sitegen init" in error_text(result)
    assert not (tmp_path / "content").exists()


def test_new_usage_errors(site: Path) -> None:
    assert run(["new", "post", "   "], site).exit_code == 2
    result = run(["new", "page", "Faq", "-t", "x"], site)
    assert result.exit_code == 2 and "--tag applies to posts only" in result.output
    result = run(["new", "essay", "X"], site)
    assert result.exit_code == 2 and "'essay' is not one of 'post', 'page'" in result.output


def test_help_has_examples() -> None:
    for command in ("init", "new"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0
        assert "Examples:" in result.output and f"sitegen {command}" in result.output


def test_errors_reach_the_terminal_with_exit_code_1(tmp_path: Path) -> None:
    """End to end through `python -m sitegen`: cli.main prints the error and the hint."""
    (tmp_path / "sitegen.toml").write_text("x")
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "init"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 1
    assert "error: refusing to overwrite existing file:" in done.stderr
    assert "hint: init never overwrites anything" in done.stderr
    assert (tmp_path / "sitegen.toml").read_text() == "x"
    assert not (tmp_path / "content").exists()


# --- with the build engine ------------------------------------------------------------------------


def test_init_new_build_produces_the_pages(tmp_path: Path) -> None:
    assert run(["init", "site"], tmp_path).exit_code == 0
    site = tmp_path / "site"
    assert run(["new", "post", "Hello: <world>", "-t", "first steps"], site).exit_code == 0
    assert run(["new", "post", "Not yet", "--draft"], site).exit_code == 0
    assert run(["new", "page", "Install", "--slug", "guides/install"], site).exit_code == 0

    result = run(["build", "--strict"], site)

    assert result.exit_code == 0, error_text(result)
    public = site / "public"
    post = (public / "posts/hello-world/index.html").read_text()
    assert "<h1>Hello: &lt;world&gt;</h1>" in post
    assert '<a class="tag" href="/tags/first-steps/">first steps</a>' in post
    welcome = (public / "posts/welcome/index.html").read_text()
    assert '<img src="/media/sitegen.svg"' in welcome and 'href="/about/"' in welcome
    assert (public / "media/sitegen.svg").is_file()
    assert (public / "guides/install/index.html").is_file()
    assert not (public / "posts/not-yet").exists()
    home = (public / "index.html").read_text()
    assert '<a href="/about/">About</a>' in home  # menu: 1 in the starter about page
    assert "Hello: &lt;world&gt;" in home and "Welcome to your new site" in home
    assert "Not yet" not in home

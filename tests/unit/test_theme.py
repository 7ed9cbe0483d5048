from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.dates import isodate, rfc3339
from sitegen.errors import ConfigError, ThemeError
from sitegen.theme import (
    compiled_environment,
    make_environment,
    render_template,
    static_files,
    theme_paths,
)


def test_filters() -> None:
    moment = dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert isodate(dt.date(2024, 5, 1)) == "2024-05-01"
    assert isodate(moment) == "2024-05-01T09:30:00+02:00"
    assert rfc3339(moment) == "2024-05-01T07:30:00Z"
    assert rfc3339(dt.date(2024, 5, 1)) == "2024-05-01T00:00:00Z"


def test_site_templates_and_static_override_the_theme(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/404.html").write_text("mine {{ x }}")
    (tmp_path / "static").mkdir()
    (tmp_path / "static/style.css").write_text("x")
    paths = theme_paths(tmp_path, "default")
    env = make_environment(paths, {})
    assert render_template(env, "404.html", {"x": "<b>"}, source="t") == "mine &lt;b&gt;"
    assert static_files(paths)["style.css"] == tmp_path / "static/style.css"
    assert "highlight.css" in static_files(paths)


def test_unknown_theme_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no theme named 'nope'"):
        theme_paths(tmp_path, "nope")


def test_template_errors_name_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/a.html").write_text("ok\n{{ missing.attr }}\n")
    (tmp_path / "templates/b.html").write_text("{% if %}\n")
    env = make_environment(theme_paths(tmp_path, "default"), {})
    with pytest.raises(ThemeError) as undefined:
        render_template(env, "a.html", {}, source="content/posts/x.md")
    assert str(undefined.value).startswith(
        "templates/a.html:2: 'missing' is undefined (rendering content/posts/x.md)"
    )
    with pytest.raises(ThemeError) as syntax:
        render_template(env, "b.html", {}, source="s")
    assert str(syntax.value).startswith("templates/b.html:1: template syntax error:")
    with pytest.raises(ThemeError, match="template 'zzz.html' not found"):
        render_template(env, "zzz.html", {}, source="s")


def test_a_compiled_environment_holds_every_template_and_leaves_broken_ones_to_their_use(
    tmp_path: Path,
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/broken.html").write_text("{% if %}\n")
    (tmp_path / "templates/404.html").write_text("mine {{ x }}")
    paths = theme_paths(tmp_path, "default")
    env = compiled_environment(paths, tmp_path / "jinja")
    (tmp_path / "templates/404.html").unlink()  # compiled already: the file is not read again
    env.globals["x"] = "<b>"  # globals added later are seen by templates compiled before
    assert render_template(env, "404.html", {}, source="t") == "mine &lt;b&gt;"
    with pytest.raises(ThemeError, match="templates/broken.html:1: template syntax error"):
        render_template(env, "broken.html", {}, source="s")

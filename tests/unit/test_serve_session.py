"""A whole serve session in-process, observed over HTTP: config changes, theme switches, threads."""

from __future__ import annotations

import http.client
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import sitegen
from sitegen.errors import ConfigError
from sitegen.serve.overlay import OVERLAY_ID
from sitegen.serve.session import ServeOptions, ServeSession

TOML = 'title = "Session test"\n'
POST = "---\ntitle: Hello\ndate: 2024-01-01\n---\n\nHello body.\n"


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    (tmp_path / "sitegen.toml").write_text(TOML)
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "content/posts/hello.md").write_text(POST)
    return tmp_path


@pytest.fixture()
def session(site: Path) -> Iterator[ServeSession]:
    before = set(threading.enumerate())
    serving = ServeSession(site, ServeOptions(port=0))
    try:
        assert serving.start() is not None
        yield serving
    finally:
        serving.close()
    assert set(threading.enumerate()) <= before  # every thread the session started has ended


def page(session: ServeSession, path: str = "/posts/hello/") -> str:
    connection = http.client.HTTPConnection("127.0.0.1", session.server.port, timeout=10)
    connection.request("GET", path)
    body = connection.getresponse().read().decode()
    connection.close()
    return body


def eventually(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.02)


def test_preview_links_point_at_the_server(session: ServeSession) -> None:
    assert f'href="{session.url}posts/hello/"' in page(session)  # canonical link uses base_url
    assert session.url.startswith("http://127.0.0.1:")


def test_any_address_is_shown_as_localhost(site: Path) -> None:
    before = set(threading.enumerate())
    serving = ServeSession(site, ServeOptions(host="0.0.0.0", port=0))
    try:
        assert serving.url == f"http://localhost:{serving.server.port}/"
    finally:
        serving.close()
    assert set(threading.enumerate()) <= before  # a session never started leaves nothing either


def test_broken_config_at_start_is_an_error(site: Path) -> None:
    (site / "sitegen.toml").write_text('title = "x"\nthme = "default"\n')
    with pytest.raises(ConfigError) as caught:
        ServeSession(site, ServeOptions(port=0))
    assert "sitegen.toml:2" in str(caught.value)


def test_config_error_while_serving_shows_the_overlay_until_fixed(
    session: ServeSession, site: Path
) -> None:
    (site / "sitegen.toml").write_text('title = "Session test"\nposts_per_page = "many"\n')
    eventually(lambda: OVERLAY_ID in page(session), "the overlay appears")
    assert "sitegen.toml:2" in page(session) and "Hello body." in page(session)
    (site / "sitegen.toml").write_text('title = "Renamed site"\n')
    eventually(
        lambda: "Renamed site" in page(session) and OVERLAY_ID not in page(session),
        "the fixed config is built and the overlay is gone",
    )


def test_switching_to_a_site_theme_starts_watching_it(session: ServeSession, site: Path) -> None:
    packaged = Path(sitegen.__file__).parent / "themes" / "default"
    shutil.copytree(packaged, site / "themes" / "mine")
    post_template = site / "themes/mine/templates/post.html"
    original = post_template.read_text()

    def mark(text: str) -> None:
        post_template.write_text(
            original.replace(
                "{% block entry_header %}", f"{{% block entry_header %}}<p>{text}</p>", 1
            )
        )

    mark("My theme, first version.")
    (site / "sitegen.toml").write_text('title = "Session test"\ntheme = "mine"\n')
    eventually(lambda: "My theme, first version." in page(session), "the theme switch is built")
    mark("My theme, second version.")  # seen only if themes/mine is watched now
    eventually(lambda: "My theme, second version." in page(session), "the theme edit is rebuilt")

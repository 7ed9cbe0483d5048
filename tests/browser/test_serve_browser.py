"""`sitegen serve` in a real headless Chromium: live reload, once per build, and the overlay.

The session is the one `sitegen serve` runs (ServeSession), in-process so the test can see its
threads. Reloads are counted by a script Chromium runs at the start of every document
(DevTools `Page.addScriptToEvaluateOnNewDocument`), so the site itself is not altered.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from sitegen.serve.overlay import OVERLAY_ID
from sitegen.serve.reload_plan import FULL_RELOAD, ReloadSignal
from sitegen.serve.session import ServeOptions, ServeSession

TIMEOUT = 20
COUNT_LOADS = (
    "sessionStorage.setItem('loads', String(1 + Number(sessionStorage.getItem('loads') || 0)));"
)


def post(title: str, body: str, date: str = "2024-01-01") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "sitegen.toml").write_text(
        'title = "Browser test"\nbase_url = "https://example.org/"\n'
    )
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "hello.md").write_text(post("Hello", "Version one of the hello post."))
    for number in range(3):
        (posts / f"other-{number}.md").write_text(post(f"Other {number}", f"Other post {number}."))
    return root


@pytest.fixture(scope="module")
def threads_before() -> set[threading.Thread]:
    return set(threading.enumerate())


@pytest.fixture(scope="module")
def session(site: Path, threads_before: set[threading.Thread]) -> Iterator[ServeSession]:
    serving = ServeSession(site, ServeOptions(port=0))
    try:
        assert serving.start() is not None, "the fixture site must build"
        yield serving
    finally:
        serving.close()


@pytest.fixture(scope="module")
def signals_sent(session: ServeSession) -> list[tuple[ReloadSignal, ...]]:
    """Every signal set the session sends to browsers (observed, then passed on)."""
    sent: list[tuple[ReloadSignal, ...]] = []
    deliver = session.hub.send

    def observe(signals: Iterable[ReloadSignal]) -> None:
        signals = tuple(signals)
        if signals:
            sent.append(signals)
        deliver(signals)

    session.hub.send = observe  # type: ignore[method-assign]
    return sent


@pytest.fixture(scope="module")
def page(browser: webdriver.Chrome, session: ServeSession) -> webdriver.Chrome:
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_LOADS})
    browser.get(session.url + "posts/hello/")
    wait_connected(browser, session)
    return browser


def loads(browser: webdriver.Chrome) -> int:
    return int(browser.execute_script("return Number(sessionStorage.getItem('loads'))"))


def wait_connected(browser: webdriver.Chrome, session: ServeSession) -> None:
    """Until this page's livereload.js finished its handshake (it sends `info` right then)."""
    WebDriverWait(browser, TIMEOUT).until(
        lambda b: (
            b.execute_script(
                "return !!(window.LiveReload && window.LiveReload.connector"
                " && window.LiveReload.connector.protocol >= 7)"
            )
            and session.hub.client_count() > 0
        )
    )


def wait_for_text(browser: webdriver.Chrome, text: str) -> None:
    WebDriverWait(browser, TIMEOUT).until(
        lambda b: text in b.find_element(By.TAG_NAME, "body").text,
        message=f"the page never showed {text!r}",
    )


def overlay_text(browser: webdriver.Chrome) -> str | None:
    try:
        return browser.find_element(By.ID, OVERLAY_ID).text
    except NoSuchElementException:
        return None


def test_page_is_served_with_livereload(page: webdriver.Chrome) -> None:
    assert "Version one of the hello post." in page.find_element(By.TAG_NAME, "body").text
    assert loads(page) == 1


def test_editing_a_post_shows_the_new_text_by_itself(
    page: webdriver.Chrome, site: Path, session: ServeSession
) -> None:
    before = loads(page)
    (site / "content/posts/hello.md").write_text(post("Hello", "Version two, reloaded."))
    wait_for_text(page, "Version two, reloaded.")
    assert loads(page) == before + 1
    wait_connected(page, session)


def test_a_save_touching_several_files_reloads_once(
    page: webdriver.Chrome,
    site: Path,
    session: ServeSession,
    signals_sent: list[tuple[ReloadSignal, ...]],
) -> None:
    before = loads(page)
    signals_sent.clear()
    posts = site / "content/posts"
    burst = [posts / f"other-{number}.md" for number in range(3)]
    burst += [posts / f"new-{number}.md" for number in range(6)]
    for path in burst:  # ten files saved over ~50 ms, as a "save all" or a checkout does
        path.write_text(post(path.stem.title(), "Rewritten in one save."))
        time.sleep(0.005)
    (posts / "hello.md").write_text(post("Hello", "Version three, one reload."))
    wait_for_text(page, "Version three, one reload.")
    wait_connected(page, session)
    # A later single edit gives a reload we can wait for; had the burst caused more than one
    # build, its extra reloads would have come before this one.
    (posts / "hello.md").write_text(post("Hello", "Version four, the sentinel."))
    wait_for_text(page, "Version four, the sentinel.")
    assert loads(page) == before + 2
    # Reloads that arrive while the page is already reloading are invisible to the page;
    # the server side shows that the burst really was one build and one reload signal.
    assert signals_sent == [(FULL_RELOAD,), (FULL_RELOAD,)]
    wait_connected(page, session)


def test_broken_front_matter_shows_the_overlay_and_a_fix_clears_it(
    page: webdriver.Chrome, site: Path, session: ServeSession
) -> None:
    hello = site / "content/posts/hello.md"
    hello.write_text("---\ntitle: Hello\ndate: [not, closed\n---\n\n<b>Broken</b> version.\n")
    WebDriverWait(page, TIMEOUT).until(
        lambda b: overlay_text(b) is not None, message="no error overlay appeared"
    )
    text = overlay_text(page) or ""
    assert "content/posts/hello.md:" in text, text
    assert "Version four, the sentinel." in page.find_element(By.TAG_NAME, "body").text  # last good
    wait_connected(page, session)
    hello.write_text(post("Hello", "Version five, fixed."))
    wait_for_text(page, "Version five, fixed.")
    WebDriverWait(page, TIMEOUT).until(
        lambda b: overlay_text(b) is None, message="the overlay stayed after the fix"
    )
    wait_connected(page, session)


def test_css_only_change_swaps_stylesheets_without_reloading(
    page: webdriver.Chrome, site: Path, session: ServeSession
) -> None:
    static = site / "static"
    static.mkdir(exist_ok=True)
    (static / "extra.css").write_text("body { outline: 0px solid red; }")
    # A new static folder is a new top-level folder: the session starts watching it.
    (site / "content/posts/hello.md").write_text(post("Hello", "Version six."))
    wait_for_text(page, "Version six.")
    wait_connected(page, session)
    before = loads(page)
    page.execute_script("window.notReloaded = true;")
    (static / "extra.css").write_text("body { outline: 0px solid blue; }")
    WebDriverWait(page, TIMEOUT).until(
        lambda b: b.execute_script(
            "return [...document.querySelectorAll('link[rel=stylesheet]')]"
            ".some(l => l.href.includes('livereload='))"
        ),
        message="no stylesheet was swapped",
    )
    assert page.execute_script("return window.notReloaded === true")
    assert loads(page) == before


def test_server_shuts_down_cleanly(
    page: webdriver.Chrome, session: ServeSession, threads_before: set[threading.Thread]
) -> None:
    session.close()
    assert set(threading.enumerate()) <= threads_before
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", session.server.port))

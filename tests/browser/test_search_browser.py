"""The search box and Mermaid in a real headless Chromium: under `sitegen serve`, and as a built
site served under a sub-path; no request leaves the site's own host."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

from sitegen.build import BuildOptions, build_site
from sitegen.serve.session import ServeOptions, ServeSession
from tests.golden.trees import FIXTURE_SITES, write_files

TIMEOUT = 20
DEEP = "guides/deep/nested/zebra/"  # the only page with the word "quokka"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs-markdown fixture, plus pages that crowd the results: a title with a longer
    word starting with "quokka", and many pages sharing the deep page's other words."""
    root = tmp_path_factory.mktemp("search") / "site"
    shutil.copytree(FIXTURE_SITES / "docs-markdown", root)
    files = {
        f"content/posts/island-{n}.md": (
            f"---\ntitle: Island notes {n}\ndate: 2023-02-{n + 1:02d}\n---\n"
            "Field notes on the island, where the only animals are birds. " * (n + 1) + "\n"
        )
        for n in range(25)
    }
    files["content/posts/quokkaland.md"] = (
        "---\ntitle: Quokkaland travel\ndate: 2023-03-01\n---\nA theme park, island and all.\n"
    )
    write_files(root, files)
    return root


def _results(browser: webdriver.Chrome) -> list[WebElement]:
    return browser.find_elements(By.CSS_SELECTOR, "#search-results [role=option] a")


def _search(browser: webdriver.Chrome, text: str) -> list[str]:
    """Focus the box with "/", type, wait for results; their hrefs."""
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    box = browser.switch_to.active_element
    assert box.get_attribute("id") == "search-input"
    box.send_keys(text)
    WebDriverWait(browser, TIMEOUT).until(lambda b: _results(b))
    return [link.get_attribute("href") or "" for link in _results(browser)]


def _foreign_requests(browser: webdriver.Chrome, origin: str) -> list[str]:
    names = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return [name for name in names if not name.startswith(origin)]


def test_serve_search_puts_the_deep_page_first(site: Path, browser: webdriver.Chrome) -> None:
    with ServeSession(site, ServeOptions(port=0)) as session:
        assert session.start() is not None
        browser.get(session.url + "posts/island-3/")
        hrefs = _search(browser, "quokka")
        assert hrefs[0] == session.url + DEEP
        assert session.url + "posts/quokkaland/" in hrefs[1:]  # a longer word: found, ranked below
        assert _foreign_requests(browser, session.url) == []


@pytest.fixture(scope="module")
def sub_path(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built for https://example.org/docs/ and served at http://127.0.0.1:PORT/docs/."""
    root = tmp_path_factory.mktemp("www")
    result = build_site(
        site, BuildOptions(output_dir=root / "docs", base_url="https://example.org/docs/")
    )
    assert result.documents > 25
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/docs/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_search_works_under_a_sub_path(sub_path: str, browser: webdriver.Chrome) -> None:
    browser.get(sub_path + "admonitions/")
    hrefs = _search(browser, "Rottnest quokka")
    assert hrefs[0] == sub_path + DEEP  # has both words; pages with one of them come after
    first = browser.find_element(By.CSS_SELECTOR, "#search-result-0")
    marks = [mark.text for mark in first.find_elements(By.TAG_NAME, "mark")]
    assert marks == ["quokka", "Rottnest"]  # the words typed, marked in the excerpt
    box = browser.switch_to.active_element
    box.clear()
    box.send_keys("zzzznothing")
    status = browser.find_element(By.CSS_SELECTOR, ".search [role=status]")
    WebDriverWait(browser, TIMEOUT).until(
        lambda b: "No results" in status.get_attribute("textContent")
    )
    origin = sub_path.removesuffix("docs/")
    assert _foreign_requests(browser, origin) == []


def test_keys_move_through_results_open_one_and_close_the_list(
    sub_path: str, browser: webdriver.Chrome
) -> None:
    """(On the static server: `sitegen serve` may reload the page at any moment, on a rebuild.)"""
    browser.get(sub_path + "posts/island-3/")
    hrefs = _search(browser, "island notes")
    box = browser.switch_to.active_element
    assert box.get_attribute("aria-expanded") == "true"
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    box.send_keys(Keys.ARROW_DOWN)  # reopens on the first result
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-activedescendant") == "search-result-0"
    box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_UP)
    assert box.get_attribute("aria-activedescendant") == "search-result-1"
    selected = browser.find_elements(By.CSS_SELECTOR, "[role=option][aria-selected=true]")
    assert [option.get_attribute("id") for option in selected] == ["search-result-1"]
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, TIMEOUT).until(
        lambda b: b.current_url == hrefs[1],
        message=f"Enter did not open the result: at {browser.current_url}",
    )
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    box = browser.switch_to.active_element
    box.send_keys("zebra", Keys.ESCAPE, Keys.ESCAPE)  # closes, then clears and leaves the box
    assert box.get_attribute("value") == ""
    assert browser.switch_to.active_element.get_attribute("id") != "search-input"


def test_mermaid_draws_from_the_theme_copy_and_only_where_needed(
    sub_path: str, browser: webdriver.Chrome
) -> None:
    browser.get(sub_path + "code/")
    WebDriverWait(browser, TIMEOUT).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "pre.mermaid svg")
    )
    origin = sub_path.removesuffix("docs/")
    assert _foreign_requests(browser, origin) == []
    browser.get(sub_path + "math/")
    scripts = browser.execute_script(
        "return [...document.scripts].map(s => s.src).filter(s => s.includes('mermaid'))"
    )
    assert scripts == []
    assert browser.find_elements(By.CSS_SELECTOR, "math mfrac")  # MathML, drawn natively

"""The docs layout in headless Chromium: the sidebar is open beside the text on a wide screen
and folded under a keyboard-operable "Navigation" button at phone width, without JavaScript."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from tests.golden.trees import FIXTURE_SITES, clean_build


def shown(browser: webdriver.Chrome, element: WebElement) -> bool:
    """Whether the reader sees `element`, as the browser renders it (WebDriver's own
    displayedness calls anything inside a closed <details> hidden, whatever the CSS says)."""
    return bool(
        browser.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            "return arguments[0].checkVisibility() && r.width > 0 && r.height > 0;",
            element,
        )
    )


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def docs_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The docs-site fixture built under /gadget/ and served over HTTP on a free port."""
    root = tmp_path_factory.mktemp("docs-www")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    url = f"http://127.0.0.1:{server.server_address[1]}/gadget/"
    site = root.parent / "docs-site"
    shutil.copytree(FIXTURE_SITES / "docs-site", site)
    clean_build(site, root / "gadget", base_url=url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def test_wide_screens_show_the_sidebar_with_the_current_page(
    browser: webdriver.Chrome, docs_url: str
) -> None:
    browser.set_window_size(1280, 900)
    browser.get(docs_url + "guides/debugging/")
    current = browser.find_element(By.CSS_SELECTOR, '.docs-nav a[aria-current="page"]')
    assert current.get_attribute("textContent") == "Debugging" and shown(browser, current)
    assert not shown(browser, browser.find_element(By.CSS_SELECTOR, ".docs-nav__toggle"))
    crumbs = browser.find_elements(By.CSS_SELECTOR, 'nav[aria-label="Breadcrumb"] a')
    assert [a.text for a in crumbs] == ["Home", "Guides", "Debugging"]


def test_phones_fold_the_sidebar_under_a_button_the_keyboard_opens(
    browser: webdriver.Chrome, docs_url: str
) -> None:
    browser.set_window_size(390, 844)
    browser.get(docs_url + "guides/debugging/")
    link = browser.find_element(By.CSS_SELECTOR, '.docs-nav a[href$="/reference/api/"]')
    toggle = browser.find_element(By.CSS_SELECTOR, ".docs-nav__toggle")
    assert shown(browser, toggle) and not shown(browser, link)
    body = browser.find_element(By.TAG_NAME, "body")
    for _ in range(10):  # Tab from the top of the page to the button, as a keyboard user does
        body.send_keys(Keys.TAB)
        if browser.switch_to.active_element == toggle:
            break
        body = browser.switch_to.active_element
    assert browser.switch_to.active_element == toggle
    toggle.send_keys(Keys.ENTER)
    assert shown(browser, link)
    assert browser.find_element(By.ID, "docs-nav").get_attribute("open") is not None

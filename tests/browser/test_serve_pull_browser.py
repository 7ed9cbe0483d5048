"""`serve --pull-every` end to end: another author pushes to the real stack (PostgreSQL under
RLS, through supabase-py); the reader's open page shows the new post by itself. A failing pull
shows the overlay without stopping the server, and the next good pull clears it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.support.wait import WebDriverWait

from sitegen.cli import main
from sitegen.serve.overlay import OVERLAY_ID
from sitegen.serve.session import ServeOptions, ServeSession
from tests.integration.sync.sync_helpers import login_as, make_site, write_post

TIMEOUT = 30


def push(site: Path) -> None:
    try:
        main(["push", "-q", "--site", str(site)])
    except SystemExit as exc:
        assert exc.code == 0, f"push failed with {exc.code}"


def body_text(browser: webdriver.Chrome) -> str:
    """The page's text, read in one script call: the live reload may replace the page between
    a find_element and its .text (a stale element), never inside one script."""
    return str(browser.execute_script("return document.body ? document.body.innerText : ''"))


def overlay(browser: webdriver.Chrome) -> str | None:
    """The error overlay's text, or None when there is none (one script call, as body_text)."""
    text = browser.execute_script(
        "const shown = document.getElementById(arguments[0]); return shown ? shown.innerText : null",
        OVERLAY_ID,
    )
    return None if text is None else str(text)


@pytest.fixture()
def author(stack, make_user, clean_db, tmp_path: Path) -> Path:
    site = make_site(tmp_path / "author", stack)
    login_as(site, make_user(role="author"))
    write_post(site, "first", "First post", "Already there.\n", date="2024-01-01")
    push(site)
    return site


@pytest.fixture()
def reader_session(stack, author: Path, tmp_path: Path) -> Iterator[ServeSession]:
    reader = make_site(tmp_path / "reader", stack)
    session = ServeSession(reader, ServeOptions(port=0, pull_every=0.5))
    try:
        session.start()
        yield session
    finally:
        session.close()


def test_remote_changes_reach_the_open_page(
    browser: webdriver.Chrome,
    author: Path,
    reader_session: ServeSession,
    stack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sitegen.remote import retry

    monkeypatch.setattr(retry, "DEFAULT_POLICY", retry.RetryPolicy(base_delay=0.01, max_delay=0.02))
    browser.get(reader_session.url)
    WebDriverWait(browser, TIMEOUT).until(
        lambda b: "First post" in body_text(b),
        message="the first pull never showed the existing post",
    )

    write_post(
        author, "fresh", "Fresh from Supabase", "Pushed by another author.\n", date="2024-02-01"
    )
    push(author)
    WebDriverWait(browser, TIMEOUT).until(
        lambda b: "Fresh from Supabase" in body_text(b),
        message="the pushed post never appeared in the open page",
    )

    stack.faults.inject("status", r"^/rest/v1/", status=500, times=None)
    try:
        WebDriverWait(browser, TIMEOUT).until(
            lambda b: "pull failed" in (overlay(b) or ""), message="no overlay for a failing pull"
        )
        assert "Fresh from Supabase" in body_text(browser)
    finally:
        stack.faults.clear()
    WebDriverWait(browser, TIMEOUT).until(
        lambda b: overlay(b) is None, message="the overlay stayed after pulls recovered"
    )

"""Request path -> output file: pretty URLs, redirects, 404 page, and no escape from the root."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.serve.routes import Found, NotFound, Redirect, resolve


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    out = tmp_path / "public"
    for name in (
        "index.html",
        "404.html",
        "posts/hello/index.html",
        "static/style.css",
        "about.html",
        "caf\u00e9/index.html",
        "empty/readme.txt",
    ):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(name)
    (tmp_path / "secret.txt").write_text("secret")
    return out


def test_root_serves_index(root: Path) -> None:
    assert resolve(root, "/") == Found(root.resolve() / "index.html")


def test_folder_with_slash_serves_its_index(root: Path) -> None:
    assert resolve(root, "/posts/hello/") == Found(root.resolve() / "posts/hello/index.html")


def test_folder_without_slash_redirects_to_slash(root: Path) -> None:
    assert resolve(root, "/posts/hello") == Redirect("/posts/hello/")


def test_non_ascii_folder_redirect_is_percent_encoded(root: Path) -> None:
    assert resolve(root, "/caf%C3%A9") == Redirect("/caf%C3%A9/")


def test_files_are_served_as_they_are(root: Path) -> None:
    assert resolve(root, "/static/style.css") == Found(root.resolve() / "static/style.css")
    assert resolve(root, "/about.html") == Found(root.resolve() / "about.html")


def test_missing_path_gets_the_404_page(root: Path) -> None:
    assert resolve(root, "/nope/") == NotFound(root.resolve() / "404.html")
    assert resolve(root, "/empty/") == NotFound(root.resolve() / "404.html")  # no index.html


def test_missing_404_page_is_none(root: Path) -> None:
    (root / "404.html").unlink()
    assert resolve(root, "/nope") == NotFound(None)


def test_protocol_relative_path_never_becomes_an_open_redirect(root: Path) -> None:
    outcome = resolve(root, "//posts/hello")
    assert outcome == Redirect("/posts/hello/")


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/posts/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%5Csecret.txt",
        "/posts/hello/%00",
        "/%ff%fe",
        "/static/../../secret.txt",
    ],
)
def test_traversal_is_not_found(root: Path, path: str) -> None:
    assert isinstance(resolve(root, path), NotFound)


def test_symlink_out_of_the_root_is_not_followed(root: Path) -> None:
    (root / "escape.txt").symlink_to(root.parent / "secret.txt")
    (root / "outside").symlink_to(root.parent)
    assert isinstance(resolve(root, "/escape.txt"), NotFound)
    assert isinstance(resolve(root, "/outside/secret.txt"), NotFound)

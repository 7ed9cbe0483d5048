"""Authors end to end: profiles made with `sitegen profile`, pulled as content/authors/*.md,
become bylines, author pages and feeds in the reader's build."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.sync.sync_helpers import files_under, make_site, write_post

pytestmark = pytest.mark.usefixtures("clean_db")


def test_pulled_profiles_build_author_pages_feeds_and_linked_bylines(
    stack, make_user, tmp_path: Path, cli
) -> None:
    ada = make_site(tmp_path / "ada", stack, user=make_user(role="author"))
    bob = make_site(tmp_path / "bob", stack, user=make_user(role="author"))
    avatar = tmp_path / "ada.png"
    avatar.write_bytes(b"\x89PNG\r\n\x1a\n" + b"ada" * 20)
    assert cli(ada, "profile", "--name", "Ada Lovelace", "--slug", "ada").code == 0
    assert cli(ada, "profile", "--bio", "Writes about engines.", "--avatar", str(avatar)).code == 0
    assert cli(bob, "profile", "--name", "Bob Babbage", "--slug", "bob").code == 0
    write_post(ada, "engines", "Engines", "On engines.\n", date="2024-01-01", authors="[ada, bob]")
    assert cli(ada, "push").code == 0

    reader = make_site(tmp_path / "reader", stack)
    assert cli(reader, "pull").code == 0
    built = cli(reader, "build")
    assert built.code == 0, built.err
    assert "warning" not in built.err
    site = {
        name: data.decode("utf-8", "replace")
        for name, data in files_under(reader / "public").items()
    }
    assert (
        'by <a href="/authors/ada/" rel="author">Ada Lovelace</a> and '
        '<a href="/authors/bob/" rel="author">Bob Babbage</a>'
    ) in site["posts/engines/index.html"]
    page = site["authors/ada/index.html"]
    assert "<h1>Ada Lovelace</h1>" in page and "Writes about engines." in page
    assert 'src="/media/authors/ada.png"' in page and "/posts/engines/" in page
    assert "<title>Sync test site: Bob Babbage</title>" in site["authors/bob/feed.xml"]
    assert (
        "<author><name>Ada Lovelace</name><uri>https://example.org/authors/ada/</uri>"
        in site["feed.xml"]
    )

from __future__ import annotations

from markupsafe import Markup

from sitegen.render.fingerprint import Fingerprinter
from sitegen.views import Paginator, Tag


def test_equal_contexts_match_and_any_difference_shows() -> None:
    tag = Tag(name="a", slug="a", url="/a/", count=1, feed_url=None)
    fp = Fingerprinter("salt")
    base = {"tag": tag, "text": "x", "items": (tag,)}
    assert fp.of(base) == Fingerprinter("salt").of(
        {"tag": Tag("a", "a", "/a/", 1, None), "text": "x", "items": (tag,)}
    )
    assert fp.of(base) != fp.of({**base, "tag": Tag("a", "a", "/a/", 2, None)})
    assert fp.of({"t": "<b>"}) != fp.of({"t": Markup("<b>")})  # escaped or not renders differently
    assert fp.of(base) != Fingerprinter("other salt").of(base)
    page = Paginator(
        items=(tag,),
        number=1,
        total_pages=1,
        total_items=1,
        prev_url=None,
        next_url=None,
        urls=("/",),
    )
    assert fp.of({"p": page}) != fp.of({"p": Paginator((tag,), 1, 1, 1, None, None, ("/", "/2/"))})


def test_a_shared_tuple_is_read_once_per_fingerprinter_and_changes_still_show() -> None:
    fp = Fingerprinter("salt")
    urls = ("/", "/2/")
    first = fp.of({"urls": urls, "n": 1})
    assert fp.of({"urls": urls, "n": 1}) == first
    assert fp.of({"urls": ("/", "/3/"), "n": 1}) != first  # another tuple, though seen after


def test_a_page_ref_stands_for_the_page_with_its_digest() -> None:
    from sitegen.site import PageRef
    from sitegen.views import Page

    page = Page(
        key="posts/a",
        kind="post",
        slug="a",
        title="A",
        url="/a/",
        abs_url="https://e.org/a/",
        date=None,
        updated=None,
        tags=(),
        draft=False,
        summary=Markup(""),
        reading_time=1,
        word_count=1,
        cover=None,
        extra={},
        authors=(),
        content=Markup("<p>A</p>"),
        toc=(),
        toc_html=Markup(""),
    )
    digest = b"d" * 16
    built = Fingerprinter("salt", {id(page): (page, digest)}).of({"page": page})
    ref = PageRef("posts/a", digest, page, ())
    assert Fingerprinter("salt").of({"page": ref}) == built
    assert Fingerprinter("salt").of({"page": PageRef("posts/a", b"e" * 16, page, ())}) != built

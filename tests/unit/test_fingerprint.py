from __future__ import annotations

from markupsafe import Markup

from sitegen.render.fingerprint import Fingerprinter
from sitegen.render.views import Paginator, Tag


def test_equal_contexts_match_and_any_difference_shows() -> None:
    tag = Tag(name="a", slug="a", url="/a/", count=1, feed_url=None)
    fp = Fingerprinter("salt")
    base = {"tag": tag, "text": "x", "items": (tag,)}
    assert fp.of(base) == Fingerprinter("salt").of({"tag": Tag("a", "a", "/a/", 1, None), "text": "x",
                                                     "items": (tag,)})
    assert fp.of(base) != fp.of({**base, "tag": Tag("a", "a", "/a/", 2, None)})
    assert fp.of({"t": "<b>"}) != fp.of({"t": Markup("<b>")})  # escaped or not renders differently
    assert fp.of(base) != Fingerprinter("other salt").of(base)
    page = Paginator(items=(tag,), number=1, total_pages=1, total_items=1, prev_url=None, next_url=None, urls=("/",))
    assert fp.of({"p": page}) != fp.of({"p": Paginator((tag,), 1, 1, 1, None, None, ("/", "/2/"))})

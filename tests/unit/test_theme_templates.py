"""The default theme rendered with plain Jinja2 against a context that follows docs/templates.md.

The build engine is not involved: a small fixture builder below makes the documented values
(site, page, paginator, tag, years, url/abs_url/static, date filters), so these tests pin the
theme to the contract itself. The site lives under a sub-path (`/blog/`) to catch hard-coded URLs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from sitegen.fragments import FragmentCache

THEME = Path(__file__).resolve().parents[2] / "sitegen" / "themes" / "default"
TEMPLATES = [
    "index.html",
    "post.html",
    "page.html",
    "tags.html",
    "tag.html",
    "archive.html",
    "404.html",
]
BASE_URL = "https://example.org/blog/"
BASE_PATH = "/blog/"
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


# --- fixture builder: the documented context -----------------------------------------------------


def url(path: str) -> str:
    return BASE_PATH + path.lstrip("/")


def abs_url(path_or_url: str) -> str:
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return BASE_URL + path_or_url.removeprefix(BASE_PATH).lstrip("/")


class StaticRecorder:
    """`static(path)`: records every path asked for (checked against static/ in a test)."""

    def __init__(self) -> None:
        self.paths: set[str] = set()

    def __call__(self, path: str) -> str:
        self.paths.add(path)
        return f"{BASE_PATH}static/{path}?v=1a2b3c4d"


def environment(
    static: StaticRecorder, extra_templates: dict[str, str] | None = None
) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if extra_templates:
        loaders.append(jinja2.DictLoader(extra_templates))  # a site's templates/ comes first
    loaders.append(jinja2.FileSystemLoader(THEME / "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=[FragmentCache],
    )
    env.filters["date"] = lambda value, fmt: value.strftime(fmt)
    env.filters["isodate"] = lambda value: value.isoformat()
    env.filters["rfc3339"] = lambda value: value.isoformat()
    env.globals.update(url=url, abs_url=abs_url, static=static)
    return env


def tag(name: str, count: int = 1, feed: bool = True) -> SimpleNamespace:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return SimpleNamespace(
        name=name,
        slug=slug,
        url=url(f"/tags/{slug}/"),
        count=count,
        feed_url=abs_url(f"/tags/{slug}/atom.xml") if feed else None,
    )


def document(
    title: str,
    slug: str,
    *,
    kind: str = "post",
    date: dt.date | None = None,
    tags: list[SimpleNamespace] | None = None,
    summary: str = "<p>A summary.</p>",
    updated: dt.date | None = None,
    cover: str | None = None,
    full: bool = False,
    toc: bool = False,
) -> SimpleNamespace:
    """A post or page value; `full` adds content/toc fields (a summary item has none)."""
    path = f"/posts/{slug}/" if kind == "post" else f"/{slug}/"
    doc = SimpleNamespace(
        key=f"{kind}s/{slug}",
        kind=kind,
        slug=slug,
        title=title,
        url=url(path),
        abs_url=abs_url(path),
        date=date,
        updated=updated,
        tags=tags or [],
        draft=False,
        summary=Markup(summary),
        reading_time=3,
        word_count=600,
        cover=cover,
        extra={},
        categories=[],
        authors=[],
    )
    if full:
        entries = (
            [
                SimpleNamespace(level=2, id="first", title="First"),
                SimpleNamespace(level=2, id="second", title="Second"),
            ]
            if toc
            else []
        )
        doc.content = Markup(
            '<p>Body text.</p>\n<h2 id="first">First</h2>\n<p>More.</p>\n'
            '<h2 id="second">Second</h2>\n<pre><code>x = 1\n</code></pre>'
        )
        doc.toc = entries
        doc.mermaid = False
        doc.toc_html = (
            Markup(
                '<ul>\n<li><a href="#first">First</a></li>\n'
                '<li><a href="#second">Second</a></li>\n</ul>'
            )
            if toc
            else Markup("")
        )
    return doc


def paginator(
    items: list[Any], number: int = 1, total_pages: int = 1, first: str = "/"
) -> SimpleNamespace:
    urls = [url(first) if n == 1 else url(f"{first}page/{n}/") for n in range(1, total_pages + 1)]
    return SimpleNamespace(
        items=items,
        number=number,
        total_pages=total_pages,
        total_items=len(items) * total_pages,
        prev_url=urls[number - 2] if number > 1 else None,
        next_url=urls[number] if number < total_pages else None,
        urls=urls,
    )


def site(**changes: Any) -> SimpleNamespace:
    values = dict(
        title="Field Notes",
        description="Notes from the field",
        language="en-GB",
        author="Ada Lovelace",
        base_url=BASE_URL,
        base_path=BASE_PATH,
        menu=[
            SimpleNamespace(title="About", url=url("/about/")),
            SimpleNamespace(title="Docs", url=url("/docs/getting-started/")),
        ],
        feed_url=abs_url("/atom.xml"),
        feed_type="application/atom+xml",
        generator="sitegen 0.1.0",
        nav=[],
        blog_url=url("/"),
        authors=[],
        search_url=url("/search-index/"),
    )
    values.update(changes)
    return SimpleNamespace(**values)


PYTHON = tag("Python", 2)
WEB = tag("Web dev", 1)
OLDER = document("Older post", "older", date=dt.date(2025, 3, 4), tags=[PYTHON])
NEWER = document(
    "Newer post",
    "newer",
    date=dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC),
    tags=[PYTHON, WEB],
)


def context(template: str, **changes: Any) -> dict[str, Any]:
    """The documented context for `template`, with `changes` applied on top."""
    post = document(
        "Hello, world",
        "hello",
        date=dt.date(2025, 6, 1),
        tags=[PYTHON],
        updated=dt.date(2025, 7, 2),
        full=True,
        toc=True,
    )
    page = document("About", "about", kind="page", full=True)
    by_template: dict[str, dict[str, Any]] = {
        "index.html": {"paginator": paginator([NEWER, OLDER]), "current_url": url("/")},
        "post.html": {"page": post, "prev": OLDER, "next": NEWER, "current_url": post.url},
        "page.html": {
            "page": page,
            "current_url": page.url,
            "breadcrumbs": (),
            "prev": None,
            "next": None,
        },
        "tags.html": {"tags": [PYTHON, WEB], "current_url": url("/tags/")},
        "tag.html": {
            "tag": PYTHON,
            "paginator": paginator([NEWER, OLDER], first="/tags/python/"),
            "current_url": PYTHON.url,
        },
        "archive.html": {
            "years": [
                SimpleNamespace(year=2026, posts=[NEWER]),
                SimpleNamespace(year=2025, posts=[OLDER]),
            ],
            "current_url": url("/archive/"),
        },
        "404.html": {"current_url": url("/404.html")},
        "author.html": {"current_url": url("/authors/ada/")},
    }
    values = {"site": site(), **by_template[template]}
    values.update(changes)
    return values


Render = Callable[..., str]


@pytest.fixture
def static() -> StaticRecorder:
    return StaticRecorder()


@pytest.fixture
def render(static: StaticRecorder) -> Render:
    def render(template: str, *, overrides: dict[str, str] | None = None, **changes: Any) -> str:
        env = environment(static, overrides)
        return env.get_template(template).render(context(template, **changes))

    return render


# --- HTML checks ---------------------------------------------------------------------------------


class TagBalance(HTMLParser):
    """Collects problems: end tags that do not close the innermost open element, unclosed ones."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple[int, int]]] = []
        self.problems: list[str] = []
        self.ids: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((name, dict(attrs)))
        self.ids += [value for key, value in attrs if key == "id" and value]
        if name not in VOID:
            self.stack.append((name, self.getpos()))

    def handle_startendtag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((name, dict(attrs)))
        if name not in VOID:
            self.problems.append(f"self-closed non-void <{name}/> at {self.getpos()}")

    def handle_endtag(self, name: str) -> None:
        if name in VOID:
            self.problems.append(f"end tag for void </{name}> at {self.getpos()}")
        elif not self.stack or self.stack[-1][0] != name:
            open_name = self.stack[-1] if self.stack else None
            self.problems.append(f"</{name}> at {self.getpos()} closes {open_name}")
        else:
            self.stack.pop()


def check_html(html: str) -> TagBalance:
    parser = TagBalance()
    parser.feed(html)
    parser.close()
    problems = parser.problems + [f"<{name}> at {pos} never closed" for name, pos in parser.stack]
    assert not problems, "\n".join(problems)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert len(parser.ids) == len(set(parser.ids)), f"duplicate ids: {parser.ids}"
    return parser


def elements(html: str, name: str) -> list[dict[str, str | None]]:
    return [attrs for tag_name, attrs in check_html(html).elements if tag_name == name]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- every template ------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_is_well_formed_and_accessible(render: Render, template: str) -> None:
    html = render(template)
    parsed = check_html(html)
    names = [name for name, _ in parsed.elements]

    assert '<html lang="en-GB">' in html
    assert names.count("main") == 1 and names.count("h1") == 1
    assert {"header", "nav", "main", "footer"} <= set(names)
    assert '<a class="skip-link" href="#main">' in html and 'id="main"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    for image in elements(html, "img"):
        assert "alt" in image
    # the one script is the search box's (a page with a diagram adds Mermaid's)
    assert html.count("<script") == html.count(f'<script src="{BASE_PATH}static/search.js') == 1
    assert "<script" not in render(template, site=site(search_url=None))


@pytest.mark.parametrize("template", TEMPLATES)
def test_main_layout_class_cannot_collide_with_component_classes(
    render: Render, template: str
) -> None:
    """<main class="tag"> once styled a tag page as a tag chip: layout classes are prefixed."""
    [main] = elements(render(template), "main")
    classes = (main.get("class") or "").split()

    assert classes[0] == "wrap" and len(classes) == 2 and classes[1].startswith("layout-")


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_link_stays_under_the_base_path(render: Render, template: str) -> None:
    html = render(template)
    for name in ("a", "link", "img"):
        for attrs in elements(html, name):
            target = attrs.get("href") or attrs.get("src") or ""
            assert target.startswith((BASE_PATH, "#", BASE_URL)), f"<{name}> to {target!r}"


@pytest.mark.parametrize("template", TEMPLATES)
def test_user_text_is_escaped_everywhere(render: Render, template: str) -> None:
    evil = "<script>alert(1)</script>"
    html = render(
        template,
        site=site(
            title=evil,
            description=evil,
            author=evil,
            menu=[SimpleNamespace(title=evil, url=url("/x/"))],
        ),
    )

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_head_links_stylesheets_feed_and_canonical(render: Render, static: StaticRecorder) -> None:
    html = render("index.html")

    assert f'<link rel="stylesheet" href="{BASE_PATH}static/style.css?v=1a2b3c4d">' in html
    assert f'href="{BASE_PATH}static/highlight.css?v=1a2b3c4d"' in html
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Field Notes" '
        f'href="{BASE_URL}atom.xml">'
    ) in html
    assert f'<link rel="canonical" href="{BASE_URL}">' in html
    assert '<meta name="description" content="Notes from the field">' in html
    assert '<meta name="generator" content="sitegen 0.1.0">' in html
    assert static.paths == {"style.css", "highlight.css", "markdown.css", "search.css", "search.js"}


def test_feed_links_carry_the_feed_type_of_the_site(render: Render) -> None:
    rss = site(feed_url=abs_url("/rss.xml"), feed_type="application/rss+xml")
    html = render("index.html", site=rss)
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Field Notes" '
        f'href="{BASE_URL}rss.xml">'
    ) in html
    tag_html = render("tag.html", site=rss)
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Field Notes: Python" '
        f'href="{PYTHON.feed_url}">'
    ) in tag_html
    assert "atom+xml" not in html + tag_html


def test_no_feed_link_when_feeds_are_off(render: Render) -> None:
    html = render("index.html", site=site(feed_url=None))

    assert "application/atom+xml" not in html and ">Feed<" not in html


def test_empty_description_and_author_leave_no_empty_tags(render: Render) -> None:
    html = render("tags.html", site=site(author=""))
    assert 'name="author"' not in html
    html = render("index.html", site=site(description=""))
    assert 'name="description"' not in html and '<p class="lead">' not in html


def test_nav_marks_the_current_page(render: Render) -> None:
    about = render("page.html")
    archive = render("archive.html")

    assert f'<a href="{url("/about/")}" aria-current="page">About</a>' in about
    assert about.count('aria-current="page"') == 1
    assert f'<a href="{url("/archive/")}" aria-current="page">Archive</a>' in archive
    assert archive.count('aria-current="page"') == 1
    assert f'<a class="site-title" href="{BASE_PATH}" aria-current="page">' in render("index.html")


# --- home and pagination -------------------------------------------------------------------------


def test_home_lists_posts_with_meta(render: Render) -> None:
    html = render("index.html")
    text = text_of(html)

    assert html.index("Newer post") < html.index("Older post")
    assert f'<a href="{NEWER.url}">Newer post</a>' in html
    assert '<time datetime="2026-01-05T09:30:00+00:00">5 January 2026</time>' in html
    assert '<time datetime="2025-03-04">4 March 2025</time>' in html
    assert "3 min read" in text and "A summary." in text
    assert f'<a class="tag" href="{WEB.url}">Web dev</a>' in html
    assert "<h1>Field Notes</h1>" in html


def test_single_page_has_no_pagination(render: Render) -> None:
    assert 'aria-label="Pagination"' not in render("index.html")


def test_first_of_three_pages_links_forward_only(render: Render) -> None:
    html = render("index.html", paginator=paginator([NEWER], number=1, total_pages=3))

    assert '<nav class="pagination" aria-label="Pagination">' in html
    assert 'rel="prev"' not in html
    assert f'<a href="{url("/page/2/")}" rel="next">Older →</a>' in html
    assert f'<a href="{BASE_PATH}" aria-label="Page 1" aria-current="page">1</a>' in html
    assert f'<a href="{url("/page/3/")}" aria-label="Page 3">3</a>' in html


def test_middle_page_links_both_ways_and_titles_itself(render: Render) -> None:
    html = render("index.html", paginator=paginator([OLDER], number=2, total_pages=3))

    assert f'<a href="{BASE_PATH}" rel="prev">← Newer</a>' in html
    assert f'<a href="{url("/page/3/")}" rel="next">Older →</a>' in html
    assert 'aria-label="Page 2" aria-current="page">2</a>' in html
    assert "<title>Posts, page 2 · Field Notes</title>" in html
    assert "Page 2 of 3" in html


def test_last_page_links_back_only(render: Render) -> None:
    html = render("index.html", paginator=paginator([OLDER], number=3, total_pages=3))

    assert 'rel="prev"' in html and 'rel="next"' not in html


def test_long_pagination_collapses_around_the_current_page(render: Render) -> None:
    html = render("index.html", paginator=paginator([OLDER], number=6, total_pages=12))
    shown = re.findall(r'aria-label="Page (\d+)"', html)

    assert shown == ["1", "4", "5", "6", "7", "8", "12"]
    assert html.count('class="pagination__gap"') == 2


def test_empty_home_says_so(render: Render) -> None:
    html = render("index.html", paginator=paginator([]))

    assert "No posts yet." in html and "post-summary" not in html


# --- post and page -------------------------------------------------------------------------------


def test_post_shows_everything_about_the_post(render: Render) -> None:
    html = render("post.html")

    assert "<title>Hello, world · Field Notes</title>" in html
    assert "<h1>Hello, world</h1>" in html
    assert '<time datetime="2025-06-01">1 June 2025</time>' in html
    assert 'Updated <time datetime="2025-07-02">2 July 2025</time>' in html
    assert "3 min read" in html
    assert f'<a class="tag" href="{PYTHON.url}">Python</a>' in html
    assert f'<link rel="canonical" href="{BASE_URL}posts/hello/">' in html
    assert '<meta name="description" content="A summary.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="article:published_time" content="2025-06-01">' in html
    assert '<h2 id="first">First</h2>' in html  # content is not escaped


def author(name: str, slug: str = "") -> SimpleNamespace:
    """An author view: with a slug, one with a profile (a page and a feed)."""
    page = url(f"/authors/{slug}/") if slug else None
    feed = abs_url(f"/authors/{slug}/feed.xml") if slug else None
    return SimpleNamespace(slug=slug, name=name, bio="", avatar=None, url=page, feed_url=feed)


def test_authors_are_named_linked_and_escaped(render: Render) -> None:
    post = document("By someone", "by", date=dt.date(2025, 1, 1), full=True)
    post.authors = [author("Grace <Hopper>")]
    html = render("post.html", page=post, current_url=post.url)
    assert '<span class="meta__item">by Grace &lt;Hopper&gt;</span>' in html
    assert "by Grace" not in render("post.html")

    post.authors = [author("Ada", "ada"), author("Grace"), author("Edsger", "edsger")]
    html = render("post.html", page=post, current_url=post.url)
    assert (
        f'by <a href="{url("/authors/ada/")}" rel="author">Ada</a>, Grace and '
        f'<a href="{url("/authors/edsger/")}" rel="author">Edsger</a></span>'
    ) in html


def test_author_page_shows_the_profile_lists_posts_and_links_the_feed(render: Render) -> None:
    ada = author("Ada <L>", "ada")
    ada.bio, ada.avatar = "Wrote the first program.", url("/media/ada.png")
    html = render("author.html", author=ada, paginator=paginator([NEWER, OLDER]))
    assert "<h1>Ada &lt;L&gt;</h1>" in html
    assert '<p class="author__bio">Wrote the first program.</p>' in html
    assert f'<img class="author__avatar" src="{url("/media/ada.png")}"' in html
    assert f'href="{ada.feed_url}"' in html and "2 posts" in html
    assert NEWER.title in html and OLDER.title in html


def test_post_links_to_older_and_newer(render: Render) -> None:
    html = render("post.html")

    assert f'<a class="post-nav__link post-nav__link--prev" href="{OLDER.url}" rel="prev">' in html
    assert f'<a class="post-nav__link post-nav__link--next" href="{NEWER.url}" rel="next">' in html
    alone = render("post.html", prev=None, next=None)
    assert "post-nav" not in alone
    only_newer = render("post.html", prev=None)
    assert 'rel="next"' in only_newer and 'rel="prev"' not in only_newer


def test_toc_appears_only_when_there_is_one(render: Render) -> None:
    with_toc = render("post.html")
    assert '<nav class="toc" aria-labelledby="toc-title">' in with_toc
    assert '<a href="#first">First</a>' in with_toc

    plain = document("Short", "short", date=dt.date(2025, 1, 1), full=True, toc=False)
    assert 'class="toc' not in render("post.html", page=plain, current_url=plain.url)
    assert 'class="toc"' not in render("page.html")
    page_with_toc = document("Guide", "guide", kind="page", full=True, toc=True)
    assert 'class="toc"' in render("page.html", page=page_with_toc, current_url=page_with_toc.url)


def test_titles_and_summaries_are_escaped_but_markdown_html_is_not(render: Render) -> None:
    evil = document(
        "<script>x()</script> & co",
        "evil",
        date=dt.date(2025, 1, 1),
        full=True,
        summary='<p>Uses <em>markup</em> "quoted" &amp; <script>y()</script></p>',
    )
    html = render("post.html", page=evil, current_url=evil.url)

    assert "<h1>&lt;script&gt;x()&lt;/script&gt; &amp; co</h1>" in html
    assert "<title>&lt;script&gt;x()&lt;/script&gt; &amp; co · Field Notes</title>" in html
    # the meta description is the summary's text, re-escaped for the attribute
    assert '<meta name="description" content="Uses markup &#34;quoted&#34; &amp; y()">' in html
    assert html.count("<script") == 1  # the search box's own, not the page's


def test_cover_image_is_shown_and_shared(render: Render) -> None:
    covered = document(
        "Pics", "pics", date=dt.date(2025, 1, 1), full=True, cover=url("/media/cover.png")
    )
    html = render("post.html", page=covered, current_url=covered.url)

    assert f'<img class="entry__cover" src="{BASE_PATH}media/cover.png" alt="">' in html
    assert f'<meta property="og:image" content="{BASE_URL}media/cover.png">' in html


def test_page_has_no_post_furniture(render: Render) -> None:
    html = render("page.html")

    assert "<h1>About</h1>" in html and "Body text." in html
    assert "min read" not in html and "post-nav" not in html and 'class="tag"' not in html
    assert '<meta property="og:type" content="website">' in html
    assert f'<link rel="canonical" href="{BASE_URL}about/">' in html


# --- tags, archive, 404 --------------------------------------------------------------------------


def test_tags_index_lists_tags_with_counts(render: Render) -> None:
    html = render("tags.html")
    text = text_of(html)

    assert f'<a class="tag" href="{PYTHON.url}">Python</a>' in html
    assert "Python 2 posts" in text and "Web dev 1 post " in text
    assert "No tags yet." in render("tags.html", tags=[])


def test_tag_page_links_its_feed_and_paginates(render: Render) -> None:
    html = render("tag.html")

    assert "<h1>Tagged “Python”</h1>" in html
    assert f'<a href="{PYTHON.feed_url}">Feed for this tag</a>' in html
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Field Notes: Python" '
        f'href="{PYTHON.feed_url}">'
    ) in html
    assert 'aria-label="Pagination"' not in html

    second = render("tag.html", paginator=paginator([OLDER], 2, 2, first="/tags/python/"))
    assert f'<a href="{url("/tags/python/")}" rel="prev">← Newer</a>' in second
    assert "page 2 of 2" in second

    no_feed = render("tag.html", tag=tag("Python", 2, feed=False))
    assert "Feed for this tag" not in no_feed and "Field Notes: Python" not in no_feed


def test_archive_groups_posts_by_year(render: Render) -> None:
    html = render("archive.html")

    assert html.index('<h2 id="year-2026">2026</h2>') < html.index('<h2 id="year-2025">2025</h2>')
    assert '<time datetime="2025-03-04">4 Mar</time>' in html
    assert f'<a href="{OLDER.url}">Older post</a>' in html
    assert "No posts yet." in render("archive.html", years=[])


def test_not_found_page_links_home_and_is_not_indexed(render: Render) -> None:
    html = render("404.html")

    assert "<h1>Page not found</h1>" in html
    assert f'<a href="{BASE_PATH}">Go to the home page</a>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


# --- overriding ----------------------------------------------------------------------------------


def test_a_site_partial_replaces_the_footer_everywhere(render: Render) -> None:
    """What docs/themes.md tells users to do: drop one partial into the site's templates/."""
    mine = {"partials/footer.html": '<footer class="mine">Hosted by {{ site.author }}</footer>'}
    for template in TEMPLATES:
        html = render(template, overrides=mine)
        assert '<footer class="mine">Hosted by Ada Lovelace</footer>' in html
        assert "site-footer" not in html


def test_a_site_template_extending_page_overrides_one_block(render: Render) -> None:
    """A front-matter `template: wide.html` that extends the theme's page.html."""
    wide = (
        '{% extends "page.html" %}{% block main_class %}layout-page wide{% endblock %}'
        "{% block toc %}{% endblock %}"
    )
    guide = document("Guide", "guide", kind="page", full=True, toc=True)
    env = environment(StaticRecorder(), {"wide.html": wide})
    html = env.get_template("wide.html").render(
        context("page.html", page=guide, current_url=guide.url)
    )

    check_html(html)
    assert '<main id="main" class="wrap layout-page wide"' in html
    assert "<h1>Guide</h1>" in html and 'class="toc"' not in html


def test_a_site_base_reshapes_every_page(render: Render) -> None:
    base = (
        (THEME / "templates" / "base.html")
        .read_text()
        .replace('<a class="skip-link"', '<p class="banner">Beta</p><a class="skip-link"')
    )
    html = render("post.html", overrides={"base.html": base})

    assert '<p class="banner">Beta</p>' in html and "<h1>Hello, world</h1>" in html


def test_head_partial_is_included(render: Render) -> None:
    icon = '<link rel="icon" href="{{ url(\'/favicon.svg\') }}">'
    html = render("tags.html", overrides={"partials/head.html": icon})

    assert f'<link rel="icon" href="{BASE_PATH}favicon.svg">' in html.split("</head>")[0]


# --- theme files ---------------------------------------------------------------------------------


def test_every_static_path_the_templates_use_exists() -> None:
    used = set()
    for template in (THEME / "templates").rglob("*.html"):
        used |= set(re.findall(r"""static\(\s*['"]([^'"]+)['"]\s*\)""", template.read_text()))
    assert used >= {"style.css", "highlight.css"}
    missing = sorted(path for path in used if not (THEME / "static" / path).is_file())
    assert not missing, f"static() paths with no file in static/: {missing}"


def test_theme_makes_no_external_requests() -> None:
    # The youtube shortcode embeds from youtube-nocookie.com, and only where an author calls it.
    embeds = {THEME / "templates" / "shortcodes" / "youtube.html"}
    for path in THEME.rglob("*"):
        # Mermaid's is a vendored bundle: see below.
        if path.is_file() and path not in embeds and path.parent.name != "mermaid":
            text = path.read_text()
            assert not re.search(r"https?://|//[a-z0-9-]+\.[a-z]", text, re.I), path
            assert "@import" not in text, path
            assert "<script" not in text or path.name == "base.html", path
    # Mermaid's bundle names URLs (XML namespaces, its docs) but loads nothing: the browser
    # test of a diagram page counts the requests (tests/browser/test_search_browser.py).
    assert (THEME / "static/mermaid/LICENSE").is_file()


def test_every_documented_template_exists() -> None:
    names = {path.name for path in (THEME / "templates").glob("*.html")}
    assert set(TEMPLATES) | {"base.html"} <= names
    assert (THEME / "theme.toml").is_file()


# --- colours -------------------------------------------------------------------------------------


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", block))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_schemes() -> dict[str, dict[str, str]]:
    css = (THEME / "static" / "style.css").read_text()
    light = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    dark_start = css.index("@media (prefers-color-scheme: dark)")
    dark = css[dark_start : css.index("}", dark_start)]
    return {"light": _variables(light), "dark": {**_variables(light), **_variables(dark)}}


# (foreground, background, minimum): body text, links, tags, code, the current page number, focus
PAIRS = [
    ("text", "bg", 4.5),
    ("muted", "bg", 4.5),
    ("accent", "bg", 4.5),
    ("accent-strong", "bg", 4.5),
    ("text", "bg-soft", 4.5),
    ("muted", "bg-soft", 4.5),
    ("accent", "bg-soft", 4.5),
    ("accent-strong", "tag-bg", 4.5),
    ("bg", "accent", 4.5),
    ("text", "mark", 4.5),
    ("focus", "bg", 3.0),
    ("border", "bg", 1.2),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS)
def test_colours_meet_wcag_aa(
    scheme: str, foreground: str, background: str, minimum: float
) -> None:
    colours = colour_schemes()[scheme]
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= minimum, f"{scheme}: {foreground} on {background} is {ratio:.2f}:1"


def test_dark_scheme_redefines_every_colour() -> None:
    schemes = colour_schemes()
    css = (THEME / "static" / "style.css").read_text()
    dark_start = css.index("@media (prefers-color-scheme: dark)")
    dark_only = _variables(css[dark_start : css.index("}", dark_start)])
    assert set(dark_only) == set(_variables(css[css.index(":root {") : css.index("}")]))
    assert schemes["dark"]["bg"] != schemes["light"]["bg"]

"""Where internal links point: the link table of a site, as a static server would answer.

A target is resolved to the URL of a document (by its file, or by its URL, with or without
the trailing slash or `index.html`), a media file, a file in `static/` or a page sitegen
makes (home, archive, tags, feeds). A `#fragment` must name an id of the page it points to
(heading, footnote or raw HTML id); on the same page, `#top` and `#` always work (browsers
scroll to the top). Answers are pure functions of the table, so an entry made from them
(see site.EntryMemo) is reused while every answer it got stays the same: a fragment check
is recorded as its own query, FRAGMENT + target.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from sitegen.errors import ContentError, SitegenError, quote
from sitegen.model import Document, Media
from sitegen.routing import Route
from sitegen.sources.local import MEDIA_PREFIX

PAGES_DIR = "pages/"  # other files beside pages are copied: pages/img/a.png -> img/a.png
FRAGMENT = "\0#"  # query prefix: does the page `target` names have its #fragment?
_FOUND = ""  # the answer to a fragment query that holds
_UNKNOWN = object()
_ALWAYS_THERE = frozenset({"", "top"})  # `#` and `#top` scroll to the top of any page


class LinkTable:
    """Where internal links can point: documents by file and URL (with their ids), media
    files, static files and generated pages (`extra_paths`: site paths such as `tags/`)."""

    def __init__(
        self,
        base_path: str,
        documents: Sequence[Document],
        routes: Mapping[str, Route],
        media: Sequence[Media],
        ids: Mapping[str, Sequence[str]],
        extra_paths: Iterable[str] = (),
        assets: Sequence[Media] = (),
    ) -> None:
        """`assets`: files beside the pages (`pages/img/a.png`, written to `img/a.png`)."""
        self.base_path = base_path
        self.by_file = {
            d.source.removeprefix("content/"): base_path + routes[d.key].path for d in documents
        }
        self.by_file.update({PAGES_DIR + a.path: base_path + a.path for a in assets})
        self.media = {MEDIA_PREFIX + m.path for m in media}
        self.paths = {routes[d.key].path for d in documents} | set(extra_paths)
        self.paths |= {a.path for a in assets}
        self.doc_urls = {d.key: routes[d.key].path for d in documents}
        self.key_by_path = {routes[d.key].path: d.key for d in documents}
        self.ids = {key: frozenset(page_ids) for key, page_ids in ids.items()}
        self._memo: dict[tuple[str, str], str | None] = {}

    def contents(self) -> tuple[object, ...]:
        """Everything a lookup depends on: equal contents resolve every link the same way."""
        return (self.base_path, self.by_file, self.media, self.paths, self.doc_urls, self.ids)

    def lookup(self, doc: Document, target: str) -> str | None:
        """The URL `target` (as written in `doc`) points to, or None when nothing is there.
        For a FRAGMENT query: "" when the fragment is there (or cannot be checked), else None."""
        if target.startswith(FRAGMENT):
            return self._fragment(doc, target.removeprefix(FRAGMENT))
        path, fragment = split_fragment(target)
        fragment = _url_safe(fragment)  # as written, decoded: `?q="a b"`
        if not path:
            return fragment if self._has_id(doc.key, fragment) else None
        here = posixpath.dirname(doc.source.removeprefix("content/"))
        key = (here, path)
        found = self._memo.get(key, _UNKNOWN)
        if found is _UNKNOWN:  # posts link to the same few files: resolve each once
            found = self._memo[key] = self._file_url(here, path)
        if found is None:
            found = self._route_url(doc, path)
        return None if found is None else found + fragment  # type: ignore[operator]

    def _fragment(self, doc: Document, target: str) -> str | None:
        url = self.lookup(doc, target)
        path, fragment = split_fragment(url or "")
        key = self.key_by_path.get(path.removeprefix(self.base_path))
        if key is None or self._has_id(key, fragment):
            return _FOUND
        return None

    def _has_id(self, key: str, fragment: str) -> bool:
        if not fragment.startswith("#"):  # no fragment, or a ?query: nothing to check
            return True
        name = fragment[1:]
        return name in _ALWAYS_THERE or name in self.ids.get(key, ())

    def _file_url(self, here: str, path: str) -> str | None:
        """URL of the document or media file `path` names, relative to `here` or to content/."""
        if path.startswith("/"):
            candidates = [path.lstrip("/")]
        else:
            candidates = [posixpath.normpath(posixpath.join(here, path)), path]
        for candidate in candidates:
            if candidate in self.media:
                return self.base_path + candidate
            # `./debugging` and `../guides/` name `debugging.md` and `guides/index.md` too
            for name in (candidate, candidate + ".md", candidate.rstrip("/") + "/index.md"):
                if name in self.by_file:
                    return self.by_file[name]
        return None

    def _route_url(self, doc: Document, path: str) -> str | None:
        """A link written as a site URL (`/about/`, or relative to this page's URL): found as
        a static server finds it, with or without the trailing slash or `index.html`."""
        site_path = path.lstrip("/") if path.startswith("/") else self._relative_to_page(doc, path)
        if site_path is None:
            return None
        site_path = site_path.removesuffix("index.html")
        for candidate in (site_path, site_path + "/"):
            if candidate in self.paths:
                return self.base_path + candidate
        return None

    def _relative_to_page(self, doc: Document, path: str) -> str | None:
        page_dir = self.doc_urls[doc.key]
        page_dir = page_dir if page_dir.endswith("/") else posixpath.dirname(page_dir) + "/"
        joined = posixpath.normpath(posixpath.join("/" + page_dir, path)).lstrip("/")
        return (
            joined + "/" if path.endswith("/") and joined and not joined.endswith("/") else joined
        )

    def quiet_resolver(
        self, doc: Document, seen: list[tuple[str, str | None]]
    ) -> Callable[[str], str | None]:
        """Resolve, appending each (target, answer) to `seen`: what the caller's output depends on."""

        def lookup(target: str) -> str | None:
            url = self.lookup(doc, target)
            seen.append((target, url))
            return url

        return lookup

    def summary_resolver(
        self, doc: Document, seen: list[tuple[str, str | None]]
    ) -> Callable[[str], str | None]:
        """As quiet_resolver, but a same-page `#fragment` points at the document's own page:
        a summary is shown on list pages and in feeds, where that fragment is not."""
        lookup = self.quiet_resolver(doc, seen)
        page = self.base_path + self.doc_urls[doc.key]

        def resolve(target: str) -> str | None:
            url = lookup(target)
            return page + target if target.startswith("#") else url

        return resolve

    def resolver(
        self, doc: Document, warnings: list[SitegenError], seen: list[tuple[str, str | None]]
    ) -> Callable[[str, int | None, str], str | None]:
        """Resolve (see quiet_resolver) and record a warning naming file:line when the target
        is missing, or the page it names has no such #fragment."""
        lookup = self.quiet_resolver(doc, seen)

        def resolve(target: str, body_line: int | None, kind: str) -> str | None:
            url = lookup(target)
            line = doc.body_line + body_line - 1 if body_line is not None else 1
            if url is None:
                warnings.append(_broken(doc, target, line, kind, body_line is None))
            elif "#" in target and target[0] != "#" and lookup(FRAGMENT + target) is None:
                warnings.append(_missing_fragment(doc, target, line))
            return url

        return resolve


def _missing_fragment(doc: Document, target: str, line: int) -> ContentError:
    path, fragment = split_fragment(target)
    return ContentError(
        f"broken link {quote(target)}: {path or 'this page'} has no {fragment!r}",
        file=doc.source,
        line=line,
        hint="link to a heading by its id: lower-case words joined by `-`, as GitHub makes "
        "them (`## What's next?` is `#whats-next`)",
    )


def _broken(doc: Document, target: str, line: int, kind: str, is_cover: bool) -> ContentError:
    if target.startswith("#"):
        return _missing_fragment(doc, target, line)
    if is_cover:
        return ContentError(
            f"missing media file {quote(target)}",
            file=doc.source,
            line=line,
            field="cover",
            hint="put the file under content/media/, e.g. `cover: /media/cover.jpg`",
        )
    if kind == "image":
        return ContentError(
            f"missing media file {quote(target)}",
            file=doc.source,
            line=line,
            hint="put the file under content/media/ and link to it relative to this "
            "file, e.g. `../media/cat.png`",
        )
    return ContentError(
        f"broken link {quote(target)}: no page, post, media or static file there",
        file=doc.source,
        line=line,
        hint="link to the other file relative to this one, e.g. `../pages/about.md`",
    )


def _url_safe(text: str) -> str:
    """`text` with the ASCII characters a URL may not hold percent-encoded (as markdown-it
    writes an href); other characters, such as the letters of `#日本語`, are kept."""
    return _URL_UNSAFE.sub(lambda found: f"%{ord(found.group()):02X}", text)


_URL_UNSAFE = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')


def split_fragment(target: str) -> tuple[str, str]:
    """(`path`, `#fragment` or `?query...`) of a link target."""
    cut = min((i for i in (target.find("#"), target.find("?")) if i >= 0), default=len(target))
    return target[:cut], target[cut:]

"""Import a real Jekyll or Hugo site, build it, and check the result. Downloads nothing.

    python scripts/check_real_site.py jekyll /path/to/jekyll-site [--work DIR]
    python scripts/check_real_site.py hugo /path/to/hugo-site
    python scripts/check_real_site.py rust-blog /path/to/blog.rust-lang.org

`rust-blog` is blog.rust-lang.org's own generator, whose URL scheme is Jekyll's: its posts are
copied into a Jekyll layout first (`posts/` -> `_posts/`, `posts/inside-rust/` ->
`inside-rust/_posts/`, `static/*` at the top as the generator serves it, permalink `/:categories/:year/:month/:day/:title.html`),
then imported as Jekyll.

Prints: documents imported, import notes by kind, build time, build warnings by kind, old
URLs kept (each must exist in the output as a file a static server serves), posts without a
date, whether the feed is newest first, and internal links and #fragments that do not
resolve in the built HTML, by kind (a page of the source site that was not imported, e.g. a
Liquid HTML page, is told apart from a target that is in no part of the source). Exit 1 when
an old URL is lost, a post has no date or the feed is out of order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.build import BuildOptions, build_site
from sitegen.config import load_config
from sitegen.frontmatter import parse_document
from sitegen.importers.run import import_site
from sitegen.routing import url_route
from sitegen.site import as_instant


class _Page(HTMLParser):
    """Ids (and a-name anchors) a page defines, and the links it makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.text = ""

    def handle_data(self, data: str) -> None:
        if "{:" in data:
            self.text += data

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(str(values[name]))
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append(str(values[name]))


def _served(public: Path, path: str) -> Path | None:
    """The file a plain static server answers `path` with (`/a/` and `/a` give a/index.html)."""
    relative = unquote(path).lstrip("/")
    candidates = (
        [relative + "index.html"]
        if relative.endswith("/") or not relative
        else [relative, relative + "/index.html"]
    )
    for candidate in candidates:
        file = public / candidate
        if file.is_file():
            return file
    return None


def check_links(public: Path, base_url: str, source: Path) -> Counter[str]:
    """Broken internal links by kind, over every HTML file of the built site."""
    base_path = urlsplit(base_url).path
    pages: dict[Path, _Page] = {}

    def page(file: Path) -> _Page:
        if file not in pages:
            parser = _Page()
            parser.feed(file.read_text(encoding="utf-8", errors="replace"))
            pages[file] = parser
        return pages[file]

    broken: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for file in sorted(public.rglob("*.html")):
        here = "/" + file.relative_to(public).as_posix()
        for link in page(file).links:
            url = urljoin(base_path.rstrip("/") + here, link)
            if link.startswith(base_url):
                url = base_path + link[len(base_url) :]
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            if not parts.path.startswith(base_path):
                kind = "outside the base path"
            else:
                target = _served(public, parts.path[len(base_path) - 1 :])
                if target is None:
                    old = parts.path[len(base_path) :].strip("/")
                    in_source = any(
                        (source / c).is_file()
                        for c in (old, old + ".html", old + ".md", old + "/index.html")
                    )
                    if in_source:
                        kind = "a page of the source not imported (an HTML/Liquid template)"
                    elif Path(old).suffix not in ("", ".html"):
                        kind = "a file not in the corpus"
                    else:
                        kind = "a page not in the corpus"
                elif parts.fragment and target.suffix == ".html":
                    if unquote(parts.fragment) in page(target).ids:
                        continue
                    fragment = unquote(parts.fragment)
                    if "/page/" in here or here == "/index.html":
                        kind = "missing #fragment, linked from a list page"
                    elif f"{{: #{fragment}}}" in page(target).text:
                        kind = "missing #fragment set by a kramdown {: #id} (not converted)"
                    else:
                        kind = "missing #fragment"
                else:
                    continue
            broken[kind] += 1
            examples.setdefault(kind, f"{here} -> {link}")
    for kind, example in examples.items():
        print(f"    e.g. {kind}: {example}")
    return broken


def _expired(site: Path, relative: str, now: dt.datetime) -> bool:
    file = site / relative
    expiry = parse_document(file.read_text(encoding="utf-8"), source=relative).front.expiry_date
    return expiry is not None and as_instant(expiry) <= now


def _feed_newest_first(public: Path) -> bool:
    feed = (public / "feed.xml").read_text(encoding="utf-8")
    dates = re.findall(r"<(?:published|pubDate)>([^<]+)<", feed)
    return dates == sorted(dates, reverse=True) and bool(dates)


def _as_jekyll(source: Path, staged: Path) -> Path:
    """blog.rust-lang.org's sources in a Jekyll layout (see the module docstring)."""
    shutil.rmtree(staged, ignore_errors=True)
    for blog in sorted(p for p in (source / "posts").iterdir() if p.is_dir()):
        shutil.copytree(blog, staged / blog.name / "_posts", ignore=shutil.ignore_patterns("*.yml"))
    shutil.copytree(
        source / "posts",
        staged / "_posts",
        ignore=lambda d, names: [
            n for n in names if (Path(d) / n).is_dir() or not n.endswith(".md")
        ],
    )
    if (source / "static").is_dir():
        shutil.copytree(source / "static", staged, dirs_exist_ok=True)  # served from /
    (staged / "_config.yml").write_text(
        "title: Rust Blog\nurl: https://blog.rust-lang.org\n"
        "permalink: /:categories/:year/:month/:day/:title.html\n",
        encoding="utf-8",
    )
    return staged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("generator", choices=["jekyll", "hugo", "rust-blog"])
    parser.add_argument("source", type=Path)
    parser.add_argument(
        "--work", type=Path, help="folder for the imported site (default: a temporary one)"
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sitegen-real-"))
    site = work / "site"
    started = time.perf_counter()
    source, generator = args.source, args.generator
    if generator == "rust-blog":
        source, generator = _as_jekyll(args.source, work / "rust-blog-as-jekyll"), "jekyll"
    report = import_site(generator, source, site)
    print(
        f"import: {report.posts} posts, {report.pages} pages, {report.media} media files in {time.perf_counter() - started:.1f} s"
    )
    for kind, count in Counter(n.kind or n.message for n in report.notes).most_common(15):
        print(f"  note  {count:6d}  {kind}")
    started = time.perf_counter()
    result = build_site(site, BuildOptions(use_cache=False))
    print(
        f"build: {result.documents} documents, {result.written} files in {time.perf_counter() - started:.1f} s"
    )
    kinds = Counter(re.sub(r"'.*'|\".*\"", "…", w.message).split(";")[0] for w in result.warnings)
    for kind, count in kinds.most_common(15):
        print(f"  warning  {count:6d}  {kind}")
    public = site / "public"
    now = dt.datetime.now(dt.UTC)
    published = [(s, u) for s, d, u in report.old_urls if not _expired(site, d, now)]
    lost = [(s, u) for s, u in published if not (public / url_route(u).output).is_file()]
    print(f"old URLs kept: {len(published) - len(lost)} of {len(published)} (expired left out)")
    for source, url in lost[:10]:
        print(f"  lost: {url} ({source})")
    undated = sum(1 for w in result.warnings if w.field == "date")
    newest_first = _feed_newest_first(public)
    print(f"posts without a date: {undated}; feed newest first: {newest_first}")
    config = load_config(site)
    print("broken internal links by kind:")
    broken = check_links(public, config.base_url, source)
    for kind, count in broken.most_common():
        print(f"  {count:6d}  {kind}")
    print(f"  total {sum(broken.values())}")
    return 1 if lost or undated or not newest_first else 0


if __name__ == "__main__":
    sys.exit(main())

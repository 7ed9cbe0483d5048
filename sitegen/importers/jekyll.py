"""Jekyll -> Draft: `_config.yml`, posts in every `_posts/` (and `_drafts/`), Markdown pages,
and every other file as media.

Old URLs follow Jekyll's rules (`permalink: pretty|date|none|ordinal` or a pattern of `:year`,
`:categories`, `:title`...; folders above `_posts` are categories), so `finish` can keep each.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from sitegen.config import validate_permalink
from sitegen.errors import ContentError
from sitegen.frontmatter import load_front_matter, name_date, read_date
from sitegen.importers.bodies import (
    block_ids,
    convert_liquid,
    heading_ids,
    list_kramdown,
    rewrite_targets,
)
from sitegen.importers.draft import Draft, DraftDoc, Note, plain_value
from sitegen.importers.paths import MARKDOWN, media_file, relative, unique_dests, walk
from sitegen.sources.local import MEDIA_ROOT

CONFIG = "_config.yml"
_STYLES = {
    "pretty": "/:categories/:year/:month/:day/:title/",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
}
_TO_SITEGEN = {
    ":categories": "{categories}",
    ":year": "{year}",
    ":month": "{month}",
    ":day": "{day}",
    ":title": "{title}",
    ":output_ext": ".html",
}
_PLUGINS = {
    "jekyll-sitemap": "sitegen writes sitemap.xml itself",
    "jekyll-feed": "sitegen writes feed.xml (and a feed per tag) itself",
    "jekyll-redirect-from": "`redirect_from` became `aliases`: sitegen writes the redirect pages",
    "jekyll-seo-tag": "the default theme writes the description, canonical and Open Graph tags",
    "jekyll-paginate": "`paginate` became `posts_per_page`",
}
# _config.yml keys that are Jekyll's own (read here, or without meaning for sitegen).
_OWN = {
    "title", "description", "url", "baseurl", "permalink", "author", "plugins", "gems",
    "exclude", "include", "markdown", "kramdown", "highlighter", "timezone", "paginate",
    "paginate_path", "defaults", "collections", "encoding", "sass", "source", "destination",
    "future", "show_drafts", "theme", "remote_theme", "keep_files", "incremental", "lang",
}  # fmt: skip
_ALWAYS_SKIPPED = ("node_modules", "vendor", "Gemfile", "Gemfile.lock", "_site")


def read_jekyll(source: Path) -> Draft:
    """The draft of the Jekyll site in `source`."""
    raw = _load_config(source)
    draft = Draft(config={})
    draft.config = _site_config(raw, draft)
    pattern = _STYLES.get(str(raw.get("permalink", "date")), str(raw.get("permalink", "")))
    pretty = str(raw.get("permalink", "date")) == "pretty" or pattern.endswith("/")
    files = walk(source, _skipper(raw))
    # source -> dest, front, key lines, body, body line
    docs: dict[str, tuple[str, dict[str, Any], dict[str, int], str, int]] = {}
    for rel in files:
        kind = _kind(rel)
        if kind == "media":
            draft.media[f"{MEDIA_ROOT}/{rel}"] = rel
            continue
        text = (source / rel).read_text(encoding="utf-8", errors="replace")
        try:
            front, key_lines, body, body_line = load_front_matter(text, rel)
        except ContentError as exc:
            draft.notes.append(
                Note(rel, exc.line or 1, f"not imported: {exc.message}", "not imported")
            )
            continue
        if body_line == 1:  # no front matter: Jekyll copies the file as it is
            if kind == "post":
                draft.notes.append(Note(rel, 1, "not imported: no front matter", "not imported"))
            else:
                draft.media[f"{MEDIA_ROOT}/{rel}"] = rel
            continue
        if kind == "html":
            draft.notes.append(
                Note(
                    rel,
                    1,
                    "HTML page with front matter (a Liquid template): not imported",
                    "HTML page not imported",
                )
            )
            continue
        dest = _dest(rel, kind)
        if dest is None:
            draft.notes.append(Note(rel, 1, "the site's home page: sitegen makes its own"))
            continue
        docs[rel] = (dest, front, key_lines, body, body_line)
    by_source = unique_dests({rel: dest for rel, (dest, *_) in docs.items()})
    renamed = sum(1 for rel, (dest, *_) in docs.items() if by_source[rel] != dest)
    if renamed:
        draft.changes["files renamed (their name repeats once the date is dropped)"] += renamed
    site_prefixes = (str(draft.config["base_url"]).rstrip("/"), str(raw.get("baseurl") or ""))
    base_path = urlsplit(str(draft.config["base_url"])).path
    for rel, (_, front, key_lines, body, body_line) in docs.items():
        dest = by_source[rel]
        old_url = _old_url(rel, front, pattern, pretty, draft, raw)
        front = _front(rel, front, draft)

        def file_link(tag: str, argument: str, dest: str = dest) -> str | None:
            return _file_link(tag, argument, dest, by_source, draft.media)

        def static_file(url: str, page: str | None = old_url) -> tuple[str, str] | None:
            return media_file(url, draft.media, site_prefixes, page)

        body, notes, changes = convert_liquid(body, rel, body_line, file_link)
        body, moved = heading_ids(body)
        if moved:
            changes["kramdown heading ids moved onto their heading"] += moved
        body, anchored = block_ids(body)
        if anchored:
            changes["kramdown block ids made anchors"] += anchored
        body, count = rewrite_targets(body, static_file, dest, base_path)
        draft.notes += notes + list_kramdown(body, rel, body_line)
        draft.changes.update(changes)
        if count:
            draft.changes["links to static files made file links"] += count
        draft.documents.append(DraftDoc(rel, dest, front, body, body_line, old_url, key_lines))
    return draft


def _load_config(source: Path) -> dict[str, Any]:
    path = source / CONFIG
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(
            f"invalid YAML: {exc}", file=str(path), hint="fix it, then import"
        ) from None
    return data if isinstance(data, dict) else {}


def _site_config(raw: dict[str, Any], draft: Draft) -> dict[str, Any]:
    """sitegen.toml values from _config.yml; what has no place is a note or a param."""
    url = str(raw.get("url") or "http://localhost:8000").rstrip("/")
    base = str(raw.get("baseurl") or "").strip("/")
    author = raw.get("author")
    config: dict[str, Any] = {
        "title": str(raw.get("title") or "Imported site"),
        "base_url": f"{url}/{base}/" if base else f"{url}/",
    }
    if raw.get("description"):
        config["description"] = str(raw["description"])
    if isinstance(author, dict):
        author = author.get("name")
    if isinstance(author, str):
        config["author"] = author
    if isinstance(raw.get("paginate"), int) and raw["paginate"] > 0:
        config["posts_per_page"] = raw["paginate"]
    style = str(raw.get("permalink", "date"))
    config["permalinks"] = {
        "post": _sitegen_pattern(_STYLES.get(style, style), draft),
        "page": "/{slug}/" if style == "pretty" or style.endswith("/") else "/{slug}.html",
    }
    for plugin in [*(raw.get("plugins") or []), *(raw.get("gems") or [])]:
        why = _PLUGINS.get(str(plugin), "no sitegen equivalent; its output is not made")
        draft.notes.append(Note(CONFIG, 1, f"plugin {plugin}: {why}"))
    for key in ("markdown", "kramdown", "highlighter", "defaults", "collections", "theme"):
        if key in raw:
            draft.notes.append(Note(CONFIG, 1, f"{key}: not converted (sitegen's own)"))
    params = plain_value({k: v for k, v in raw.items() if k not in _OWN})
    if params:
        config["params"] = params
        draft.changes["_config.yml keys kept as [params]"] += len(params)
    return config


def _sitegen_pattern(pattern: str, draft: Draft) -> str:
    converted = pattern
    for token in sorted(_TO_SITEGEN, key=len, reverse=True):
        converted = converted.replace(token, _TO_SITEGEN[token])
    try:
        if ":" in converted:
            raise ValueError(converted)
        return validate_permalink(
            converted, {"slug", "title", "year", "month", "day", "categories"}
        )
    except ValueError:
        draft.notes.append(
            Note(
                CONFIG,
                1,
                f"permalink {pattern!r} has no sitegen pattern: each post gets its URL as `url`",
            )
        )
        return "/{year}/{month}/{day}/{title}/"


def _skipper(raw: dict[str, Any]) -> Any:
    excluded = [str(e).strip("/") for e in raw.get("exclude") or []]
    included = {str(e).strip("/") for e in raw.get("include") or []}

    def skip(path: str, is_dir: bool) -> bool:
        name = posixpath.basename(path)
        if path in included:
            return False
        if name in ("_posts", "_drafts") and is_dir:
            return False
        if name.startswith(("_", ".")) or name in _ALWAYS_SKIPPED or path == CONFIG:
            return True
        return any(path == e or fnmatch.fnmatch(path, e) for e in excluded)

    return skip


def _kind(rel: str) -> str:
    parts = rel.split("/")
    ext = posixpath.splitext(rel)[1].lower()
    if ext in MARKDOWN:
        return "post" if {"_posts", "_drafts"} & set(parts[:-1]) else "page"
    return "html" if ext in (".html", ".htm") else "media"


def _dest(rel: str, kind: str) -> str | None:
    stem = posixpath.splitext(rel)[0]
    if kind == "post":
        parts = [p for p in stem.split("/") if p not in ("_posts", "_drafts")]
        return "content/posts/" + "/".join(parts) + ".md"
    if posixpath.basename(stem) == "index":
        stem = posixpath.dirname(stem)
        if not stem:
            return None
    return f"content/pages/{stem}.md"


def _categories(rel: str, front: dict[str, Any]) -> list[str]:
    """Jekyll's: the folders above `_posts`, then the front matter's."""
    parts = rel.split("/")
    cut = next((i for i, p in enumerate(parts) if p in ("_posts", "_drafts")), 0)
    written = front.get("categories") or []
    written = written.split() if isinstance(written, str) else written
    return list(dict.fromkeys([*parts[:cut], *(str(c) for c in written)]))


def _front(rel: str, front: dict[str, Any], draft: Draft) -> dict[str, Any]:
    """sitegen front matter from Jekyll's (already under sitegen's names, see frontmatter.ALIASES)."""
    front = dict(front)
    for key in ("layout", "slug"):
        if key in front:
            del front[key]
            draft.changes[
                f"`{key}` dropped (the URL is kept)" if key == "slug" else "`layout` dropped"
            ] += 1
    if _kind(rel) == "post":
        categories = _categories(rel, front)
        if categories:
            front["categories"] = categories
        if "_drafts" in rel.split("/"):
            front["draft"] = True
    return front


def _old_url(
    rel: str, front: dict[str, Any], pattern: str, pretty: bool, draft: Draft, raw: dict[str, Any]
) -> str | None:
    """The URL Jekyll gave this document."""
    if isinstance(front.get("url"), str):
        written = front["url"]
        return written if ":" not in written else None
    stem = posixpath.splitext(rel)[0]
    if _kind(rel) != "post":
        if posixpath.basename(stem) == "index":
            return "/" + posixpath.dirname(stem) + "/"
        return f"/{stem}/" if pretty else f"/{stem}.html"
    day, name = name_date(posixpath.basename(stem))
    try:
        date = read_date(front["date"]) if front.get("date") is not None else day
    except ValueError:
        date = day
    if date is None:
        draft.notes.append(Note(rel, 1, "no date in the front matter or the file name", "no date"))
        return None
    if isinstance(date, dt.datetime) and str(raw.get("timezone", "UTC")) == "UTC":
        date = date.astimezone(dt.UTC)
    slug = front.get("slug")
    title = _pretty(str(slug) if slug else name)
    values = {
        ":categories": "/".join(c.lower() for c in _categories(rel, front)),
        ":year": f"{date.year:04d}",
        ":month": f"{date.month:02d}",
        ":day": f"{date.day:02d}",
        ":i_month": str(date.month),
        ":i_day": str(date.day),
        ":short_year": f"{date.year % 100:02d}",
        ":y_day": f"{date.timetuple().tm_yday:03d}",
        ":title": title,
        ":slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        ":output_ext": ".html",
    }
    url = pattern
    for token in sorted(values, key=len, reverse=True):
        url = url.replace(token, values[token])
    return re.sub("/{2,}", "/", "/" + url)


def _pretty(name: str) -> str:
    """Jekyll's slugify in `pretty` mode, cased: `Rust 1.35` -> `Rust-1.35`."""
    return re.sub(r"[^0-9A-Za-z\u00c0-\uffff._~!$&'()+,;=@]+", "-", name).strip("-")


def _file_link(
    tag: str, argument: str, dest: str, by_source: dict[str, str], media: dict[str, str]
) -> str | None:
    """`{% link path %}` / `{% post_url name %}` as a path from `dest` to the imported file."""
    argument = argument.strip("\"'")
    if tag == "link":
        target = by_source.get(argument.lstrip("/"))
        if target is None and f"{MEDIA_ROOT}/{argument.lstrip('/')}" in media:
            target = f"{MEDIA_ROOT}/{argument.lstrip('/')}"
    else:
        wanted = "/" + argument.lstrip("/")
        found = sorted(
            d
            for s, d in by_source.items()
            if "_posts/" in s and posixpath.splitext("/" + s)[0].endswith(wanted)
        )
        target = found[0] if found else None
    return None if target is None else relative(target, dest)

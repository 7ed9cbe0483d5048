"""Hugo -> Draft: the config (TOML, YAML or JSON), `content/` (pages, leaf and branch bundles,
translations `name.<lang>.md`) and `static/` (as media).

The main section (`params.mainSections`, else the section with most pages) gives the posts;
everything else is a page. Old URLs follow Hugo's rules (`url`, `[permalinks]` with `:year`,
`:slug`, `:filename`..., else the path with `slug` as its last part; lower-cased; languages
other than the default under `/<lang>/`), so `finish` can keep each.
"""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from collections import Counter
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from sitegen.config import validate_permalink
from sitegen.errors import ContentError
from sitegen.frontmatter import load_front_matter, name_date, read_date
from sitegen.importers.bodies import (
    list_shortcodes,
    rewrite_targets,
    shortcode_names,
    stub_shortcode,
)
from sitegen.importers.draft import Draft, DraftDoc, Note, plain_value
from sitegen.importers.paths import MARKDOWN, media_file, unique_dests, url_suffix, walk
from sitegen.paths import CONTENT_DIR
from sitegen.shortcodes import INCLUDE
from sitegen.sources.local import MEDIA_ROOT

CONFIGS = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.json", "config.json")
_NAME_TOKENS = (":slugorfilename", ":slugorcontentbasename", ":contentbasename", ":filename")
_UNCONVERTED_DIRS = ("layouts", "themes", "data", "assets", "i18n", "archetypes")
_RELATIVE = re.compile(r"^(?![a-z][a-z0-9+.-]*:|/|#)[^\s]+$", re.I)


def read_hugo(source: Path) -> Draft:
    """The draft of the Hugo site in `source`."""
    raw, config_name = _load_config(source)
    draft = Draft(config={})
    languages = _languages(raw)
    ignore = [re.compile(p) for p in raw.get("ignoreFiles") or raw.get("ignorefiles") or []]
    content = walk(
        source / CONTENT_DIR,  # Hugo's folder has sitegen's name
        lambda path, is_dir: (
            posixpath.basename(path).startswith(".") or any(p.search(path) for p in ignore)
        ),
    )
    main = _main_sections(raw, content)
    permalinks = {str(k): str(v) for k, v in (raw.get("permalinks") or {}).items()}
    draft.config = _site_config(raw, config_name, main, permalinks, content, draft)
    for rel in walk(
        source / "static", lambda path, is_dir: posixpath.basename(path).startswith(".")
    ):
        draft.media[f"{MEDIA_ROOT}/{rel}"] = f"static/{rel}"
    for folder in _UNCONVERTED_DIRS:
        if (source / folder).is_dir():
            draft.notes.append(
                Note(f"{folder}/", 1, f"{folder}/ is not converted", f"{folder}/ not converted")
            )
    documents: dict[str, str] = {}
    bundles = {posixpath.dirname(p) for p in content if _split_name(p, languages)[0] == "index"}
    for rel in content:
        in_bundle = posixpath.dirname(rel) in bundles and _split_name(rel, languages)[0] != "index"
        if posixpath.splitext(rel)[1].lower() not in MARKDOWN or in_bundle:  # a resource
            if posixpath.splitext(rel)[1].lower() in (".html", ".htm") and "/" not in rel:
                draft.notes.append(
                    Note(
                        f"content/{rel}",
                        1,
                        "HTML content: not imported",
                        "HTML content not imported",
                    )
                )
            else:
                draft.media[f"{MEDIA_ROOT}/{rel}"] = f"content/{rel}"
            continue
        documents[rel] = _dest(rel, languages, main)
    prefixes = (str(draft.config["base_url"]).rstrip("/"),)
    base_path = urlsplit(str(draft.config["base_url"])).path
    for rel in (r for r, d in documents.items() if not d):
        draft.notes.append(
            Note(f"content/{rel}", 1, "the home page: sitegen makes its own", "home page")
        )
    dests = unique_dests({r: d for r, d in documents.items() if d})
    renamed = sum(1 for r, d in dests.items() if documents[r] != d)
    if renamed:
        draft.changes["files renamed (their name repeats once the date is dropped)"] += renamed
    called: set[str] = set()
    for rel, dest in dests.items():
        source_name = f"content/{rel}"
        text = (source / CONTENT_DIR / rel).read_text(encoding="utf-8", errors="replace")
        try:
            front, key_lines, body, body_line = load_front_matter(text, source_name)
        except ContentError as exc:
            draft.notes.append(
                Note(source_name, exc.line or 1, f"not imported: {exc.message}", "not imported")
            )
            continue
        if front.get("headless") is True:
            message = "a headless bundle (Hugo renders no page for it): not imported"
            draft.notes.append(Note(source_name, 1, message, "headless: not imported"))
            continue
        old_url = _old_url(rel, front, languages, permalinks, raw)
        front = _front(front, old_url, draft)
        draft.notes += list_shortcodes(body, source_name, body_line)
        called |= shortcode_names(body)
        here = posixpath.dirname(rel)

        def copied_file(
            url: str, here: str = here, page: str | None = old_url
        ) -> tuple[str, str] | None:
            if _RELATIVE.match(url):  # a bundle's own file first
                path = posixpath.normpath(posixpath.join(here, urlsplit(url).path))
                if f"{MEDIA_ROOT}/{path}" in draft.media:
                    return f"{MEDIA_ROOT}/{path}", url_suffix(url)
            return media_file(url, draft.media, prefixes, page)

        body, count = rewrite_targets(body, copied_file, dest, base_path)
        if count:
            draft.changes["links to static files and bundle resources made file links"] += count
        draft.documents.append(
            DraftDoc(source_name, dest, front, body, body_line, old_url, key_lines)
        )
    for name in sorted(called - _built_in_shortcodes()):
        draft.texts[f"templates/shortcodes/{name}.html"] = stub_shortcode(name)
        draft.changes["shortcodes sitegen does not have given a stub template"] += 1
    return draft


def _built_in_shortcodes() -> set[str]:
    """The shortcodes the default theme has, and `include`."""
    folder = Path(str(files("sitegen").joinpath("themes", "default", "templates", "shortcodes")))
    return {path.stem for path in folder.glob("*.html")} | {INCLUDE}


def _load_config(source: Path) -> tuple[dict[str, Any], str]:
    for name in CONFIGS:
        path = source / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        try:
            if name.endswith(".toml"):
                data: Any = tomllib.loads(text)
            elif name.endswith(".json"):
                data = json.loads(text)
            else:
                data = yaml.safe_load(text)
        except (tomllib.TOMLDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
            raise ContentError(f"cannot read the config: {exc}", file=str(path)) from None
        return (data if isinstance(data, dict) else {}), name
    raise ContentError(
        f"no Hugo config ({', '.join(CONFIGS)}) in {source}",
        file=str(source),
        hint="pass the folder that holds the Hugo site's config file",
    )


def _get(raw: dict[str, Any], *names: str) -> Any:
    """A config value by any of its spellings (Hugo's keys are case-insensitive)."""
    lowered = {str(k).lower(): v for k, v in raw.items()}
    return next((lowered[n.lower()] for n in names if n.lower() in lowered), None)


def _languages(raw: dict[str, Any]) -> tuple[str, set[str]]:
    """The default language and every other one."""
    default = str(_get(raw, "defaultContentLanguage") or "en")
    others = {str(k) for k in (_get(raw, "languages") or {})} - {default}
    return default, others


def _main_sections(raw: dict[str, Any], content: list[str]) -> set[str]:
    params = _get(raw, "params") or {}
    written = _get(params, "mainSections") if isinstance(params, dict) else None
    if written:
        return {str(s) for s in written}
    counts = Counter(p.split("/")[0] for p in content if "/" in p and p.endswith(MARKDOWN))
    return {counts.most_common(1)[0][0]} if counts else set()


def _split_name(rel: str, languages: tuple[str, set[str]]) -> tuple[str, str | None]:
    """`a/index.es.md` -> (`index`, `es`); `a/b.md` -> (`b`, None)."""
    stem = posixpath.splitext(posixpath.basename(rel))[0]
    base, _, lang = stem.rpartition(".")
    if base and lang in languages[1]:
        return base, lang
    if base and lang == languages[0]:  # `index.en.md` in an English site is `index.md`
        return base, None
    return stem, None


def _dest(rel: str, languages: tuple[str, set[str]], main: set[str]) -> str:
    """Where a content file goes: the main section's pages are posts; "" for the home page."""
    name, lang = _split_name(rel, languages)
    folder = posixpath.dirname(rel)
    if name in ("index", "_index"):
        folder, name = posixpath.dirname(folder), posixpath.basename(folder)
        if not name:
            return ""
    suffix = f".{lang}" if lang else ""
    path = posixpath.join(folder, name) + suffix + ".md"
    is_post = (
        rel.split("/")[0] in main
        and posixpath.basename(posixpath.splitext(rel)[0]).split(".")[0] != "_index"
    )
    return f"content/{'posts' if is_post else 'pages'}/{path}"


def _site_config(
    raw: dict[str, Any],
    config_name: str,
    main: set[str],
    permalinks: dict[str, str],
    content: list[str],
    draft: Draft,
) -> dict[str, Any]:
    params = plain_value(_get(raw, "params") or {})
    config: dict[str, Any] = {
        "title": str(_get(raw, "title") or "Imported site"),
        "base_url": str(_get(raw, "baseURL") or "http://localhost:8000/"),
    }
    language = _get(raw, "languageCode") or _get(raw, "defaultContentLanguage")
    if isinstance(language, str) and re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", language):
        config["language"] = language
    if isinstance(params, dict) and isinstance(params.get("description"), str):
        config["description"] = params["description"]
    pagination = _get(raw, "pagination") or {}
    size = _get(pagination, "pagerSize") if isinstance(pagination, dict) else None
    size = size or _get(raw, "paginate")
    if isinstance(size, int) and size > 0:
        config["posts_per_page"] = size
    limit = _get(raw, "rssLimit")
    if isinstance(limit, int) and limit > 0:
        config["feeds"] = {"limit": limit}
    section = sorted(main)[0] if main else ""
    config["permalinks"] = {
        "post": _sitegen_pattern(permalinks.get(section), section, config_name, draft),
        "page": "/{slug}/",
    }
    sections = {p.split("/")[0] for p in content if "/" in p}
    taxonomies = _get(raw, "taxonomies")
    taxonomies = (
        taxonomies if isinstance(taxonomies, dict) else {"tag": "tags", "category": "categories"}
    )
    config["taxonomies"] = {}
    for plural in sorted({str(v) for v in taxonomies.values()}):
        if plural in sections:
            draft.notes.append(
                Note(
                    config_name,
                    1,
                    f"taxonomy {plural}: content/{plural}/ holds its pages; they are imported as pages",
                    "taxonomy with its own pages",
                )
            )
            continue
        if plural != "tags" and re.fullmatch(r"[a-z][a-z0-9_]*", plural):
            config["taxonomies"][plural] = f"/{plural}/{{slug}}/"
    if not config["taxonomies"]:
        del config["taxonomies"]
    for key in (
        "markup",
        "outputs",
        "outputFormats",
        "menu",
        "menus",
        "module",
        "theme",
        "imaging",
    ):
        if _get(raw, key) is not None:
            draft.notes.append(
                Note(config_name, 1, f"{key}: not converted", "config key not converted")
            )
    if params:
        config["params"] = params
    return config


def _sitegen_pattern(pattern: str | None, section: str, config_name: str, draft: Draft) -> str:
    if pattern is None:
        return f"/{section}/{{title}}/" if section else "/posts/{title}/"
    converted = pattern.replace(":section", section)
    for token in (*_NAME_TOKENS, ":slug", ":title"):
        converted = converted.replace(token, "{title}")
    for token in ("year", "month", "day"):
        converted = converted.replace(f":{token}", f"{{{token}}}")
    try:
        if ":" in converted:
            raise ValueError(converted)
        return validate_permalink(converted, {"slug", "title", "year", "month", "day"})
    except ValueError:
        draft.notes.append(
            Note(
                config_name,
                1,
                f"permalink {pattern!r}: each post keeps its URL as `url`",
                "permalink not converted",
            )
        )
        return f"/{section}/{{title}}/"


def urlize(text: str) -> str:
    """Hugo's urlize: spaces become `-`, characters other than letters, digits and `._~-/#+`
    are dropped; lower-cased."""
    text = re.sub(r"\s+", "-", text.strip())
    return "".join(c for c in text if c.isalnum() or c in "._~-/#+").lower()


def _old_url(
    rel: str,
    front: dict[str, Any],
    languages: tuple[str, set[str]],
    permalinks: dict[str, str],
    raw: dict[str, Any],
) -> str | None:
    """The URL Hugo gave this page."""
    name, lang = _split_name(rel, languages)
    prefix = f"/{lang}" if lang else ""
    if isinstance(front.get("url"), str):
        url = front["url"]
        return url if url.startswith("/") else "/" + url
    folder = posixpath.dirname(rel)
    if name in ("index", "_index"):
        folder, name = posixpath.dirname(folder), posixpath.basename(folder)
        if rel.split("/")[-1].startswith("_index"):
            return urlize(f"{prefix}/{posixpath.dirname(rel)}/").replace("//", "/")
    section = rel.split("/")[0] if "/" in rel else ""
    slug = front.get("slug")
    title = urlize(str(front.get("title") or name))
    pattern = permalinks.get(section)
    if pattern is None:
        last = urlize(str(slug)) if slug else urlize(name)
        return re.sub("/{2,}", "/", f"{prefix}/{folder}/{last}/".lower())
    try:
        date = read_date(front.get("date")) or name_date(name)[0]
    except ValueError:
        date = name_date(name)[0]
    values = {
        ":slugorfilename": urlize(str(slug)) if slug else urlize(name),
        ":slugorcontentbasename": urlize(str(slug)) if slug else urlize(name),
        ":contentbasename": urlize(name),
        ":filename": urlize(name),
        ":section": section,
        ":slug": urlize(str(slug)) if slug else title,
        ":title": title,
    }
    if date is not None:
        values.update(
            {":year": f"{date.year:04d}", ":month": f"{date.month:02d}", ":day": f"{date.day:02d}"}
        )
    url = pattern
    for token in sorted(values, key=len, reverse=True):
        url = url.replace(token, values[token])
    if ":" in url:
        return None
    return re.sub("/{2,}", "/", f"{prefix}/{url}")


def _front(front: dict[str, Any], old_url: str | None, draft: Draft) -> dict[str, Any]:
    """sitegen front matter from Hugo's (already under sitegen's names)."""
    front = dict(front)
    for key in ("slug", "type", "layout"):
        if key in front:
            del front[key]
            draft.changes[
                f"`{key}` dropped (the URL is kept)" if key == "slug" else f"`{key}` dropped"
            ] += 1
    if front.get("publishDate") is not None:  # the date it went public: the date it shows
        front["date"] = front.pop("publishDate")
        draft.changes["`publishDate` made the date"] += 1
    if "menu" in front:
        menu = front.pop("menu")
        main = menu == "main" or (isinstance(menu, (dict, list)) and "main" in menu)
        if main:
            front["menu"] = True
    aliases = front.get("aliases")
    if isinstance(aliases, list) and old_url:
        base = posixpath.dirname(old_url.rstrip("/"))
        front["aliases"] = [
            a if str(a).startswith("/") else posixpath.join(base, str(a)) for a in aliases
        ]
    return front

"""A draft checked against sitegen itself: every document parses, has its own key and keeps
its old URL (by the permalink pattern, or by an explicit `url` where the pattern gives another).

What cannot be kept is a note, never a build error later: a field sitegen cannot read is
dropped, a second document on one URL is kept as a draft.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from sitegen.config import SiteConfig, parse_config
from sitegen.errors import ContentError, ContentErrors, SitegenError
from sitegen.frontmatter import dump_document, name_date, parse_document
from sitegen.importers.draft import Draft, DraftDoc, Note
from sitegen.model import SourceDocument
from sitegen.paths import CONFIG_FILE
from sitegen.routing import route_for, url_route
from sitegen.sources.local import MEDIA_PREFIX

# Outputs sitegen writes itself: a document there would clash with them.
_RESERVED = ("index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt")
_RESERVED_DIRS = ("page/", "archive/", "tags/", MEDIA_PREFIX, "static/")
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def finish(draft: Draft) -> tuple[SiteConfig, dict[str, str]]:
    """The site config and each document's file text (by dest path), notes added to `draft`."""
    config_text = toml_text(draft.config)
    config = parse_config(config_text, CONFIG_FILE)
    checked: dict[str, tuple[DraftDoc, SourceDocument]] = {}
    keys: dict[str, str] = {}
    outputs: dict[str, str] = {}
    for item in sorted(draft.documents, key=lambda d: d.source):
        doc = _parsed(item, draft)
        if doc is None:
            continue
        if doc.key in keys:  # the readers give every file its own key (`unique_dests`)
            message = f"not imported: its key {doc.key} is also {keys[doc.key]}'s"
            draft.notes.append(Note(item.source, 1, message, "not imported"))
            continue
        doc = _kept_url(item, doc, config, draft)
        if doc is None:
            continue
        try:
            output = route_for(doc, config).output
        except ContentError:  # an undated post (a Jekyll draft) under a dated pattern
            item.front["url"] = f"/{doc.key}/"
            draft.notes.append(
                Note(item.source, 1, f"no date for its URL: given url /{doc.key}/", "no date")
            )
            doc = _parsed(item, draft)
            if doc is None:
                continue
            output = route_for(doc, config).output
        if output in outputs or output in _RESERVED or output.startswith(_RESERVED_DIRS):
            other = outputs.get(output)
            owner = f"also {other}'s" if other else "one sitegen writes itself"
            draft.notes.append(
                Note(
                    item.source,
                    1,
                    f"its URL /{output} is {owner}; imported as a draft",
                    "URL taken: imported as a draft",
                )
            )
            item.front["draft"] = True
            doc = _parsed(item, draft)
            if doc is None:
                continue
        else:
            outputs[output] = item.source
        keys[doc.key] = item.source
        checked[item.dest] = (item, doc)
    _drop_clashing_aliases(checked, outputs, draft)
    files = {dest: dump_document(doc) for dest, (_, doc) in checked.items()}
    return config, {CONFIG_FILE: config_text, **files}


def _parsed(item: DraftDoc, draft: Draft) -> SourceDocument | None:
    """The sitegen document `item` gives; fields sitegen cannot read are dropped with a note."""
    for _ in range(len(item.front) + 2):
        try:
            doc = parse_document(front_text(item.front, item.body), source=item.dest)
        except ContentErrors as exc:
            if not _repair(item, exc.errors, draft):
                return None
            continue
        draft.notes += [
            Note(
                item.source,
                item.key_lines.get(str(n.field), 1),
                f"{n.field}: {n.message}",
                "misspelt key?",
            )
            for n in doc.notes
        ]
        return doc
    return None


def _repair(item: DraftDoc, errors: Sequence[SitegenError], draft: Draft) -> bool:
    """Drop (or, for the title, make up) the fields in `errors`; False when nothing can be done."""
    repaired = False
    for error in errors:
        field = error.field
        if field == "title" and isinstance(item.front.get("name"), str) and item.front["name"]:
            item.front["title"] = item.front["name"]  # Hugo's author and people pages
        elif field == "title":
            item.front["title"] = _title_from_name(item.dest)
            draft.notes.append(
                Note(item.source, 1, "has no title: made one from the file name", "no title")
            )
        elif field in item.front:
            value = item.front.pop(field)
            draft.notes.append(
                Note(
                    item.source,
                    item.key_lines.get(str(field), 1),
                    f"{field}: {error.message}; dropped (was {value!r})",
                    f"invalid `{field}` dropped",
                )
            )
        else:
            draft.notes.append(
                Note(item.source, 1, f"not imported: {error.message}", "not imported")
            )
            return False
        repaired = True
    return repaired


def _kept_url(
    item: DraftDoc, doc: SourceDocument, config: SiteConfig, draft: Draft
) -> SourceDocument | None:
    """`doc`, with an explicit `url` when its permalink pattern would not give its old URL."""
    if item.old_url is None:
        return doc
    try:
        same = route_for(doc, config).path == url_route(item.old_url).path
    except (ContentError, ValueError):
        same = False
    if same:
        return doc
    item.front["url"] = item.old_url
    draft.changes["documents given their old URL as `url`"] += 1
    return _parsed(item, draft)


def _drop_clashing_aliases(
    checked: dict[str, tuple[DraftDoc, SourceDocument]], outputs: dict[str, str], draft: Draft
) -> None:
    """Aliases on another document's URL are dropped (the build would refuse them)."""
    for dest, (item, doc) in list(checked.items()):
        kept = []
        for alias in doc.front.aliases:
            output = url_route(alias).output
            if outputs.setdefault(output, item.source) != item.source:
                message = f"alias {alias} is {outputs[output]}'s URL; dropped"
                draft.notes.append(Note(item.source, 1, message, "alias dropped"))
            else:
                kept.append(alias)
        if len(kept) != len(doc.front.aliases):
            item.front["aliases"] = kept
            again = _parsed(item, draft)
            if again is not None:
                checked[dest] = (item, again)


def _title_from_name(dest: str) -> str:
    name = name_date(posixpath.splitext(posixpath.basename(dest))[0])[1]
    return name.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"


def front_text(front: Mapping[str, Any], body: str) -> str:
    """A Markdown file with `front` as YAML front matter."""
    data = yaml.dump(dict(front), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{data}---\n{body}"


def toml_text(config: Mapping[str, Any]) -> str:
    """sitegen.toml from nested values: scalars first, then one table per mapping."""
    lines = [
        f"{_toml_key(k)} = {_toml_value(v)}" for k, v in config.items() if not isinstance(v, dict)
    ]
    for name, table in config.items():
        if isinstance(table, dict):
            lines += ["", f"[{_toml_key(name)}]"]
            lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return (
        key
        if key.replace("_", "").replace("-", "").isalnum() and key.isascii()
        else json.dumps(key)
    )


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
        )
    return json.dumps(str(value), ensure_ascii=False)

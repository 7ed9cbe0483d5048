"""Three-way merge of one document: front matter field by field, the body line by line.

Pure: the base (the document at the last sync), the local and the remote document in, the
merged file text out. A front-matter field changed on one side only takes that side; changed
on both sides to different values it is a conflict. The body is merged with merge3 (the
algorithm of bzr/breezy): edits to different lines (different paragraphs) combine, edits to
the same lines conflict. A conflict is written the way git writes it, so every editor and
every merge tool knows it:

    <<<<<<< local
    your lines
    =======
    their lines
    >>>>>>> remote
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from merge3 import Merge3

from sitegen.frontmatter import (
    KNOWN_FIELDS,
    dump_document,
    dump_yaml,
    front_matter_data,
    validate_front_matter,
)
from sitegen.markers import END, MIDDLE, START
from sitegen.model import SourceDocument

LOCAL, REMOTE = "local", "remote"
BODY = "body"  # names the body among the conflicting parts
_MISSING = object()


@dataclass(frozen=True)
class Merged:
    """A merge's file text: the merged document, or the merge with conflict markers in it.

    `conflicts` names the front-matter fields (and `body`) both sides changed differently;
    `document` is the merged document when there are none.
    """

    text: str
    conflicts: tuple[str, ...]
    document: SourceDocument | None = None

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_documents(base: SourceDocument, local: SourceDocument, remote: SourceDocument) -> Merged:
    """Merge `local` and `remote`, both descended from `base`. Raises ContentErrors only if a
    clean merge of valid front matter were itself invalid (not seen in practice)."""
    sides = [front_matter_data(doc.front) for doc in (base, local, remote)]
    fields = _ordered({name for data in sides for name in data})
    merged: dict[str, Any] = {}
    conflicted: dict[str, tuple[Any, Any]] = {}
    for name in fields:
        was, mine, theirs = (data.get(name, _MISSING) for data in sides)
        if _same(mine, theirs) or _same(theirs, was):
            value = mine
        elif _same(mine, was):
            value = theirs
        else:
            conflicted[name] = (mine, theirs)
            continue
        if value is not _MISSING:
            merged[name] = value
    body, body_clean = merge_text(base.body, local.body, remote.body)
    conflicts = (*conflicted, *(() if body_clean else (BODY,)))
    if conflicts:
        return Merged(_marked_front_matter(fields, merged, conflicted) + body, conflicts)
    front = validate_front_matter(merged, {}, local.source)
    document = dataclasses.replace(local, front=front, body=body)
    return Merged(dump_document(document), (), document)


def merge_text(base: str, local: str, remote: str) -> tuple[str, bool]:
    """Line-wise three-way merge: (text, clean). Conflicting lines get git-style markers."""
    merger = Merge3(_lines(base), _lines(local), _lines(remote))
    clean = all(region[0] != "conflict" for region in merger.merge_regions())
    text = "".join(
        merger.merge_lines(
            name_a=LOCAL,
            name_b=REMOTE,
            start_marker=START,
            mid_marker=MIDDLE,
            end_marker=END,
            reprocess=True,
        )
    )
    ends_with_newline = (local if local != base else remote).endswith("\n")
    if clean and text and not ends_with_newline:
        text = text.removesuffix("\n")
    return text, clean


def _same(one: Any, other: Any) -> bool:
    if one is _MISSING or other is _MISSING:
        return one is other
    return bool(one == other) and type(one) is type(other)


def _ordered(names: Iterable[str]) -> list[str]:
    """Known fields in their usual order, then the others alphabetically (as files are written)."""
    known = {name: index for index, name in enumerate(KNOWN_FIELDS)}
    return sorted(names, key=lambda name: (known.get(name, len(known)), name))


def _marked_front_matter(
    fields: Sequence[str], merged: Mapping[str, Any], conflicted: Mapping[str, tuple[Any, Any]]
) -> str:
    lines = ["---\n"]
    for name in fields:
        if name in merged:
            lines.append(dump_yaml({name: merged[name]}))
        elif name in conflicted:
            mine, theirs = conflicted[name]
            lines += [
                f"{START} {LOCAL}\n",
                _yaml_or_nothing(name, mine),
                f"{MIDDLE}\n",
                _yaml_or_nothing(name, theirs),
                f"{END} {REMOTE}\n",
            ]
    lines.append("---\n")
    return "".join(lines)


def _yaml_or_nothing(name: str, value: Any) -> str:
    return "" if value is _MISSING else dump_yaml({name: value})


def _lines(text: str) -> list[str]:
    """Lines with their endings; the last one gets one too, so a marker never joins it."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines

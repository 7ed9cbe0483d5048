"""Warnings about how a document's Markdown was rendered, for the build to report.

Raw HTML shown as text (`allow_html = false`) is one warning per file. Code in a language
Pygments does not know is one warning per build, listing each language with its count and
where it first occurs: per-block warnings would bury everything else. A formula that cannot
be read is one warning each, at its line (Rendered.warnings).
"""

from __future__ import annotations

from collections.abc import Sequence

from sitegen.errors import ContentError, SitegenError
from sitegen.markdown import Rendered
from sitegen.model import Document


class UnknownLanguage(ContentError):
    """Fences of one document in languages Pygments does not know (merged per build)."""

    def __init__(self, file: str, line: int, languages: Sequence[str]) -> None:
        super().__init__(
            f"code in {', '.join(languages)} is shown without highlighting",
            file=file,
            line=line,
            hint=_LANGUAGE_HINT,
        )
        self.languages = tuple(languages)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.file, self.line, self.languages))


_LANGUAGE_HINT = (
    "check the names after ``` (Pygments' names: https://pygments.org/languages/), "
    "or write ```text for code that is not highlighted"
)


def rendering_warnings(doc: Document, body: Rendered) -> list[SitegenError]:
    """The warnings of one document's rendering."""
    warnings: list[SitegenError] = []
    if body.escaped_html_line:
        warnings.append(
            ContentError(
                "raw HTML is shown as text, because `allow_html = false`",
                file=doc.source,
                line=doc.body_line + body.escaped_html_line - 1,
                hint='set `allow_html = "sanitize"` under [markdown] in sitegen.toml to keep '
                "safe HTML (tables, images, details...), or put the HTML in `code`",
            )
        )
    if body.unknown_languages:
        first = body.unknown_languages[0][1]
        names = [name for name, _ in body.unknown_languages]
        warnings.append(UnknownLanguage(doc.source, doc.body_line + first - 1, names))
    warnings.extend(
        ContentError(
            message,
            file=doc.source,
            line=doc.body_line + line - 1,
            hint="fix the formula; write \\$ for a dollar sign that is not math",
        )
        for line, message in body.warnings
    )
    return warnings


def merge_unknown_languages(warnings: Sequence[SitegenError]) -> list[SitegenError]:
    """`warnings` with every UnknownLanguage merged into one, listing each language once with
    its number of blocks and where it first occurs."""
    unknown = [w for w in warnings if isinstance(w, UnknownLanguage)]
    if not unknown:
        return list(warnings)
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for warning in unknown:
        for name in warning.languages:
            counts[name] = counts.get(name, 0) + 1
            first.setdefault(name, warning.location)
    listed = ", ".join(
        f"{name or '?'} ({count} block{'s' if count != 1 else ''}, first at {first[name]})"
        for name, count in sorted(counts.items())
    )
    merged = ContentError(
        f"code in unknown languages is shown without highlighting: {listed}", hint=_LANGUAGE_HINT
    )
    return [*(w for w in warnings if not isinstance(w, UnknownLanguage)), merged]

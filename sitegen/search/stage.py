"""The search index as outputs of the build: each page as the index holds it, and its files.

A page's terms come from its Markdown rendering (Rendered.terms, made by the Markdown workers
with the rest of the rendering); index.build_index makes the files, which are ordinary
outputs: written only when their bytes change, removed when they are no longer made. (The
build cache keeps the last index and patches it where pages changed: render.reuse.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape

from sitegen.render.plan import Job, TextJob
from sitegen.search.index import EXCERPT, SearchDoc
from sitegen.views import Summary

_TAG = re.compile(r"<[^>]*>")


def search_doc(summary: Summary, terms: str) -> SearchDoc:
    """A post or page as the index holds it (`terms` as Rendered.terms gives them)."""
    return SearchDoc(summary.url, summary.title, excerpt(summary.summary), terms)


def index_jobs(files: Mapping[str, str]) -> list[Job]:
    """The index's files (see index.build_index) as outputs."""
    return [TextJob(path, index_file, (text,), "the search index") for path, text in files.items()]


def excerpt(summary_html: str) -> str:
    """A search result's text under its title: the summary's, cut at a word."""
    text = " ".join(unescape(_TAG.sub("", summary_html)).split())
    if len(text) > EXCERPT:
        text = text[:EXCERPT].rsplit(" ", 1)[0] + " …"
    return text


def index_file(text: str) -> str:
    """A TextJob's maker: the file's text, made when the index was planned."""
    return text

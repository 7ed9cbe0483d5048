"""What `allow_html = "sanitize"` costs: one document rendered with and without raw HTML.

    python bench/markdown_html_bench.py                       # the synthetic corpus's post
    python bench/markdown_html_bench.py path/to/post.md ...   # real Markdown (front matter cut)

For each document: the best time of 7 repeats (the one least disturbed by other load) of
render_markdown under `true` (no sanitizer) and `"sanitize"`, as it is, and with a
`<details>` block added at the end (so it has raw HTML).
Only documents with raw HTML go through the sanitizer; the others should cost the same.
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

from corpus import post_text

from sitegen.markdown import MarkdownOptions, render_markdown

RAW_HTML = "\n\n<details>\n<summary>More</summary>\n\n*Markdown inside.*\n\n</details>\n"


def body_of(text: str) -> str:
    """The text after a `---` front matter block, if it has one."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        return text[end + 4 :] if end > 0 else text
    return text


def best_ms(body: str, options: MarkdownOptions, number: int = 20, repeat: int = 7) -> float:
    times = timeit.repeat(lambda: render_markdown(body, options), number=number, repeat=repeat)
    return min(times) / number * 1000


def main() -> None:
    paths = sys.argv[1:]
    docs = {p: body_of(Path(p).read_text(encoding="utf-8")) for p in paths} or {
        "corpus post": body_of(post_text(7, 1000, 100))
    }
    print(f"{'document':40} {'chars':>6} {'raw HTML':>8} {'true ms':>8} {'sanitize ms':>11}")
    for name, body in docs.items():
        for label, text in (("no", body), ("yes", body + RAW_HTML)):
            trusted = best_ms(text, MarkdownOptions(allow_html=True))
            sanitized = best_ms(text, MarkdownOptions(allow_html="sanitize"))
            print(f"{name[-40:]:40} {len(text):6} {label:>8} {trusted:8.3f} {sanitized:11.3f}")


if __name__ == "__main__":
    main()

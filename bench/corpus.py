"""Deterministic synthetic blog for benchmarks: N posts and N/10 pages.

Each post has front matter (title, date, tags, summary on some), headings, lists, a code block,
a table, links to other posts and pages and an image. The same N always gives the same bytes.

    python bench/corpus.py /tmp/blog --posts 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

TAGS = [f"topic-{i}" for i in range(40)]
WORDS = [
    "static",
    "site",
    "generator",
    "markdown",
    "template",
    "render",
    "cache",
    "build",
    "page",
    "post",
    "feed",
    "tag",
    "theme",
    "python",
    "fast",
    "simple",
    "reader",
    "writer",
    "content",
    "media",
    "image",
    "link",
    "table",
    "code",
    "list",
]

CONFIG = """title = "Benchmark blog"
description = "A synthetic blog for sitegen benchmarks."
base_url = "https://bench.example.org/"
author = "Bench"
posts_per_page = 10
"""

CODE = '''```python
def fibonacci(n: int) -> list[int]:
    """The first n Fibonacci numbers."""
    numbers = [0, 1]
    while len(numbers) < n:
        numbers.append(numbers[-1] + numbers[-2])
    return numbers[:n]


print(fibonacci({n}))
```'''


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 5)))


def post_text(index: int, posts: int, pages: int) -> str:
    rng = random.Random(index)
    date = dt.datetime(2020, 1, 1, 8, 0) + dt.timedelta(hours=7 * index)
    tags = sorted(rng.sample(TAGS, 3))
    other = rng.randrange(posts)
    front = [
        f'title: "Post number {index}: {rng.choice(WORDS)} {rng.choice(WORDS)}"',
        f"date: {date:%Y-%m-%d %H:%M:%S}",
        f"tags: [{', '.join(tags)}]",
    ]
    if index % 5 == 0:
        front.append(f'summary: "A short summary of post {index}."')
    body = [
        _paragraph(rng),
        "",
        f"## Getting started with {rng.choice(WORDS)}",
        "",
        _paragraph(rng),
        "",
        "- " + _sentence(rng, 6),
        "- " + _sentence(rng, 7),
        "- " + _sentence(rng, 5),
        "",
        f"See [the previous post](post-{other:05d}.md) and [the about page](../pages/page-{index % max(pages, 1):04d}.md).",
        "",
        "## Some code",
        "",
        CODE.format(n=index % 20 + 2),
        "",
        "### A table",
        "",
        "| name | value | note |",
        "|------|------:|------|",
        *(f"| row {r} | {rng.randint(1, 999)} | {rng.choice(WORDS)} |" for r in range(4)),
        "",
        "![A diagram](../media/diagram.svg)",
        "",
        "## Conclusion",
        "",
        _paragraph(rng),
        "",
    ]
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body)


def page_text(index: int) -> str:
    rng = random.Random(-index - 1)
    return (
        f'---\ntitle: "Page {index}"\n---\n\n## About {rng.choice(WORDS)}\n\n'
        f"{_paragraph(rng)}\n\n{_paragraph(rng)}\n"
    )


def generate(site: Path, posts: int) -> None:
    """Write a fresh site with `posts` posts and posts // 10 pages into `site`."""
    pages = max(1, posts // 10)
    shutil.rmtree(site, ignore_errors=True)
    for folder in ("content/posts", "content/pages", "content/media"):
        (site / folder).mkdir(parents=True)
    (site / "sitegen.toml").write_text(CONFIG)
    (site / "content/media/diagram.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
    )
    for index in range(posts):
        (site / f"content/posts/post-{index:05d}.md").write_text(post_text(index, posts, pages))
    for index in range(pages):
        (site / f"content/pages/page-{index:04d}.md").write_text(page_text(index))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()
    generate(args.site, args.posts)


if __name__ == "__main__":
    main()

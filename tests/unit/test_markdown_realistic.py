"""A realistic post (~650 words: headings, lists, a table, code, links, a footnote).

Checked here as a whole, and used to measure render speed:

    python -m timeit -s "from tests.unit.test_markdown_realistic import POST, MarkdownOptions, \\
        render_markdown; o = MarkdownOptions()" "render_markdown(POST, o)"
"""

from __future__ import annotations

from sitegen.markdown import MarkdownOptions, TocEntry, reading_time, render_markdown, resolve_links

POST = r'''Static sites are back in fashion, and for good reasons: they are fast, cheap to host and
hard to break. This post walks through how we moved our team blog from a dynamic CMS to
[sitegen](../pages/about.md#team), what went well, and what we would do differently.

<!--more-->

## Why we moved

Our old setup ran on a single virtual machine with a database, a cache and a web server.
Every security update was a small adventure, and the **monthly bill** kept growing while
traffic stayed flat. We wanted something we could reason about in an afternoon.

- Pages should load in *well under a second* on a phone.
- Writers should keep using plain Markdown files, reviewed like code.
- Nothing should run on the server except a file server.
- Images live next to the posts: see ![the old architecture](media/old-architecture.png).

### What we measured

Before changing anything we measured the old site for a week. The table below shows the
median numbers; see [the raw data](/media/measurements.csv) for everything.

| Metric              | Old CMS | Static site |
|---------------------|--------:|------------:|
| Time to first byte  | 420 ms  | 35 ms       |
| Page weight         | 1.9 MB  | 310 kB      |
| Monthly cost        | $84     | $3          |
| Deploy time         | 12 min  | 40 s        |

The difference in time to first byte was the biggest surprise. Most of it came from the
template engine rendering the same sidebar on every request, which a static site simply
never does.

## How the migration went

We exported every post as Markdown with front matter, then wrote a small script to fix the
links between posts. Internal links now point at files, like [the previous post](hello.md),
and the generator turns them into URLs. A broken link fails the build instead of a reader's
afternoon[^links].

```python
from pathlib import Path

def fix_links(folder: Path) -> int:
    """Rewrite old /?p=123 links to file names; return how many changed."""
    changed = 0
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        new = text.replace("/?p=", "posts/")
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed
```

Running it over four hundred posts took less than a second and changed about a third of
them. We reviewed the diff by hand, which took longer than writing the script, but we found
two posts that linked to each other in a loop and one that linked to a page we had deleted
years ago.

### Images and media

Images were the hardest part. The old CMS stored them in a database table with generated
names, so we wrote each one to `content/media/` with a readable name and updated the posts.
The [media guide](../pages/media.md) explains the naming rules we settled on:

1. Lower-case words separated by hyphens, like `team-offsite-2023.jpg`.
2. One folder per year once a folder holds more than a hundred files.
3. Alt text is required; the build warns when it is missing.

> A picture without alt text is a picture half the readers cannot see.
> We now check it in review, and the build checks it too.

## What we would do differently

We would write the link checker first. Half of the surprises came from links, and a checker
that runs on every build would have found them in minutes. We would also keep the old URLs
working from day one with redirects, rather than adding them after the first complaints.

- [x] Move posts and pages
- [x] Move images
- [ ] Move comments to a mailing list
- [ ] Write the [style guide](../pages/style.md)

Finally, we would involve the writers earlier. They turned out to love the preview server,
which rebuilds a page the moment a file is saved, and several of them now draft directly in
Markdown instead of pasting from a word processor. If you want to try the same move, start
with [the quick start](../pages/quick-start.md) and ask us anything on
[the forum](https://forum.example.com/c/sitegen) or by [email](mailto:team@example.com).

[^links]: The checker resolves every link at build time and reports the file and line of
    each broken one, so fixing them is a matter of minutes.
'''


def test_realistic_post_facts() -> None:
    rendered = render_markdown(POST, MarkdownOptions())
    assert [(ref.target, ref.line, ref.kind) for ref in rendered.links] == [
        ("../pages/about.md#team", 3, "link"),
        ("media/old-architecture.png", 16, "image"),
        ("/media/measurements.csv", 21, "link"),
        ("hello.md", 37, "link"),
        ("../pages/media.md", 65, "link"),
        ("../pages/style.md", 83, "link"),
        ("../pages/quick-start.md", 88, "link"),
    ]
    assert rendered.toc == (
        TocEntry(2, "why-we-moved", "Why we moved"),
        TocEntry(3, "what-we-measured", "What we measured"),
        TocEntry(2, "how-the-migration-went", "How the migration went"),
        TocEntry(3, "images-and-media", "Images and media"),
        TocEntry(2, "what-we-would-do-differently", "What we would do differently"),
    )
    assert rendered.summary_html.startswith("<p>Static sites are back in fashion")
    assert rendered.summary_html.endswith("what we would do differently.</p>\n")
    assert 550 <= rendered.word_count <= 650
    assert reading_time(rendered.word_count) == 3
    assert '<pre class="highlight"><code class="language-python">' in rendered.html
    assert rendered.html.count("<table>") == 1
    assert rendered.html.count('class="task-list-item"') == 4
    assert 'href="https://forum.example.com/c/sitegen"' in rendered.html
    resolved = resolve_links(rendered.html, lambda target: "/" + target.split(".")[0] + "/")
    assert "\x02" not in resolved  # links.START: every placeholder was resolved
    assert '<a href="/hello/">the previous post</a>' in resolved

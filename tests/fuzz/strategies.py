"""Hypothesis strategies for what a user (or an attacker) can put in a site: front matter,
Markdown, sitegen.toml and file names, from ordinary to hostile."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import strategies as st

from sitegen.frontmatter import KNOWN_FIELDS

# Characters that matter to YAML, Markdown, TOML, URLs and XML, plus controls and odd Unicode.
_SPECIAL = [
    *"#*_[]()!<>`~:-{}|&'\"\\/.%@\t\n\r =+,;?",
    "\x00",
    "\x01",
    "\x0c",
    "\x1b",
    "\x7f",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "é",
    "ß",
    "\u202e",
    "😀",
]
TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(_SPECIAL), st.characters(codec="utf-8")), max_size=40
)
WORD = st.text(alphabet="abcxyz-_ 019ÉÄ.", min_size=1, max_size=12)

_HOSTILE_URLS = st.sampled_from(
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>",
        "//evil.example/x.png",
        "\\\\evil\\x.png",
        "media/c.png",
        "/media/c.png",
        "../media/c.png",
        "https://example.org/c.png",
        "http:x",
        "",
    ]
)
_DATES = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.datetimes().map(lambda d: d.isoformat(timespec="seconds")),
    st.sampled_from(
        [
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-12:00",
            "2023-13-45",
            "!!timestamp foo",
            "2024-02-30",
            "yesterday",
        ]
    ),
)
_YAML_SCALARS = st.one_of(
    TEXT.map(json.dumps),
    WORD,
    st.integers().map(str),
    st.sampled_from(
        [
            "true",
            "false",
            "null",
            "~",
            "!!int abc",
            "!!float abc",
            "!!bool maybe",
            "!!binary AAAA",
            "!!python/object:os.system ls",
            "&a x",
            "*a",
            "[a, *b]",
            "{a: 1}",
            "9" * 5000,
            "'" + "x" * 3000 + "'",
            "|\n  block\n  text",
            "[" * 50 + "]" * 50,
        ]
    ),
)
_KEYS = st.sampled_from(KNOWN_FIELDS) | WORD


_GOOD = {
    "date": st.dates().map(dt.date.isoformat),
    "updated": st.dates().map(dt.date.isoformat),
    "draft": st.just("false"),
    "tags": st.lists(WORD, max_size=4).map(lambda tags: json.dumps(tags)),
    "summary": TEXT.map(json.dumps),
    "cover": st.sampled_from(["media/c.png", "/media/c.png", "https://example.org/c.png"]),
    "menu": st.integers(0, 5).map(str),
    "template": st.just("post.html"),
    "title": TEXT.filter(str.strip).map(json.dumps),
}


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """YAML front matter text (without the `---` lines): mostly close to valid, sometimes not."""
    lines = []
    if draw(st.booleans()):
        lines.append(f"title: {draw(_YAML_SCALARS)}")
    else:
        lines.append("title: Fuzzed")
    for _ in range(draw(st.integers(0, 5))):
        key = draw(_KEYS)
        if draw(st.booleans()):  # half the fields are fine, so builds get past the first error
            lines.append(f"{key}: {draw(_GOOD.get(key, WORD))}")
            continue
        if key in ("date", "updated"):
            value = draw(_DATES)
        elif key == "cover":
            value = repr(draw(_HOSTILE_URLS))
        elif key == "tags":
            value = "[" + ", ".join(draw(st.lists(WORD, max_size=6))) + "]"
        elif key == "slug":
            value = draw(st.one_of(WORD, st.sampled_from(["a" * 300, "../x", "a/b", "A B"])))
        else:
            value = draw(_YAML_SCALARS)
        lines.append(f"{key}: {value}")
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(TEXT))  # raw junk
    return "\n".join(lines) + "\n"


_MD_PIECES = st.sampled_from(
    [
        "# Heading\n",
        "## a\n",
        "```\ncode\n",
        "```\n",
        "[link](../pages/about.md)\n",
        "[bad](javascript:alert(1))\n",
        "![img](../media/c.png)\n",
        "![x](data:image/png;base64,AA)\n",
        "<script>alert(1)</script>\n",
        "<!--more-->\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "- [ ] task\n",
        "[^1]\n\n[^1]: note\n",
        "> quote\n",
        "---\n",
        "\x00\x01\x0c\x1b",
        "*" * 200 + "\n",
        "[" * 300 + "\n",
    ]
)
MARKDOWN = st.lists(st.one_of(_MD_PIECES, TEXT), max_size=12).map("".join)

FILE_NAMES = st.one_of(
    WORD.map(lambda w: w + ".md"),
    st.sampled_from(["index.md", "a b.md", ".hidden.md", "x" * 240 + ".md", "UPPER.MD", "-.md"]),
    TEXT.map(lambda t: t.replace("/", "_").replace("\x00", "_") + ".md"),
)
# Raw bytes names, to include names that are not valid UTF-8.
BYTE_NAMES = st.sampled_from([b"caf\xe9.md", b"\xff\xfe.md", b"ok.md", b"a\xc3.md"])

_TOML_VALUES = {
    "title": st.one_of(st.just('"Site"'), TEXT.map(json.dumps)),
    "base_url": st.sampled_from(
        [
            '"https://example.org/"',
            '"https://example.org/blog/"',
            '"ftp://x/"',
            '"https://exa\\u0001mple.org/"',
            '"https://example.org/ a/"',
            '"/relative/"',
            "3",
        ]
    ),
    "output_dir": st.sampled_from(
        [
            '"public"',
            '"out/site"',
            '"."',
            '"content"',
            '"../escape"',
            '"/tmp"',
            '"pub\\u0000lic"',
            '"' + "p" * 300 + '"',
            '".sitegen"',
            '"static"',
        ]
    ),
    "posts_per_page": st.sampled_from(["1", "0", "-1", "10", '"x"', "9" * 5000, "1.5"]),
    "theme": st.sampled_from(['"default"', '"nope"', '"../x"']),
}
_PERMALINKS = st.sampled_from(
    [
        '"/posts/{slug}/"',
        '"/{year}/{month}/{slug}/"',
        '"/{slug}.html"',
        '"/posts/{slug:>10000}/"',
        '"/posts/{slug!r}/"',
        '"/./{slug}/"',
        '"/../{slug}/"',
        '"/feed.xml/{slug}/"',
        '"/index.html/{slug}/"',
        '"/media/{slug}/"',
        '"/tags/{slug}/"',
        '"/{slug}/"',
        '"/{nope}/"',
        '"/posts/{slug"',
        '"/x\\u0000/{slug}/"',
    ]
)


@st.composite
def config_toml(draw: st.DrawFn) -> str:
    """sitegen.toml text: valid keys with odd values, unknown keys and plain junk."""
    lines = ['title = "Fuzz"'] if draw(st.integers(0, 4)) else []
    for key, values in _TOML_VALUES.items():
        if draw(st.integers(0, 3)) == 0:
            lines.append(f"{key} = {draw(values)}")
    if draw(st.booleans()):
        lines.append("[permalinks]")
        for kind in ("post", "page", "tag"):
            if draw(st.booleans()):
                lines.append(f"{kind} = {draw(_PERMALINKS)}")
    if draw(st.integers(0, 4)) == 0:
        lines.append("[limits]")
        lines.append(f"tags_per_document = {draw(st.integers(-1, 5))}")
    if draw(st.integers(0, 4)) == 0:
        lines.append(
            draw(st.sampled_from(["x = " + "[" * 3000 + "]" * 3000, "[[[", "a = 1\na = 2"]))
        )
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(TEXT))
    return "\n".join(lines) + "\n"

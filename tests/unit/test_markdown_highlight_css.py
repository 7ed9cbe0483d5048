"""The committed highlight.css matches its generator and covers what the renderer emits."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from sitegen.markdown import MarkdownOptions, render_markdown

ROOT = Path(__file__).resolve().parents[2]
CSS_PATH = ROOT / "sitegen/themes/default/static/highlight.css"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_highlight_css", ROOT / "scripts/gen_highlight_css.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_stylesheet_is_up_to_date() -> None:
    current = CSS_PATH.read_text(encoding="utf-8")
    assert current == load_generator().build_css(), "run: python scripts/gen_highlight_css.py"


def test_highlighted_code_classes_are_styled_in_both_modes() -> None:
    """Classes without a rule (e.g. punctuation `p`) take the block's text colour."""
    code = '```python\n# comment\n@decorator\ndef f(x: int = 1) -> str:\n    return f"{x!r}" + None\n```'
    classes = set(
        re.findall(r'<span class="([^"]+)"', render_markdown(code, MarkdownOptions()).html)
    )
    css = CSS_PATH.read_text(encoding="utf-8")
    light, dark = css.split("@media (prefers-color-scheme: dark) {")
    assert {"c1", "nd", "k", "nf", "s2", "p"} <= classes
    for name in {"c1", "nd", "k", "nf", "s2"}:
        assert f".highlight .{name} {{" in light, name
    for name in classes:
        assert (f".highlight .{name} {{" in light) <= (f".highlight .{name} {{" in dark), name


def test_dark_rules_reset_light_decorations() -> None:
    css = CSS_PATH.read_text(encoding="utf-8")
    light, dark = css.split("@media (prefers-color-scheme: dark) {")
    for name, declarations in re.findall(r"\.highlight \.(\S+) \{ ([^}]*) \}", light):
        for prop in re.findall(r"([a-z-]+):", declarations):
            dark_rule = re.search(rf"\.highlight \.{re.escape(name)} \{{ ([^}}]*) \}}", dark)
            assert dark_rule and f"{prop}:" in dark_rule.group(1), (name, prop)


def test_styles_below_wcag_aa_contrast_are_refused() -> None:
    generator = load_generator()
    assert generator._contrast("000000", "ffffff") == 21.0
    generator.LIGHT_STYLE = "friendly"  # its constants are 2.18:1 on #f0f0f0
    try:
        generator.build_css()
    except SystemExit as refused:
        assert "contrast" in str(refused)
    else:
        raise AssertionError("a low-contrast style was accepted")

"""`{% cache %}` (sitegen/fragments.py): a fragment renders once per key, and never stale."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest

from sitegen import fragments
from sitegen.build import Builder, BuildOptions
from sitegen.fragments import FragmentCache, forget_fragments
from tests.golden.trees import write_files
from tests.unit.test_incremental import _site


@dataclass(frozen=True)
class View:
    name: str


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def _env(templates: dict[str, str]) -> tuple[jinja2.Environment, Counter]:
    env = jinja2.Environment(
        loader=jinja2.DictLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=[FragmentCache],
    )
    counter = Counter()
    env.globals["count"] = counter
    return env, counter


def _render(env: jinja2.Environment, name: str, **context: Any) -> str:
    return env.get_template(name).render(context)


def test_a_fragment_renders_once_per_key_and_is_reused_on_later_pages() -> None:
    env, counter = _env({"t": "<{% cache v %}{{ v.name }}#{{ count() }}{% endcache %}>"})
    a, b = View("a<"), View("b")
    assert _render(env, "t", v=a) == "<a&lt;#1>"
    assert _render(env, "t", v=b) == "<b#2>"
    assert _render(env, "t", v=a) == "<a&lt;#1>"  # the same view object: reused, still escaped once
    assert counter.calls == 2


def test_objects_are_keys_by_identity_and_plain_values_by_value() -> None:
    env, _counter = _env({"t": "{% cache k %}{{ count() }}{% endcache %}"})
    assert _render(env, "t", k=View("a")) == "1"
    assert _render(env, "t", k=View("a")) == "2"  # equal, but another object: not assumed the same
    assert _render(env, "t", k={"unhashable": 1}) == "3"
    assert _render(env, "t", k="".join(["po", "st"])) == "4"
    assert _render(env, "t", k="post") == "4"  # an equal string is the same key
    assert _render(env, "t", k=1) == "5"
    assert _render(env, "t", k=True) == "6"  # 1 == True, but not the same key


def test_keys_are_per_fragment_and_may_be_several() -> None:
    env, counter = _env(
        {
            "t": "{% cache a, b %}{{ count() }}{% endcache %}|{% cache a %}{{ count() }}{% endcache %}"
        }
    )
    assert _render(env, "t", a="x", b="y") == "1|2"
    assert _render(env, "t", a="x", b="z") == "3|2"
    assert counter.calls == 3


def test_a_cache_without_a_key_is_a_syntax_error_that_says_so() -> None:
    with pytest.raises(jinja2.TemplateSyntaxError, match="cache needs a key") as error:
        _env({"t": "line one\n{% cache %}x{% endcache %}"})[0].get_template("t")
    assert error.value.lineno == 2


def test_forgetting_renders_again(monkeypatch: pytest.MonkeyPatch) -> None:
    env, _counter = _env({"t": "{% cache k %}{{ count() }}{% endcache %}"})
    assert _render(env, "t", k="a") == "1"
    forget_fragments(env)
    assert _render(env, "t", k="a") == "2"
    monkeypatch.setattr(fragments, "MAX_CHARS", 1)  # past the limit the memo starts again
    assert _render(env, "t", k="b") == "3"
    assert _render(env, "t", k="a") == "4"


def test_a_kept_builder_does_not_reuse_fragments_of_the_last_build(tmp_path: Path) -> None:
    """`sitegen serve` keeps its Jinja environment: a cached fragment must see new globals."""
    site = _site(tmp_path / "site")
    write_files(
        site,
        {
            "templates/partials/footer.html": "<footer>{% cache 'footer' %}{{ static('style.css') }}{% endcache %}</footer>\n"
        },
    )
    builder = Builder(site, BuildOptions())
    builder.build()
    before = (site / "public/index.html").read_text()
    write_files(site, {"static/style.css": "body { color: red }\n"})
    builder.build({site / "static/style.css"})
    after = (site / "public/index.html").read_text()
    assert "static/style.css?v=" in before and after != before
    Builder(site, BuildOptions(use_cache=False)).build()
    assert (site / "public/index.html").read_text() == after  # as a clean build has it

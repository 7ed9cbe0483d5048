import pytest

from sitegen.slugs import is_valid_slug, slugify


def test_slugify_folds_accents_and_punctuation() -> None:
    assert slugify("Héllo, World!") == "hello-world"
    assert slugify("  C++ & Rust: 2026 ") == "c-rust-2026"
    assert slugify("日本語") == ""


def test_valid_slugs() -> None:
    assert is_valid_slug("hello-world")
    assert is_valid_slug("guides/getting-started")


def test_invalid_slugs_cannot_escape() -> None:
    for bad in ["", "..", "../etc", "/abs", "a//b", "a/../b", "a\\b", "Hello", "a-", "-a", "a/"]:
        assert not is_valid_slug(bad), bad


@pytest.mark.parametrize("slug", ["name\n", "a/b\n", "x\r\n"])
def test_a_slug_with_a_trailing_newline_is_not_valid(slug):
    assert not is_valid_slug(slug)

"""The search index: its files, its weights, and its place in (incremental) builds."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build_site
from sitegen.markdown.terms import fold
from sitegen.search import index
from sitegen.search.index import (
    INDEX_DIR,
    PER_CHUNK,
    SearchDoc,
    build_index,
    shard_name,
    update_index,
)
from tests.golden.trees import EPOCH, clean_build, diff_trees, read_tree, write_files


def doc(url: str, title: str, terms: str, excerpt: str = "") -> SearchDoc:
    return SearchDoc(url, title, excerpt, terms)


def rank(files: dict[str, str], word: str) -> list[str]:
    """What search.js shows first for one word typed whole: documents by rarity x weight."""
    meta = json.loads(files[INDEX_DIR + "meta.json"])
    postings = json.loads(files[f"{INDEX_DIR}t/{shard_name(word[:2])}.json"]).get(word, [])
    count = len(postings) / 2
    rarity = math.log(1 + (meta["docs"] - count + 0.5) / (count + 0.5))
    scored = sorted(
        (
            (-rarity * weight, number)
            for number, weight in zip(postings[::2], postings[1::2], strict=True)
        ),
    )
    urls = []
    for _, number in scored:
        chunk = json.loads(files[f"{INDEX_DIR}d/{number // meta['per_chunk']}.json"])
        urls.append(chunk[number % meta["per_chunk"]][0])
    return urls


def test_shard_names_are_spelled_safely_and_unambiguously() -> None:
    assert shard_name("ku") == "ku"
    assert shard_name("ßa") == "_df_a"
    assert shard_name("日本") == "_65e5__672c_"
    assert shard_name("_i") == "_5f_i"
    assert shard_name("\u4e00") != shard_name("\u04e00")  # "一" and "Ӡ0"


def test_files_meta_shards_and_chunks() -> None:
    files = build_index(
        [doc("/b/", "Beta", "kiwi 2 apple 1", "About beta."), doc("/a/", "Alpha", "kiwi 1")]
    )
    meta = json.loads(files[INDEX_DIR + "meta.json"])
    assert meta == {
        "version": 1,
        "docs": 2,
        "per_chunk": PER_CHUNK,
        "shards": ["al", "ap", "be", "ki"],
    }
    assert json.loads(files[INDEX_DIR + "d/0.json"]) == [
        ["/a/", "Alpha", ""],
        ["/b/", "Beta", "About beta."],
    ]
    kiwi = json.loads(files[INDEX_DIR + "t/ki.json"])["kiwi"]
    assert kiwi[::2] == [0, 1] and kiwi[3] > kiwi[1]  # in URL order; more uses, more weight
    assert sorted(files) == sorted(
        [
            INDEX_DIR + p
            for p in ("meta.json", "d/0.json", "t/al.json", "t/ap.json", "t/be.json", "t/ki.json")
        ]
    )


def test_a_word_on_one_deep_page_ranks_it_first_and_titles_beat_bodies() -> None:
    docs = [doc(f"/posts/{n}/", f"Post {n}", "island 5 notes 3") for n in range(30)]
    docs.append(doc("/guides/deep/nested/zebra/", "Field notes", "quokka 1 island 1"))
    docs.append(doc("/island/", "Island", "notes 1"))
    files = build_index(docs)
    assert rank(files, "quokka") == ["/guides/deep/nested/zebra/"]
    assert rank(files, "island")[0] == "/island/"  # in the title, though said once in no body


def test_long_pages_do_not_win_by_length() -> None:
    short = doc("/short/", "S", "rust 2 " + " ".join(f"w{i} 1" for i in range(20)))
    long = doc("/long/", "L", "rust 3 " + " ".join(f"w{i} 1" for i in range(2000)))
    assert rank(build_index([short, long]), "rust") == ["/short/", "/long/"]


def test_the_index_is_the_same_whatever_the_order_and_one_page_touches_its_shards_only() -> None:
    docs = [doc(f"/p{n}/", f"P{n}", f"alpha {n + 1} beta 1 gamma{n} 2") for n in range(5)]
    files = build_index(docs)
    assert build_index(docs[::-1]) == files
    edited = [*docs[:2], doc("/p2/", "P2", "alpha 3 beta 1 gamma2 2 delta 1"), *docs[3:]]
    changed = {path for path, text in build_index(edited).items() if files.get(path) != text}
    assert changed == {INDEX_DIR + "t/de.json", INDEX_DIR + "meta.json"}


# In builds -----------------------------------------------------------------------------------


CONFIG = 'title = "Search"\nbase_url = "https://example.org/sub/"\n'


def _site(root: Path, config: str = CONFIG) -> Path:
    write_files(
        root,
        {
            "sitegen.toml": config,
            "content/pages/deep/er/page.md": "---\ntitle: Deep\n---\nThe word wombat.\n",
            **{
                f"content/posts/p{n}.md": f"---\ntitle: Post {n}\ndate: 2023-01-0{n + 1}\n---\nText {n}.\n"
                for n in range(3)
            },
        },
    )
    return root


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_a_build_writes_the_index_with_urls_under_the_base_path(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    build_site(site, BuildOptions())
    out = site / "public" / INDEX_DIR
    chunk = json.loads((out / "d/0.json").read_text())
    assert [row[0] for row in chunk] == [
        "/sub/deep/er/page/",
        *(f"/sub/posts/p{n}/" for n in range(3)),
    ]
    assert "wombat" in json.loads((out / "t/wo.json").read_text())
    page = (site / "public/posts/p0/index.html").read_text()
    assert 'data-search="/sub/search-index/"' in page and "search.js" in page


def test_search_can_be_turned_off(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", CONFIG + "\n[search]\nenabled = false\n")
    build_site(site, BuildOptions())
    assert not (site / "public" / INDEX_DIR).exists()
    page = (site / "public/posts/p0/index.html").read_text()
    assert "<script" not in page and "data-search" not in page


def test_an_edit_without_the_term_cache_reads_the_terms_back(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    build_site(site, BuildOptions())
    caches = list((site / ".sitegen").glob("search-*.pickle"))
    assert len(caches) == 1
    caches[0].write_bytes(b"not a pickle")
    (site / "content/posts/p1.md").write_text(
        "---\ntitle: Post 1\ndate: 2023-01-02\n---\nNumbat.\n"
    )
    build_site(site, BuildOptions())
    _, expected = clean_build(site, tmp_path / "clean")
    assert diff_trees(read_tree(site / "public"), expected) == []
    assert "numbat" in json.loads((site / "public" / INDEX_DIR / "t/nu.json").read_text())


def test_large_shards_are_split_by_the_next_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "SPLIT_BYTES", 60)
    docs = [doc(f"/p{n}/", "T", "th 1 the 2 then 1 there 3 thistle 1 to 1") for n in range(4)]
    files = build_index(docs)
    assert json.loads(files[INDEX_DIR + "meta.json"])["shards"] == [
        "th",
        "the",
        "then",
        "ther",
        "thi",
        "to",
    ]
    assert set(json.loads(files[INDEX_DIR + "t/the.json"])) == {"the"}  # "then" is split off
    assert set(json.loads(files[INDEX_DIR + "t/th.json"])) == {"th"}


@pytest.mark.parametrize("split_bytes", [index.SPLIT_BYTES, 300])
def test_updating_the_index_gives_what_indexing_afresh_gives(
    split_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "SPLIT_BYTES", split_bytes)
    rng = random.Random(7)
    words = [f"w{n}" for n in range(60)] + ["café", "日本語", "zz", "wx", "wxy", "wxyz", "wxyzz"]

    def random_doc(url: str) -> SearchDoc:
        chosen = rng.sample(words, rng.randint(1, 12))
        counts = " ".join(f"{fold(w)} {rng.randint(1, 9)}" for w in chosen)
        return doc(url, rng.choice(["Alpha", "W3 notes", "Zz"]), counts, rng.choice(["", "x"]))

    before = [random_doc(f"/p{n:03d}/") for n in range(150)]
    files = build_index(before)
    for _ in range(20):
        after = list(before)
        for _ in range(rng.randint(1, 4)):  # edits; sometimes a page added or removed
            changed = rng.randrange(len(after))
            after[changed] = random_doc(after[changed].url)
        if rng.random() < 0.2:
            after.append(random_doc(f"/new{rng.randrange(1000)}/"))
        updated = update_index(before, files, after)
        assert updated == build_index(after)
        before, files = after, updated


def test_updating_drops_a_shard_whose_last_term_went() -> None:
    before = [doc("/a/", "A", "qq 1 ww 1"), doc("/b/", "B", "ww 2")]
    after = [doc("/a/", "A", "ww 1"), before[1]]
    updated = update_index(before, build_index(before), after)
    assert updated == build_index(after)
    assert INDEX_DIR + "t/qq.json" not in updated


def test_a_search_cache_from_other_code_is_a_miss_not_a_crash(tmp_path: Path) -> None:
    """A `.sitegen/` kept across sitegen versions may hold a pickle naming a module that is
    gone; the build must treat it as no cache."""
    site = _site(tmp_path / "site")
    build_site(site, BuildOptions())
    (cache,) = (site / ".sitegen").glob("search-*.pickle")
    cache.write_bytes(b"\x80\x02csitegen.nowhere\nX\nq\x00.")  # its module is gone
    (site / "content/posts/p1.md").write_text(
        "---\ntitle: Post 1\ndate: 2023-01-02\n---\nWombat.\n"
    )
    build_site(site, BuildOptions())
    _, expected = clean_build(site, tmp_path / "clean")
    assert diff_trees(read_tree(site / "public"), expected) == []

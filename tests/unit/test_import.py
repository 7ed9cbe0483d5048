"""`sitegen import jekyll|hugo`: small sites written the way real ones are (issue #14, item 1)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build_site
from sitegen.cli import main
from sitegen.errors import SitegenError
from sitegen.importers.bodies import (
    block_ids,
    convert_liquid,
    heading_ids,
    list_kramdown,
    list_shortcodes,
    rewrite_targets,
)
from sitegen.importers.run import NOTES_FILE, import_site
from tests.golden.trees import EPOCH, read_tree, write_files

JEKYLL = {
    "_config.yml": "title: Old Blog\nurl: https://example.org\nbaseurl: /blog\n"
    "permalink: pretty\nplugins: [jekyll-feed, jekyll-secret]\nsvn: {branch: trunk, empty: null}\n",
    "_posts/2019-05-15-Hello-World.md": "---\nlayout: post\ntitle: Hello\n"
    "tags: rust cargo\nredirect_from: /old/hello.html\n---\n"
    "![logo](/images/logo.png) and [later]({% post_url 2020-01-02-Hello-World %})\n\n"
    "{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\nVersion {{ site.version }}.\n",
    "_posts/2020-01-02-Hello-World.markdown": "---\ntitle: Hello again\n"
    "date: 2020-01-02 09:00:00 +0000\n---\nSee [about]({% link about/index.md %}).\n",
    "news/_posts/2021-03-04-news.md": "---\ntitle: News\npublished: false\n---\nHidden.\n",
    "_drafts/idea.md": "---\ntitle: Idea\n---\nLater.\n",
    "about/index.md": "---\ntitle: About\ndraf: true\nredirect_from: /2019/05/15/Hello-World/\n"
    '---\nAbout us. <img src="../images/logo.png">\n',
    "index.html": "---\nlayout: home\n---\n{% for post in site.posts %}{% endfor %}\n",
    "images/logo.png": "PNG",
    "_layouts/post.html": "{{ content }}",
    "README.md": "# not content\n",
}

HUGO = {
    "config.toml": 'baseURL = "https://example.com/"\ntitle = "Hugo site"\n'
    'languageCode = "en-us"\ndefaultContentLanguage = "en"\n'
    "[languages.en]\nweight = 1\n[languages.es]\nweight = 2\n"
    '[permalinks]\nblog = "/blog/:year/:month/:day/:slug/"\n'
    '[params]\nmainSections = ["blog"]\nmotto = "Hi"\n'
    '[taxonomies]\ntag = "tags"\ncategory = "categories"\n',
    "content/_index.md": "---\ntitle: Home\n---\n",
    "content/blog/_index.md": '+++\ntitle = "Blog"\n+++\n',
    "content/blog/2020-01-01-first/index.md": "---\ntitle: First Post\nslug: My-First\n"
    "date: '2020-01-01'\naliases: [old-first, /2020/first.html]\ncategories: [news]\n---\n"
    '![a](cat.png)\n\n{{< figure src="cat.png" >}}\n\nSee [static](/img/x.png).\n'
    "\n{{< gallery >}}Pictures{{< /gallery >}}\n\n{{< youtube abc123 >}}\n",
    "content/blog/2020-01-01-first/notes.md": "Resource of the bundle, not a page.\n",
    "content/blog/hidden/index.md": "---\nheadless: true\n---\n",
    "content/blog/2020-01-01-first/index.es.md": "---\ntitle: Primero\nslug: primero\n"
    "date: '2020-01-01'\n---\nHola.\n",
    "content/blog/2020-01-01-first/cat.png": "PNG",
    "content/blog/2021-05-06-second.md": '+++\ntitle = "Second"\ndate = 2021-05-06\n'
    "expiryDate = 2021-06-01\n+++\nGone.\n",
    "content/about.md": '{\n"title": "About",\n"menu": "main"\n}\nAbout.\n',
    "static/img/x.png": "PNG",
}


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _digest(folder: Path) -> dict[str, str]:
    return {k: hashlib.sha256(v).hexdigest() for k, v in read_tree(folder).items()}


def _imported(tmp_path: Path, generator: str, files: dict[str, str]) -> tuple[Path, Path]:
    source, dest = tmp_path / "source", tmp_path / "dest"
    write_files(source, files)
    import_site(generator, source, dest)
    return source, dest


def test_jekyll_import_keeps_every_old_url_and_converts_what_it_can(tmp_path: Path) -> None:
    source, dest = _imported(tmp_path, "jekyll", JEKYLL)
    files = read_tree(dest)
    config = files["sitegen.toml"].decode()
    assert 'base_url = "https://example.org/blog/"' in config
    assert 'post = "/{categories}/{year}/{month}/{day}/{title}/"' in config
    assert '[params]\nsvn = { branch = "trunk" }' in config
    first = files["content/posts/2019-05-15-Hello-World.md"].decode()
    assert "layout" not in first and "aliases:\n- /old/hello.html" in first
    assert "```ruby\nputs 1\n```" in first
    assert "![logo](../media/images/logo.png)" in first
    assert "[later](2020-01-02-Hello-World-2.md)" in first
    assert (
        "[about](../pages/about.md)" in files["content/posts/2020-01-02-Hello-World-2.md"].decode()
    )
    # the same name once the date is dropped: another file name, the old URL kept as `url`
    assert (
        "url: /2020/01/02/Hello-World/"
        in files["content/posts/2020-01-02-Hello-World-2.md"].decode()
    )
    assert "draft: true" in files["content/posts/news/2021-03-04-news.md"].decode()
    assert "draft: true" in files["content/posts/idea.md"].decode()
    assert "content/media/images/logo.png" in files and "content/pages/about.md" in files
    assert "content/media/README.md" in files  # no front matter: Jekyll copies it as it is
    assert not any("_layouts" in name for name in files)
    notes = files[NOTES_FILE].decode()
    assert "- _posts/2019-05-15-Hello-World.md:13: Liquid output {{ site.version }}" in notes
    assert "index.html:1: HTML page with front matter (a Liquid template): not imported" in notes
    assert "plugin jekyll-secret: no sitegen equivalent" in notes
    assert "- about/index.md:3: draf: unknown key; did you mean `draft`?" in notes
    assert "about/index.md:1: alias /2019/05/15/Hello-World/ is _posts/" in notes
    about = files["content/pages/about.md"].decode()
    assert "aliases" not in about and '<img src="/blog/media/images/logo.png">' in about
    build_site(dest, BuildOptions())
    public = read_tree(dest / "public")
    for old in (
        "2019/05/15/Hello-World/index.html",
        "2020/01/02/Hello-World/index.html",
        "about/index.html",
        "old/hello.html",
    ):
        assert old in public, old
    assert b"<pre" in public["2019/05/15/Hello-World/index.html"]
    assert "news/2021/03/04/news/index.html" not in public
    assert str(tmp_path) not in "".join(v.decode(errors="replace") for v in files.values())
    assert _digest(source) == _digest(tmp_path / "source")


def test_hugo_import_keeps_urls_translations_aliases_and_lists_shortcodes(tmp_path: Path) -> None:
    _, dest = _imported(tmp_path, "hugo", HUGO)
    files = read_tree(dest)
    config = files["sitegen.toml"].decode()
    assert 'post = "/blog/{year}/{month}/{day}/{title}/"' in config
    assert 'categories = "/categories/{slug}/"' in config and 'language = "en-us"' in config
    first = files["content/posts/blog/2020-01-01-first.md"].decode()
    assert "![a](../../media/blog/2020-01-01-first/cat.png)" in first
    assert "[static](../../media/img/x.png)" in first
    assert "- /blog/2020/01/01/old-first" in first  # a relative alias, made absolute
    assert "menu: true" in files["content/pages/about.md"].decode()
    assert "content/media/blog/2020-01-01-first/notes.md" in files  # a bundle's resource
    assert not any("hidden" in name for name in files)  # headless: Hugo makes no page
    assert "{{ inner }}" in files["templates/shortcodes/gallery.html"].decode()
    assert "templates/shortcodes/youtube.html" not in files  # the theme has it
    notes = files[NOTES_FILE].decode()
    assert "content/blog/2020-01-01-first/index.md:10: Hugo shortcode {{< figure >}}" in notes
    build_site(dest, BuildOptions())
    public = read_tree(dest / "public")
    for old in (
        "blog/2020/01/01/my-first/index.html",
        "es/blog/2020/01/01/primero/index.html",
        "blog/2020/01/01/old-first/index.html",
        "2020/first.html",
        "blog/index.html",
        "about/index.html",
        "categories/news/index.html",
    ):
        assert old in public, old
    assert "blog/2021/05/06/second/index.html" not in public  # expired
    page = public["blog/2020/01/01/my-first/index.html"].decode()
    assert "Pictures" in page and "youtube-nocookie.com/embed/abc123" in page
    assert "[params]" in config and 'motto = "Hi"' in config


def test_importing_twice_gives_identical_trees_and_a_rerun_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write_files(source, JEKYLL)
    first = import_site("jekyll", source, tmp_path / "a")
    import_site("jekyll", source, tmp_path / "b")
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")
    again = import_site("jekyll", source, tmp_path / "a")
    assert (again.written.written, again.written.unchanged) == (0, first.written.written)


def test_dest_inside_source_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    write_files(tmp_path, JEKYLL)
    before = _digest(tmp_path)
    with pytest.raises(SitegenError, match="overlap"):
        import_site("jekyll", tmp_path, tmp_path / "out")
    assert _digest(tmp_path) == before


def test_the_command_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path / "old", JEKYLL)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as info:
        main(["import", "jekyll", "old"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "Imported 4 posts, 1 page and 2 media files into old-sitegen" in out
    assert "{% highlight %} blocks made fenced code: 1" in out
    assert "Liquid output {{ }}" in out
    assert (tmp_path / "old-sitegen/sitegen.toml").is_file()


def test_liquid_conversions_and_listing_on_text() -> None:
    body = "a\n{% raw %}{{ x }}{% endraw %}\n[x]({{ site.baseurl }}/a/)\n{% include foo.html %}\n"
    text, notes, changes = convert_liquid(body, "p.md", 5, lambda tag, arg: None)
    assert "[x](/a/)" in text and "{% raw %}" not in text
    assert [str(n) for n in notes] == [
        "p.md:6: Liquid output {{ x }} left as written",
        "p.md:8: Liquid tag {% include %} left as written",
    ]
    assert changes["{% raw %} marks removed"] == 2


def test_shortcodes_are_listed_and_targets_in_code_are_left_alone() -> None:
    notes = list_shortcodes("x\n{{% note %}}\ny\n{{% /note %}}\n", "c.md", 3)
    assert [str(n) for n in notes] == [
        "c.md:4: Hugo shortcode {{% note %}} left as written (templates/shortcodes/ can render it)"
    ]
    body = "![a](/i.png#x)\n\n```\n![a](/i.png)\n```\n<img src='/i.png'>\n"
    found = {"/i.png#x": ("content/media/i.png", "#x"), "/i.png": ("content/media/i.png", "")}
    text, count = rewrite_targets(body, found.get, "content/posts/a/b.md", "/blog/")
    assert count == 2
    assert text == (
        "![a](../../media/i.png#x)\n\n```\n![a](/i.png)\n```\n<img src='/blog/media/i.png'>\n"
    )


def test_kramdown_heading_ids_move_onto_the_heading_and_other_attribute_lists_are_listed() -> None:
    body = "## Install\n{: #install}\n\nText.\n{: .note}\n"
    text, count = heading_ids(body)
    assert (text, count) == ("## Install {: #install}\n\n\nText.\n{: .note}\n", 1)
    assert [str(n) for n in list_kramdown(text, "a.md", 5)] == [
        "a.md:9: kramdown attribute list {: .note} left as written"
    ]


def test_kramdown_block_ids_become_anchors_outside_code() -> None:
    body = "Text.\n{: #para}\n\n- item\n{: .wide #list}\n\n```\n{: #code}\n```\n{: .note}\n"
    text, count = block_ids(body)
    assert count == 2
    assert text == (
        'Text.\n<a id="para"></a>\n\n- item\n<a id="list"></a>\n\n```\n{: #code}\n```\n{: .note}\n'
    )
    assert [str(n) for n in list_kramdown(text, "a.md", 1)] == [
        "a.md:10: kramdown attribute list {: .note} left as written",
    ]


def test_real_posts_whose_names_repeat_keep_both_urls(tmp_path: Path) -> None:
    """Two posts of blog.rust-lang.org (tests/fixtures/real/rust-blog-excerpt, MIT)."""
    source = Path(__file__).parents[1] / "fixtures/real/rust-blog-excerpt"
    import_site("jekyll", source, tmp_path / "site")
    result = build_site(tmp_path / "site", BuildOptions())
    public = read_tree(tmp_path / "site/public")
    assert b"Road to Rust 1.0" in public["2014/09/15/Rust-1.0.html"]
    assert b"Announcing Rust 1.0" in public["2015/05/15/Rust-1.0.html"]
    assert result.warnings == ()

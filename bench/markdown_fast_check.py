"""The fast Markdown path (sitegen/markdown/fast.py) against markdown-it-py's, on real sites.

    python bench/markdown_fast_check.py /work/corpora/rust-blog /work/corpora/roweb3 ...

For every `.md` / `.markdown` file under each folder, the body after its front matter (read
as sitegen reads it) is rendered both ways under each option set of the unit test
(tests/unit/test_markdown_fast.py), as a page and as a summary, and every field of the
results compared. Prints, per folder: documents, renders compared, how many took the fast
path, mismatches (the first few shown), and files whose front matter sitegen refuses.
Exits 1 on any mismatch: the fast path's "can handle" test must then get stricter.
Also prints the CPU time of rendering every document once (default options) both ways.
"""

from __future__ import annotations

import sys
import time
from contextlib import AbstractContextManager
from pathlib import Path
from unittest import mock

from sitegen.errors import SitegenError
from sitegen.frontmatter import load_front_matter
from sitegen.markdown import MarkdownOptions, Rendered, render_markdown, render_summary
from sitegen.markdown import render as render_module

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.unit.test_markdown_fast import OPTIONS


def _bodies(folder: Path) -> tuple[dict[Path, str], int]:
    bodies, refused = {}, 0
    for path in sorted([*folder.rglob("*.md"), *folder.rglob("*.markdown")]):
        try:
            _, _, body, _ = load_front_matter(path.read_text(encoding="utf-8"), str(path))
        except (SitegenError, UnicodeDecodeError):
            refused += 1
            continue
        bodies[path] = body
    return bodies, refused


def _render(body: str, options: MarkdownOptions, plain: bool) -> Rendered:
    return render_summary(body, options) if plain else render_markdown(body, options)


def _token_path() -> AbstractContextManager[object]:
    return mock.patch.object(render_module, "render_fast", lambda *_args, **_kwargs: None)


def check(folder: Path) -> int:
    bodies, refused = _bodies(folder)
    compared = fast = mismatches = 0
    taken: list[bool] = []
    real = render_module.render_fast

    def spy(*args: object, **kwargs: object) -> object:
        output = real(*args, **kwargs)  # type: ignore[arg-type]
        taken.append(output is not None)
        return output

    for path, body in bodies.items():
        for options in OPTIONS:
            for plain in (False, True):
                taken.clear()
                with mock.patch.object(render_module, "render_fast", spy):
                    quick = _render(body, options, plain)
                with _token_path():
                    slow = _render(body, options, plain)
                compared += 1
                fast += taken == [True]
                if quick != slow:
                    mismatches += 1
                    if mismatches <= 5:
                        fields = [
                            f for f in Rendered.__slots__ if getattr(quick, f) != getattr(slow, f)
                        ]
                        print(f"  MISMATCH {path} {options} plain={plain}: {fields}")
    start = time.process_time()
    for body in bodies.values():
        render_markdown(body, OPTIONS[0])
    quick_s = time.process_time() - start
    with _token_path():
        start = time.process_time()
        for body in bodies.values():
            render_markdown(body, OPTIONS[0])
        slow_s = time.process_time() - start
    print(
        f"{folder}: {len(bodies)} documents ({refused} refused by front matter), "
        f"{compared} renders compared, {fast} fast ({fast / max(compared, 1):.0%}), "
        f"{mismatches} mismatches; CPU {slow_s:.2f} s -> {quick_s:.2f} s"
    )
    return mismatches


def main() -> None:
    mismatches = sum(check(Path(folder)) for folder in sys.argv[1:])
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()

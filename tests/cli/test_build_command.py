"""`sitegen build` as users run it: a real process, its exit code, stdout and stderr."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.golden.trees import EPOCH, FIXTURE_SITES

SUMMARY = re.compile(
    r"^Built (\d+) documents? in \d+\.\d\d s: (\d+) files? written, (\d+) unchanged, (\d+) removed\.$"
)


def sitegen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "tiny"
    shutil.copytree(FIXTURE_SITES / "tiny", target)
    return target


def test_build_prints_one_summary_line_and_rebuild_is_a_no_op(site: Path) -> None:
    first = sitegen("build", cwd=site / "content")  # found by walking up to sitegen.toml
    assert first.returncode == 0, first.stderr
    # 19 pages, feeds and theme files, and the search index (24 files for these 5 documents)
    assert SUMMARY.match(first.stdout.strip()).groups() == ("5", "43", "0", "0")  # type: ignore[union-attr]
    assert (site / "public" / "index.html").is_file()
    again = sitegen("build", cwd=site)
    assert SUMMARY.match(again.stdout.strip()).groups() == ("5", "0", "43", "0")  # type: ignore[union-attr]


def test_options_drafts_future_output_and_base_url(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = sitegen(
        "build",
        "--drafts",
        "--future",
        "-o",
        str(out),
        "--base-url",
        "http://127.0.0.1:8000",
        cwd=site,
    )
    assert result.returncode == 0, result.stderr
    assert SUMMARY.match(result.stdout.strip()).group(1) == "7"  # type: ignore[union-attr]
    assert (out / "posts/draft/index.html").is_file() and (out / "posts/later/index.html").is_file()
    assert (
        '<a href="http://127.0.0.1:8000/tags/python/feed.xml">'
        in (out / "tags/python/index.html").read_text()
    )
    assert not (site / "public").exists()


def test_content_error_exits_1_without_traceback(tmp_path: Path) -> None:
    site = tmp_path / "bad"
    shutil.copytree(FIXTURE_SITES / "invalid-front-matter", site)
    result = sitegen("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: content/posts/bad-date.md:3: date: '2023-13-45' is not an ISO date"
    )
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_strict_turns_warnings_into_exit_1(tmp_path: Path) -> None:
    site = tmp_path / "links"
    shutil.copytree(FIXTURE_SITES / "broken-links", site)
    relaxed = sitegen("build", cwd=site)
    assert relaxed.returncode == 0
    assert "warning: content/posts/links.md:8: broken link 'nowhere.md'" in relaxed.stderr
    strict = sitegen("build", "--strict", cwd=site)
    assert strict.returncode == 1 and "build failed with 3 errors" in strict.stderr


def test_usage_error_exits_2_and_no_site_says_run_init(tmp_path: Path) -> None:
    assert sitegen("build", "--jobs", "0", cwd=tmp_path).returncode == 2
    missing = sitegen("build", cwd=tmp_path)
    assert missing.returncode == 1 and "run `sitegen init`" in missing.stderr


def test_timings_show_phases_and_slowest_templates(site: Path) -> None:
    result = sitegen("build", "--timings", "--no-cache", "-q", cwd=site)
    assert result.returncode == 0
    assert result.stdout == ""  # -q hides the summary and the timings
    shown = sitegen("build", "--timings", "--no-cache", cwd=site).stdout
    assert "Time per phase" in shown and "markdown" in shown and "Slowest templates:" in shown
    assert re.search(r"^  post\.html +\d+\.\d{3} s$", shown, re.M)


def test_pull_without_a_configured_remote_fails_clearly(site: Path) -> None:
    result = sitegen("build", "--pull", cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not (site / "public").exists()  # nothing is built when the pull fails


def test_every_error_of_a_failed_build_is_its_own_error_line(site: Path) -> None:
    (site / "content/posts/no-title.md").write_text("---\ndate: 2024-01-01\n---\nBody\n")
    (site / "content/posts/two-problems.md").write_text(
        "---\ntitle: \ndate: 2024-13-45\n---\nBody\n"
    )
    result = sitegen("build", cwd=site)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert errors == [
        "error: content/posts/no-title.md:1: title: is required",
        "error: content/posts/two-problems.md:2: title: must be text, not None (put it in quotes)",
        "error: content/posts/two-problems.md:3: date: '2024-13-45' is not an ISO date",
    ]
    assert lines[-1] == "build failed with 3 errors; the output folder was left untouched"


def test_the_console_script_delivers_all_output_through_a_pipe_with_its_exit_code(
    site: Path,
) -> None:
    """`sitegen` leaves without Python's teardown (os._exit): what it printed must still
    arrive whole through a pipe (block-buffered), with the status main chose."""
    script = Path(sys.executable).with_name("sitegen")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    built = subprocess.run(
        [str(script), "build", "--timings"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    lines = built.stdout.splitlines()
    assert SUMMARY.match(lines[0]) and "Slowest templates:" in lines
    helped = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "Commands:" in helped.stdout and helped.stdout.endswith("\n")
    usage = subprocess.run(
        [str(script), "build", "--jobs", "0"], cwd=site, capture_output=True, text=True, timeout=60
    )
    assert usage.returncode == 2 and "--jobs" in usage.stderr


def test_exit_codes_follow_sys_exit() -> None:
    from sitegen.cli import _exit_code

    assert [_exit_code(SystemExit(value)) for value in (None, 0, 1, 2, 130)] == [0, 0, 1, 2, 130]
    assert _exit_code(SystemExit("a message")) == 1


# What a build process must not import: each costs a noticeable part of a small rebuild (pydantic
# ~90 ms, importlib.metadata ~20 ms, multiprocessing ~25 ms), and none is needed to render
# content/ of a small site with Atom feeds (sync and Supabase live behind `--pull`; email.utils
# is for RSS dates; worker processes are for large builds).
NOT_FOR_BUILDING = (
    "multiprocessing",
    "pydantic",
    "importlib.metadata",
    "importlib.resources",
    "email.utils",
    "supabase",
    "httpx",
    "watchdog",
)


def test_a_build_imports_nothing_it_does_not_use(site: Path) -> None:
    """A cold build and an edit build, then which of NOT_FOR_BUILDING the process had loaded."""
    post = next((site / "content" / "posts").glob("*.md"))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from sitegen.cli import main\n"
        "for edit in ('', '\\nEdited.\\n'):\n"
        f"    Path({str(post)!r}).write_text(Path({str(post)!r}).read_text() + edit)\n"
        "    try:\n"
        "        main(['build', '-q'])\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, exc.code\n"
        f"print(sorted(m for m in {NOT_FOR_BUILDING!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=site, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_script_leaves_a_builds_garbage_to_the_end_of_its_process(site: Path) -> None:
    """`sitegen build` (`run`) ends its process after the build, so the cycle collector stays
    off instead of walking everything the build made once more (~50 ms at 1000 posts); a
    program calling `main` keeps its collector on."""
    code = (
        "import gc, os, sys\n"
        "from sitegen.cli import main, run\n"
        "try:\n"
        "    main(['build', '-q'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('main', gc.isenabled())\n"
        "os._exit = lambda code: print('run', gc.isenabled(), code, flush=True) or sys.exit()\n"
        "sys.argv = ['sitegen', 'build', '-q']\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=site, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["main True", "run False 0"]

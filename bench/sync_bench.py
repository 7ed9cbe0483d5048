"""Benchmark `sitegen push/pull` against the local stack: request counts and median times.

Starts its own stack (PostgreSQL + HTTP on 127.0.0.1, with sql/ applied) in a child process, so
the sync engine here does not share a GIL with the server, then measures, over --runs runs each:
- push of 1000 new posts (a fresh site, an empty table each run)   budget: <= 5 REST, <= 5 s
- initial pull of 5000 posts into an empty working copy            budget: <= 10 REST, <= 5 s
- no-change pull (everything already pulled)                       budget: 3 requests, < 0.5 s
Requests are counted by the stack itself (a zero-second delay fault on its control endpoint
counts every matching request). Times are for the engine call (`push()`/`pull()`), which opens
its own client; process start-up of the CLI is not included.

    python bench/sync_bench.py --runs 5
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import CONFIG, post_text

EMAIL, PASSWORD = "bench@example.org", "bench-password-123"
BUDGETS = {  # name -> (max REST requests, max total requests, max median seconds)
    "push 1000 new posts": (5, None, 5.0),
    "initial pull of 5000 posts": (10, None, 5.0),
    "no-change pull": (3, 3, 0.5),
}


def serve_stack(pipe: Any) -> None:
    """Child process: run the stack; answer ("sql", query) with rows, stop on ("stop",)."""
    warnings.simplefilter("ignore", DeprecationWarning)
    from tests.stack.stack import Stack

    with Stack.start() as stack:
        pipe.send({"url": stack.url, "anon_key": stack.anon_key, "service_key": stack.service_key})
        while True:
            command = pipe.recv()
            if command[0] == "stop":
                return
            pipe.send(stack.admin_sql(command[1]))


class StackHandle:
    """The parent's view of the child stack: its address, admin SQL, request counting."""

    def __init__(self, pipe: Any, info: dict[str, str]) -> None:
        self.pipe, self.url = pipe, info["url"]
        self.anon_key, self.service_key = info["anon_key"], info["service_key"]

    def sql(self, query: str) -> Any:
        self.pipe.send(("sql", query))
        return self.pipe.recv()

    def count(self, operation: Callable[[], Any]) -> tuple[float, int, int]:
        """(seconds, REST requests, all requests) of one call of `operation`."""
        import httpx

        control = f"{self.url}/_stack/faults"
        headers = {"apikey": self.service_key, "Authorization": f"Bearer {self.service_key}"}
        for path in (r"^/rest/v1/", r"^/(auth|rest|storage)/v1/"):
            httpx.post(
                control,
                headers=headers,
                json={"action": "delay", "path": path, "times": None, "seconds": 0},
            ).raise_for_status()
        began = time.perf_counter()
        operation()
        seconds = time.perf_counter() - began
        counters = httpx.get(control, headers=headers).json()
        httpx.delete(control, headers=headers).raise_for_status()
        # The first matching fault wins, so the "all" counter saw only non-REST requests.
        rest, other = counters[0]["hits"], counters[1]["hits"]
        return seconds, rest, rest + other


def make_site(root: Path, stack: StackHandle, posts: int) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    for folder in ("posts", "pages", "media"):
        (root / "content" / folder).mkdir(parents=True)
    (root / "sitegen.toml").write_text(CONFIG)
    (root / ".env").write_text(f"SUPABASE_URL={stack.url}\nSUPABASE_ANON_KEY={stack.anon_key}\n")
    for index in range(posts):
        (root / f"content/posts/post-{index:05d}.md").write_text(post_text(index, posts, 1))
    return root


def log_in(site: Path) -> None:
    from sitegen.auth import login, signup
    from sitegen.errors import AuthError

    try:
        if signup(site, EMAIL, PASSWORD).session is not None:
            return
    except AuthError:
        pass
    login(site, EMAIL, PASSWORD)


def measure(stack: StackHandle, work: Path, runs: int) -> dict[str, list[tuple[float, int, int]]]:
    from sitegen.sync.pull import pull
    from sitegen.sync.push import push

    results: dict[str, list[tuple[float, int, int]]] = {name: [] for name in BUDGETS}
    for run in range(runs):
        stack.sql("truncate public.posts, public.pages, public.media")
        site = make_site(work / "push", stack, 1000)
        log_in(site)
        sample = stack.count(lambda: _checked(push(site), "Pushed 1000 posts"))
        results["push 1000 new posts"].append(sample)
        print(f"  push 1000 new posts, run {run + 1}: {_show(sample)}", flush=True)

    stack.sql("truncate public.posts, public.pages, public.media")
    author = make_site(work / "author", stack, 5000)
    log_in(author)
    _checked(push(author), "Pushed 5000 posts")
    for run in range(runs):
        reader = make_site(work / "reader", stack, 0)
        sample = stack.count(lambda: _checked(pull(reader), "Pulled 5000 posts"))
        results["initial pull of 5000 posts"].append(sample)
        print(f"  initial pull of 5000 posts, run {run + 1}: {_show(sample)}", flush=True)
    for run in range(runs):
        sample = stack.count(lambda: _checked(pull(reader), "Pulled 0 posts"))
        results["no-change pull"].append(sample)
        print(f"  no-change pull, run {run + 1}: {_show(sample)}", flush=True)
    return results


def _checked(report: Any, expected: str) -> Any:
    summary = report.summary(expected.split()[0])
    if not summary.startswith(expected) or report.conflicts or report.errors:
        raise SystemExit(f"unexpected result: {summary} {report.conflicts} {report.errors}")
    return report


def _show(sample: tuple[float, int, int]) -> str:
    return f"{sample[0]:.2f} s, {sample[1]} REST requests, {sample[2]} requests in all"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    options = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    server = context.Process(target=serve_stack, args=(child,), daemon=True)
    server.start()
    work = Path(tempfile.mkdtemp(prefix="sitegen-sync-bench-"))
    try:
        stack = StackHandle(parent, parent.recv())
        results = measure(stack, work, options.runs)
    finally:
        parent.send(("stop",))
        server.join(30)
        shutil.rmtree(work, ignore_errors=True)
    failed = False
    print("\nmeasurement                    median s  REST req  all req  budget")
    for name, samples in results.items():
        median = statistics.median(s[0] for s in samples)
        rest, total = max(s[1] for s in samples), max(s[2] for s in samples)
        max_rest, max_total, max_seconds = BUDGETS[name]
        ok = (
            rest <= max_rest and median <= max_seconds and (max_total is None or total <= max_total)
        )
        failed |= not ok
        print(
            f"{name:<30} {median:8.3f}  {rest:8d}  {total:7d}  "
            f"{'ok' if ok else 'OVER'} (<= {max_rest} REST, <= {max_seconds} s)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

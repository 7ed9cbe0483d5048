"""Benchmark `sitegen serve` on a synthetic 1000-post site (bench/corpus.py).

Measures, with the real `sitegen serve` process and a real livereload WebSocket client:
- start: from launching `sitegen serve` (cold: no .sitegen/ cache) to "Serving http://..."
  (first build done, port open), against a cold `sitegen build` of the same site;
- save-to-reload: from writing one post to the reload signal arriving at the client, and to
  the rebuilt page being served with the new text.

    python bench/serve_bench.py --posts 1000 --edits 15

Budgets (issue 5): save-to-reload median <= 300 ms; start <= cold build + 0.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tornado.websocket import WebSocketClientConnection, websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

from sitegen.serve.debounce import QUIET_SECONDS

SITEGEN = [sys.executable, "-m", "sitegen"]
PROTOCOL = "http://livereload.com/protocols/official-7"
TIMEOUT = 60.0


def clear_state(site: Path) -> None:
    shutil.rmtree(site / ".sitegen", ignore_errors=True)
    shutil.rmtree(site / "public", ignore_errors=True)


def cold_build_seconds(site: Path) -> float:
    clear_state(site)
    started = time.perf_counter()
    subprocess.run([*SITEGEN, "build", "-q", "--site", str(site)], check=True)
    return time.perf_counter() - started


def free_port() -> int:
    """One port for every run: base_url (hence the build cache key) includes it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Serve:
    """A running `sitegen serve`; its stdout lines are collected on a reader thread."""

    def __init__(self, site: Path, port: int) -> None:
        started = time.perf_counter()
        self.port = port
        self.process = subprocess.Popen(
            [*SITEGEN, "serve", "--port", str(port), "--site", str(site)],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        while not self._line().startswith("Serving http://"):
            pass
        self.start_seconds = time.perf_counter() - started

    def build_seconds(self) -> float:
        """Seconds of the next "Built ... in X s" line: the build engine's share of a rebuild."""
        while not (found := re.search(r"^Built .* in ([0-9.]+) s", self._line())):
            pass
        return float(found.group(1))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # as Ctrl-C
        self.process.wait(timeout=30)

    def _line(self) -> str:
        try:
            return self.lines.get(timeout=TIMEOUT)
        except queue.Empty:
            raise SystemExit("sitegen serve printed nothing for a minute") from None

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)


async def connect(port: int) -> WebSocketClientConnection:
    """A livereload client: hello, then info (from then on the server sends it reloads)."""
    client = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    client.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
    hello = json.loads(await client.read_message())
    assert hello["command"] == "hello", hello
    await client.write_message(json.dumps({"command": "info", "url": "bench", "plugins": {}}))
    await asyncio.sleep(0.2)  # let the server register the client before the first edit
    return client


def fetch(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} answered {response.status}")
    return body


async def save_to_reload(
    site: Path, serve: Serve, edits: int
) -> tuple[list[float], list[float], list[float]]:
    """Seconds from saving a post to (reload signal received, rebuilt page fetched), and the
    seconds the engine (Builder.build) took for each of those rebuilds."""
    port = serve.port
    client = await connect(port)
    posts = sorted((site / "content/posts").glob("*.md"))
    signal_times, served_times, build_times = [], [], []
    for edit in range(edits):
        post = posts[(edit * 37) % len(posts)]
        marker = f"Benchmark edit {edit} {time.time_ns()}"
        text = post.read_text(encoding="utf-8")
        saved = time.perf_counter()
        post.write_text(text + f"\n{marker}\n", encoding="utf-8")
        message = json.loads(await asyncio.wait_for(client.read_message(), TIMEOUT))
        signalled = time.perf_counter()
        assert message["command"] == "reload", message
        body = fetch(port, f"/posts/{post.stem}/")
        served = time.perf_counter()
        if marker.encode() not in body:
            raise SystemExit(f"the reloaded page of {post.name} lacks the edit")
        signal_times.append(signalled - saved)
        served_times.append(served - saved)
        build_times.append(serve.build_seconds())
        await asyncio.sleep(0.2)  # separate saves, as a person typing would
    client.close()
    return signal_times, served_times, build_times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--runs", type=int, default=2, help="cold builds / cold starts each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitegen-serve-bench-") as folder:
        site = Path(folder) / "site"
        generate(site, args.posts)
        builds = [cold_build_seconds(site) for _ in range(args.runs)]
        port, starts = free_port(), []
        for _ in range(args.runs):
            clear_state(site)
            serve = Serve(site, port)
            starts.append(serve.start_seconds)
            serve.stop()
        serve = Serve(site, port)  # warm: the cache of the last cold start
        try:
            signals, served, engine = asyncio.run(save_to_reload(site, serve, args.edits))
        finally:
            serve.stop()
    build, start = statistics.median(builds), statistics.median(starts)
    print(f"posts: {args.posts}, edits: {args.edits}, runs: {args.runs}")
    print(f"cold sitegen build:        {build:.2f} s (median of {builds_text(builds)})")
    print(
        f"cold sitegen serve start:  {start:.2f} s (median of {builds_text(starts)}); "
        f"budget {build + 0.5:.2f} s -> {'OK' if start <= build + 0.5 else 'OVER'}"
    )
    print(f"warm sitegen serve start:  {serve.start_seconds:.2f} s")
    print(
        f"save -> reload signal:     median {1000 * statistics.median(signals):.0f} ms, "
        f"max {1000 * max(signals):.0f} ms"
    )
    served_median = statistics.median(served)
    print(
        f"save -> page served:       median {1000 * served_median:.0f} ms, "
        f"max {1000 * max(served):.0f} ms; budget 300 ms -> "
        f"{'OK' if served_median <= 0.3 else 'OVER'}"
    )
    overhead = [total - build for total, build in zip(served, engine, strict=False)]
    print(
        f"  of which the rebuild:    median {1000 * statistics.median(engine):.0f} ms "
        f"(incremental one-post rebuild)"
    )
    print(
        f"  of which serve:          median {1000 * statistics.median(overhead):.0f} ms "
        f"(events, {int(1000 * QUIET_SECONDS)} ms quiet period, signal, fetch)"
    )


def builds_text(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


if __name__ == "__main__":
    main()

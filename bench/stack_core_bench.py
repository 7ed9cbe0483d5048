"""Benchmark the local stack's own parts: start/stop time, auth and storage latency, throughput.

(`bench/stack_bench.py` measures `/rest/v1`.) Everything goes through the official client.
- start-up and shutdown of a whole stack (PostgreSQL + platform layer + sql/ + HTTP), --starts times;
- password sign-in and token refresh latency (median over --runs);
- upload and download of a 64 KiB object (median over --runs);
- small downloads per second with --threads concurrent clients for --seconds.

    python bench/stack_core_bench.py --starts 3 --runs 20 --threads 8 --seconds 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BUCKET = "bench-core"


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms"


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def bench_start_stop(starts: int) -> None:
    from tests.stack.stack import Stack

    up, down = [], []
    for _ in range(starts):
        stack = Stack.start()
        up.append(stack.startup_seconds)
        down.append(timed(stack.stop))
    print(
        f"stack start-up (incl. sql/): median {median_ms(up)}, max {max(up) * 1000:.0f} ms "
        f"over {starts}"
    )
    print(f"stack shutdown: median {median_ms(down)}")


def bench_requests(runs: int, threads: int, seconds: float) -> None:
    from supabase import ClientOptions, create_client

    from tests.stack.stack import Stack

    options = ClientOptions(auto_refresh_token=False, persist_session=False)
    with Stack.start() as stack:
        admin = create_client(stack.url, stack.service_key, options)
        admin.auth.admin.create_user(
            {"email": "bench@example.com", "password": "bench-password", "email_confirm": True}
        )
        admin.storage.create_bucket(BUCKET, options={"public": True})
        user = create_client(stack.url, stack.anon_key, options)
        credentials = {"email": "bench@example.com", "password": "bench-password"}
        sign_ins = [
            timed(lambda: user.auth.sign_in_with_password(credentials)) for _ in range(runs)
        ]
        refreshes = [timed(user.auth.refresh_session) for _ in range(runs)]
        print(f"password sign-in (bcrypt cost 10): median {median_ms(sign_ins)}")
        print(f"refresh-token grant: median {median_ms(refreshes)}")

        files = admin.storage.from_(BUCKET)
        payload = bytes(range(256)) * 256
        uploads = [timed(lambda i=i: files.upload(f"up/{i}.bin", payload)) for i in range(runs)]
        downloads = [timed(lambda i=i: files.download(f"up/{i}.bin")) for i in range(runs)]
        print(f"upload 64 KiB: median {median_ms(uploads)}; download: {median_ms(downloads)}")

        files.upload("small.txt", b"small")
        counts = [0] * threads
        deadline = time.perf_counter() + seconds

        def worker(index: int) -> None:
            client = create_client(stack.url, stack.service_key, options).storage.from_(BUCKET)
            while time.perf_counter() < deadline:
                client.download("small.txt")
                counts[index] += 1

        workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        began = time.perf_counter()
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        elapsed = time.perf_counter() - began
        print(f"small downloads, {threads} concurrent clients: {sum(counts) / elapsed:.0f} req/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    options = parser.parse_args()
    bench_start_stop(options.starts)
    bench_requests(options.runs, options.threads, options.seconds)


if __name__ == "__main__":
    main()

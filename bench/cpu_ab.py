"""Interleaved A/B of fresh `sitegen build` processes by CPU time, for a busy machine.

    python bench/cpu_ab.py --posts 4000 --rounds 3 off:search=false on
    python bench/cpu_ab.py --posts 1000 base:pythonpath=/tmp/main-sitegen off:search=false on

Each variant gets its own copy of the bench corpus (bench/corpus.py) under --work; per round,
every variant runs a cold build, a no-op build and a one-post edit, variant after variant.
A variant is `NAME[:search=false][:pythonpath=DIR]`: `search=false` adds `[search] enabled =
false` to its sitegen.toml, `pythonpath` runs sitegen from another checkout's package (e.g.
`git archive main sitegen | tar -x -C DIR`). Prints wall and CPU seconds (user + system of the
build and its workers) per build, then medians. On a VM whose other tenants come and go, wall
times of identical builds can differ 2x; CPU time moves far less (see README.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

KINDS = ("cold", "noop", "edit")


def build(site: Path, pythonpath: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one `sitegen build -q` in `site`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=pythonpath)
    subprocess.run(["sitegen", "build", "-q"], cwd=site, check=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def prepare(work: Path, name: str, options: dict[str, str], posts: int) -> Path:
    site = work / f"{name}-{posts}"
    if not (site / "sitegen.toml").exists():
        generate(site, posts)
        if options.get("search") == "false":
            with (site / "sitegen.toml").open("a") as config:
                config.write("\n[search]\nenabled = false\n")
        time.sleep(2.1)  # files this fresh are re-checked by content (see sitegen/cache.py)
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/sitegen-ab"))
    args = parser.parse_args()
    variants = []
    for spec in args.variants:
        name, *pairs = spec.split(":")
        options = dict(pair.split("=", 1) for pair in pairs)
        site = prepare(args.work, name, options, args.posts)
        variants.append((name, site, options.get("pythonpath", "")))
    results: dict[str, dict[str, list[tuple[float, float]]]] = {
        name: {kind: [] for kind in KINDS} for name, _, _ in variants
    }
    for round_number in range(args.rounds):
        for name, site, pythonpath in variants:
            shutil.rmtree(site / "public", ignore_errors=True)
            shutil.rmtree(site / ".sitegen", ignore_errors=True)
            time.sleep(1)
            runs = results[name]
            runs["cold"].append(build(site, pythonpath))
            time.sleep(2.1)  # let the files' mtimes settle, as between real edits
            runs["noop"].append(build(site, pythonpath))
            edited = site / "content/posts/post-00007.md"
            original = edited.read_text()
            edited.write_text(original + f"\nEdited in round {round_number}.\n")
            runs["edit"].append(build(site, pythonpath))
            edited.write_text(original)
            shown = "  ".join(
                f"{k} {w:.2f}/{c:.2f}" for k, (w, c) in ((k, runs[k][-1]) for k in KINDS)
            )
            print(f"round {round_number} {name:>8}: {shown}  (wall/CPU s)", flush=True)
    for name, runs in results.items():
        shown = "  ".join(
            f"{kind} {statistics.median(w for w, _ in runs[kind]):.2f}"
            f"/{statistics.median(c for _, c in runs[kind]):.2f}"
            for kind in KINDS
        )
        print(f"median {name:>8}: {shown}  (wall/CPU s)")


if __name__ == "__main__":
    main()

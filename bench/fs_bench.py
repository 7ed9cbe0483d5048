"""How fast this disk creates the files of a built site: N folders with one page each.

    python bench/fs_bench.py bench/.work/blog-1000 /tmp --files 1100 --runs 3

A cold build creates a folder and a file per post (pretty URLs); on this VM's ext4 that kernel
work swings from a few hundredths of a second to more than a second for 1100 posts, depending
on the folder (how much churn its block group has seen), which is why bench/README.md reports
build figures on tmpfs as well. Prints the median seconds per folder given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

PAGE = b"<!doctype html>" + b"x" * 4000  # about the size of a rendered post


def create_pages(root: Path, files: int) -> float:
    """Seconds to create `files` folders under `root`, each holding one index.html."""
    started = time.perf_counter()
    for number in range(files):
        folder = root / f"post-{number:05d}"
        folder.mkdir()
        descriptor = os.open(folder / "index.html", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(descriptor, PAGE)
        finally:
            os.close(descriptor)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description="file-creation speed of folders on this machine")
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--files", type=int, default=1100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    missing = [str(folder) for folder in args.folders if not folder.is_dir()]
    if missing:
        parser.error(f"not a folder: {', '.join(missing)}")
    for folder in args.folders:
        seconds = []
        for _ in range(args.runs):
            scratch = Path(tempfile.mkdtemp(prefix=".fs-bench-", dir=folder))
            try:
                seconds.append(create_pages(scratch, args.files))
            finally:
                shutil.rmtree(scratch)
        print(f"{statistics.median(seconds):7.3f} s  {args.files} folders + files in {folder}")


if __name__ == "__main__":
    main()

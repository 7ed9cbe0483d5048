#!/usr/bin/env bash
# Refresh requirements-test.txt, the exact versions `scripts/test.sh` installs, from the ranges in
# pyproject.toml (dependencies + the `test` extra), for Python 3.11 on every platform, with hashes.
# Pins that still fit are kept and new dependencies are added; `bash scripts/lock.sh --upgrade`
# moves everything to the newest allowed versions (other arguments go to `uv pip compile` too).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/uv.sh
"$UV" pip compile pyproject.toml --extra test --python-version 3.11 --universal --generate-hashes \
  --custom-compile-command "bash scripts/lock.sh" --quiet -o requirements-test.txt "$@"
echo "requirements-test.txt: $(grep -c '^[A-Za-z0-9].*==' requirements-test.txt) packages locked"

#!/usr/bin/env bash
# The README's test command (and CI's: .ci/run). Installs the Debian packages the tests need when
# missing, then, in a NEW virtual environment each run (so a missing install step fails here, not
# on someone else's machine): the locked versions of requirements-test.txt, sitegen itself, and
# runs ruff, mypy and pytest. Arguments go to pytest.
#
#   bash scripts/test.sh                  # .venv-test/: the lock (what CI runs)
#   bash scripts/test.sh tests/unit -q    # the same, for some tests only
#   bash scripts/test.sh --latest         # .venv-latest/: the newest versions PyPI serves, no lock
#   bash scripts/test.sh --lowest         # .venv-lowest/: the lowest versions pyproject.toml allows
set -euo pipefail
cd "$(dirname "$0")/.."

mode=lock
case "${1:-}" in --latest | --lowest) mode=${1#--}; shift ;; esac

need_apt=()
# PostgreSQL server binaries (initdb, pg_ctl, postgres) for the local Supabase-compatible stack.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need_apt+=(postgresql); fi
# Headless Chromium and its driver for the `sitegen serve` browser tests.
if ! command -v chromium >/dev/null 2>&1; then need_apt+=(chromium); fi
if ! command -v chromedriver >/dev/null 2>&1; then need_apt+=(chromium-driver); fi
# Debian splits venv (with ensurepip) out of python3.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then need_apt+=(python3-venv); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

source scripts/uv.sh
venv=.venv-test; [ "$mode" = lock ] || venv=.venv-$mode
rm -rf "$venv"
"$UV" venv --quiet --python "$(command -v python3)" "$venv"
install=("$UV" pip install --quiet --python "$venv/bin/python")
case $mode in
  lock)
    "$UV" pip sync --quiet --python "$venv/bin/python" requirements-test.txt
    "${install[@]}" --no-deps -e .
    "$venv/bin/python" scripts/check_lock.py ;;
  latest) "${install[@]}" --refresh -e '.[test]' ;;
  lowest) "${install[@]}" --resolution lowest-direct -e '.[test]' ;;
esac
if [ "$mode" != lock ]; then
  "$UV" pip list --quiet --python "$venv/bin/python" --format freeze >"$venv/versions.txt"
  echo "$mode versions (all in $venv/versions.txt):" \
    $(grep -iE '^(pygments|markdown-it-py|mdit-py-plugins|jinja2|markupsafe|pyyaml|pydantic|supabase)==' "$venv/versions.txt")
fi
export VIRTUAL_ENV="$PWD/$venv" PATH="$PWD/$venv/bin:$PATH"

# The checkers only on the lock: other versions of ruff and mypy judge the same code otherwise.
if [ "$mode" = lock ]; then
  echo "ruff, ruff format, mypy"
  ruff check --quiet sitegen tests bench scripts
  ruff format --check --quiet sitegen tests bench scripts
  mypy sitegen
fi

echo "ready for pytest after ${SECONDS} s"
status=0
python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then echo "pytest collected no tests: nothing was tested" >&2; fi
exit "$status"

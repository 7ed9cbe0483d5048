# Sourced by test.sh and lock.sh: sets UV to a uv of the pinned version, installing it with pip
# into the git-ignored .venv-uv/ the first time (a fresh machine has python3 and pip, not uv).
# uv only installs and locks; what it installs is pinned by requirements-test.txt.
UV_VERSION=0.13.9
UV=.venv-uv/bin/uv
if [[ "$("$UV" --version 2>/dev/null)" != "uv $UV_VERSION "* ]]; then
  echo "installing uv $UV_VERSION into .venv-uv/"
  rm -rf .venv-uv
  python3 -m venv .venv-uv
  .venv-uv/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
fi

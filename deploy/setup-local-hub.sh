#!/usr/bin/env bash
# Build what a one-server JupyterHub for this course needs, outside the repository, readable by every user:
#   $PREFIX/venv    the single-user environment, from the system Python (/usr/bin/python3): a pyenv or a
#                   venv under /root cannot be read by learners' servers. Installed from requirements.txt,
#                   the same file Binder and repo2docker read, so every hub builds the same pinned environment.
#   $PREFIX/proxy   configurable-http-proxy from npm (node 20 works), the hub's proxy.
# Safe to run again: the environment is rebuilt only when requirements.txt, constraints.txt or
# pyproject.toml change; the course package itself is reinstalled when its files change.
# Used by .ci/run and by tests/test_hub.py, and by an instructor setting up a server (as root).
#
#   sudo deploy/setup-local-hub.sh            # PREFIX defaults to /opt/social-media-ethics-course-hub
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="${PREFIX:-/opt/social-media-ethics-course-hub}"
SYSTEM_PYTHON="${SYSTEM_PYTHON:-/usr/bin/python3}"
CHP_VERSION="5.3.0"
PIP=(--quiet --disable-pip-version-check --no-input)

mkdir -p "$PREFIX"
chmod 0755 "$PREFIX"

fingerprint() { (cd "$REPO" && cat "$@" | sha256sum | cut -c1-32); }

deps="$(fingerprint requirements.txt constraints.txt pyproject.toml)"
if [ "$(cat "$PREFIX/venv/.deps" 2>/dev/null)" != "$deps" ]; then
  echo "hub setup: building the single-user environment in $PREFIX/venv from $SYSTEM_PYTHON"
  rm -rf "$PREFIX/venv"
  "$SYSTEM_PYTHON" -m venv "$PREFIX/venv"
  (cd "$REPO" && "$PREFIX/venv/bin/python" -m pip install "${PIP[@]}" -r requirements.txt)
  # hatchling lets the course package be reinstalled below without a build download.
  "$PREFIX/venv/bin/python" -m pip install "${PIP[@]}" -c "$REPO/constraints.txt" hatchling
  echo "$deps" > "$PREFIX/venv/.deps"
  rm -f "$PREFIX/venv/.course"
fi

code="$(cd "$REPO" && find course readings pyproject.toml -type f ! -name '*.pyc' ! -path 'course/render/compiled/*' -print0 | sort -z \
        | xargs -0 sha256sum | sha256sum | cut -c1-32)"
if [ "$(cat "$PREFIX/venv/.course" 2>/dev/null)" != "$code" ]; then
  echo "hub setup: installing the course package from $REPO"
  "$PREFIX/venv/bin/python" -m pip install "${PIP[@]}" --no-deps --no-build-isolation --force-reinstall "$REPO"
  # learners cannot write the shared environment, so their kernels would compile every template afresh
  "$PREFIX/venv/bin/python" -m course compile-templates
  echo "$code" > "$PREFIX/venv/.course"
fi

if [ ! -x "$PREFIX/proxy/node_modules/.bin/configurable-http-proxy" ] \
   || [ "$(cat "$PREFIX/proxy/.version" 2>/dev/null)" != "$CHP_VERSION" ]; then
  command -v npm >/dev/null || { echo "hub setup: npm is missing (Debian: apt-get install nodejs npm)" >&2; exit 1; }
  echo "hub setup: installing configurable-http-proxy $CHP_VERSION into $PREFIX/proxy"
  mkdir -p "$PREFIX/proxy"
  npm install --silent --no-audit --no-fund --prefix "$PREFIX/proxy" "configurable-http-proxy@$CHP_VERSION" >/dev/null
  echo "$CHP_VERSION" > "$PREFIX/proxy/.version"
fi
chmod -R a+rX "$PREFIX/venv"
echo "hub setup: ready ($PREFIX)"

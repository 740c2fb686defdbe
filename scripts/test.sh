#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run it.
#   bash scripts/test.sh            # the whole suite
#   bash scripts/test.sh -k maps    # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m pytest "$@"

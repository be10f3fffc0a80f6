#!/usr/bin/env bash
# The reference service's CI: inside an activated virtual environment at the repository root (asn_kinerja
# installed), install the service and run its tests against a real PostgreSQL that the tests start themselves
# (initdb/pg_ctl into a temporary folder; as root, run by an unprivileged user). Also its lint and types.
set -euo pipefail
cd "$(dirname "$0")"
python -m pip install --quiet -e ".[test]"
ruff check .
ruff format --check .
mypy src
python -m pytest -q -p no:cacheprovider

#!/usr/bin/env bash
# Until the first release, the schema has one revision; this rebuilds it from the models.
# After the first release, add new revisions with `alembic revision --autogenerate` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f src/skillpath/migrations/versions/*_initial_schema.py
.venv/bin/alembic -c alembic.ini -x url="sqlite:///$tmp/gen.db" revision --autogenerate \
  --rev-id 0001 -m "initial schema" >/dev/null
.venv/bin/ruff check --fix --quiet src/skillpath/migrations/versions/0001_initial_schema.py || true
.venv/bin/ruff format --quiet src/skillpath/migrations/versions/0001_initial_schema.py
echo "regenerated src/skillpath/migrations/versions/0001_initial_schema.py"

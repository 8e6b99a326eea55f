#!/usr/bin/env bash
# The whole check, as CI runs it: lint, type check, then every test against real
# PostgreSQL (embedded unless TEST_DATABASE_URL is set) and real Temporal servers.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/require-node.mjs

bash scripts/ensure-temporal.sh
echo "== lint"; eslint .
echo "== type check"; tsc --noEmit
echo "== tests"
mkdir -p .data
rm -f .data/test-results.json
status=0
vitest run --reporter=default --reporter=json --outputFile.json=.data/test-results.json "$@" || status=$?
summary=0
node scripts/test-summary.mjs .data/test-results.json || summary=$?
if [ "$status" -ne 0 ] || [ "$summary" -ne 0 ]; then exit 1; fi

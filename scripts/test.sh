#!/bin/sh
# The whole test suite: installs the test peers when missing, then builds and runs every test,
# unit and interop. SEALPOST_REQUIRE_PEERS=1 turns a missing peer into a failure, not a skip.
set -eu
cd "$(dirname "$0")/.."
scripts/install-peers.sh
export SEALPOST_REQUIRE_PEERS="${SEALPOST_REQUIRE_PEERS:-1}"
exec mvn -B -ntp verify "$@"

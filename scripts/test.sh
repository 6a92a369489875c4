#!/usr/bin/env bash
# The whole test suite against a real PostgreSQL 15 and Redis 7 that this script starts on free
# ports in a temporary directory and stops again afterwards (on failure too).
# Extra arguments go to `swift test` (e.g. scripts/test.sh --filter Ledger).
# Works on a fresh machine with nothing exported: missing Debian packages are installed first.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-packages.sh

state=$(mktemp -d /var/tmp/mathfarm-test.XXXXXX)
chmod 755 "$state"
cleanup() {
  # Worker pools of a failed test must not outlive the run.
  pkill -KILL -f "$PWD/.build/.*/mathfarm worker" 2>/dev/null || true
  for cluster in /var/tmp/mathfarm-pgtest-*; do   # private clusters of a test that died
    [ -d "$cluster" ] && { scripts/services.sh stop "$cluster" || true; rm -rf "$cluster"; }
  done
  scripts/services.sh stop "$state" || true
  rm -rf "$state" "$(readlink -f "$state/postgres" 2>/dev/null || true)"
}
trap cleanup EXIT

# An assignment, so that a failed start stops the script here (set -e) instead of leaving the
# variables below unbound.
services_env=$(MATHFARM_PG_FAST=1 scripts/services.sh start "$state")
eval "$services_env"
export MATHFARM_TEST_PG_URL=$MATHFARM_PG_URL
export MATHFARM_TEST_REDIS_URL=$MATHFARM_REDIS_URL
echo "test services: $MATHFARM_TEST_PG_URL $MATHFARM_TEST_REDIS_URL"
swift build --build-tests
if [ $# -gt 0 ]; then
  swift test --skip-build "$@"
else
  # The fault-injection suite measures deadlines in wall-clock time: run it alone, after the
  # rest (which runs in parallel), so the other suites' load cannot skew its clocks.
  swift test --skip-build --skip ChaosTests
  swift test --skip-build --filter ChaosTests
fi

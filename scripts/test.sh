#!/usr/bin/env bash
# The whole test suite against a real PostgreSQL 15 and Redis 7 that this script starts on free
# ports in a temporary directory and stops again afterwards (on failure too).
# Extra arguments go to `swift test` (e.g. scripts/test.sh --filter Ledger).
set -euo pipefail
cd "$(dirname "$0")/.."

state=$(mktemp -d /var/tmp/mathfarm-test.XXXXXX)
chmod 755 "$state"
cleanup() { scripts/services.sh stop "$state" || true; rm -rf "$state" "$(readlink -f "$state/postgres" 2>/dev/null || true)"; }
trap cleanup EXIT

eval "$(scripts/services.sh start "$state")"
export MATHFARM_TEST_PG_URL=$MATHFARM_PG_URL
export MATHFARM_TEST_REDIS_URL=$MATHFARM_REDIS_URL
echo "test services: $MATHFARM_TEST_PG_URL $MATHFARM_TEST_REDIS_URL"
swift build --build-tests
swift test --skip-build "$@"

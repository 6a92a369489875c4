#!/usr/bin/env bash
# Ledger throughput benchmark: starts a private PostgreSQL (durability defaults: fsync and
# synchronous commit on, as production runs) + Redis, builds in release, runs.
# BENCH_SECONDS (5) per measurement, BENCH_CONCURRENCY (1,8,32).
set -euo pipefail
cd "$(dirname "$0")"
state=$(mktemp -d /var/tmp/mathfarm-bench.XXXXXX); chmod 755 "$state"
trap '../scripts/services.sh stop "$state"; rm -rf "$state"' EXIT
# Production durability whatever the caller's environment says (MATHFARM_PG_FAST is for tests).
eval "$(MATHFARM_PG_FAST=0 ../scripts/services.sh start "$state")"
export MATHFARM_ENV=development MATHFARM_PG_URL MATHFARM_REDIS_URL MATHFARM_MIGRATIONS_DIR=../migrations MATHFARM_BCRYPT_COST=4
swift build -c release --product LedgerBenchmark
"$(swift build -c release --show-bin-path)/LedgerBenchmark"

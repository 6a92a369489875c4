#!/usr/bin/env bash
# The farm benchmark, in one run so the ratios compare: MathFarm (release build) on a private
# PostgreSQL with its durability defaults (fsync on) and Redis with AOF everysec, driven over
# HTTP by FarmBench; then, when asked, the Celery peer on the same workload and machine.
#
#   benchmarks/farm/run.sh                       # the full set (about 10 minutes plus builds)
#   SETS="burst" REPEAT=1 benchmarks/farm/run.sh  # only the headline burst
#
#   JOBS=2000 CUSTOMERS=100 MIX=quadratic   the workload (MIX: see FarmBench --help)
#   CONNECTIONS (= CUSTOMERS) PEER_THREADS (8)   client concurrency of ours and of the peer's submitter
#   SETS="burst scaling rate peer"          which parts to run
#     burst    REPEAT (3) bursts with PROCESSES_HEADLINE (2) worker processes
#     scaling  one burst each with 1, 2 and 4 processes, and two supervisors of 1 (two "machines")
#     rate     half of the best burst's completed/s, sustained for RATE_SECONDS (60)
#     peer     the Celery peer (../shared/peers/celery_farm), same jobs, customers and workers
#   OUT=benchmarks/results/NAME             where the JSON, the SVG charts and summary.md go
#   SKIP_BUILD=1                             use the release binaries already built
#   PROFILE=1                                record a system-wide perf profile of each run
#   PG_STATEMENTS=1                          pg_stat_statements' top statements of each run
#   PG_OPTIONS="-c ..."                      extra server options, e.g. auto_explain to see plans
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
JOBS=${JOBS:-2000}; CUSTOMERS=${CUSTOMERS:-100}; MIX=${MIX:-quadratic}
SETS=${SETS:-"burst scaling rate peer"}; REPEAT=${REPEAT:-3}; PROCESSES_HEADLINE=${PROCESSES_HEADLINE:-2}
# One HTTP connection per customer by default: 100 customers submitting at once are 100 clients.
# (Until 2026-12-06 the default was 16 connections, which made the burst latency-bound: at 16
# requests in flight the farm idled ~40 % of the time waiting on commits.) The peer keeps its own
# default of 8 submitting threads (PEER_THREADS): it submits twice as fast as its two Celery
# workers complete (878 against 423 jobs/s), so more threads cannot raise its completed/s; 32
# measured 395/s, and 100 exceed PostgreSQL's default max_connections.
RATE_SECONDS=${RATE_SECONDS:-60}; CONNECTIONS=${CONNECTIONS:-$CUSTOMERS}; PEER_THREADS=${PEER_THREADS:-8}
OUT=${OUT:-benchmarks/results/$(date -u +%Y-%m-%d)-farm}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
PEER_DIR=${PEER_DIR:-$root/../shared/peers/celery_farm}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building release binaries (mathfarm, FarmBench)" >&2
  swift build -c release --product mathfarm >&2
  (cd benchmarks && swift build -c release --product FarmBench >&2)
fi
bin=$(swift build -c release --show-bin-path)/mathfarm
bench=$(cd benchmarks && swift build -c release --show-bin-path)/FarmBench

state=""; pids=()
stop_farm() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  if [ -n "$state" ]; then scripts/services.sh stop "$state" || true; rm -rf "$state" "$(readlink -f "$state/postgres" 2>/dev/null || true)"; fi
  state=""
}
trap stop_farm EXIT

# The figures are only worth reporting with the durability production has: refuse to measure
# a server with fsync, synchronous_commit or full_page_writes off (e.g. through PG_OPTIONS).
check_durability() {
  local port=${1##*:}; port=${port%%/*}
  local settings
  settings=$(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -At -c \
    "SELECT current_setting('fsync') || ' ' || current_setting('synchronous_commit') || ' ' || current_setting('full_page_writes')")
  if [ "$settings" != "on on on" ]; then
    echo "benchmark refused: PostgreSQL runs with fsync/synchronous_commit/full_page_writes = $settings, not production's on on on" >&2
    exit 2
  fi
}

# run_farm LABEL SUPERVISORS [FarmBench options...]: a fresh farm, one measured run, stopped.
# SUPERVISORS: worker processes per supervisor, e.g. "2" (one supervisor) or "1 1" (two).
run_farm() {
  local label=$1 supervisors=$2; shift 2
  state=$(mktemp -d /var/tmp/mathfarm-bench.XXXXXX); chmod 755 "$state"
  local pg_options="${PG_OPTIONS:-}"
  # PG_STATEMENTS=1: pg_stat_statements on, and its top statements written next to the JSON.
  [ "${PG_STATEMENTS:-0}" = 1 ] && pg_options="$pg_options -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on"
  # Production durability whatever the caller's environment says (MATHFARM_PG_FAST is for tests).
  eval "$(MATHFARM_PG_FAST=0 MATHFARM_PG_OPTIONS="$pg_options" scripts/services.sh start "$state")"
  check_durability "$MATHFARM_PG_URL"
  export MATHFARM_PG_URL MATHFARM_REDIS_URL LOG_LEVEL=${LOG_LEVEL:-warning} MATHFARM_HTTP_PORT=${MATHFARM_HTTP_PORT:-18480}
  # Production mode with secrets of this run only; no payment gateway is configured.
  export MATHFARM_ENV=production MATHFARM_JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')
  export MATHFARM_SETTINGS_KEY=$(head -c 32 /dev/urandom | base64)
  export MATHFARM_MIGRATIONS_DIR=$root/migrations
  "$bin" migrate >/dev/null
  printf 'admin-password-1\n' | "$bin" admin create --username admin --email admin@bench.test --full-name Bench --super-admin >/dev/null
  "$bin" api & pids+=($!); local api=$!
  for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$MATHFARM_HTTP_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  local worker_args=()
  for p in $supervisors; do "$bin" workers --processes "$p" & pids+=($!); worker_args+=(--workers-pid $!); done
  sleep 1
  echo "api=$api workers=${pids[*]:1} postgres=$(head -1 "$state/postgres/data/postmaster.pid")" > "$OUT/$label.pids"
  # PROFILE=1: a system-wide CPU profile of the measured part (perf record), next to its JSON.
  local marker="$state/measuring"
  if [ "${PROFILE:-0}" = 1 ]; then
    ( while [ ! -e "$marker" ]; do sleep 0.05; done
      perf record -a -g -F 499 -o "$OUT/$label.perf.data" -- sh -c "while [ -e '$marker' ]; do sleep 0.05; done" 2>/dev/null ) &
  fi
  "$bench" --measuring-marker "$marker" --url "http://127.0.0.1:$MATHFARM_HTTP_PORT" --pg-url "$MATHFARM_PG_URL" \
    --jobs "$JOBS" --customers "$CUSTOMERS" --mix "$MIX" --connections "$CONNECTIONS" \
    --api-pid "$api" "${worker_args[@]}" \
    --postgres-pid "$(head -1 "$state/postgres/data/postmaster.pid")" --redis-pid "$(cat "$state/redis/redis.pid")" \
    --mathfarm "$bin" --label "$label" --out "$OUT/$label.json" --svg "$OUT/$label.svg" "$@"
  if [ "${PG_STATEMENTS:-0}" = 1 ]; then
    local pg_port=${MATHFARM_PG_URL##*:}; pg_port=${pg_port%%/*}
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "
      SELECT d.datname, s.calls, round((s.total_exec_time + s.total_plan_time)::numeric, 1) AS total_ms,
             round((s.total_plan_time)::numeric, 1) AS plan_ms, s.rows, left(regexp_replace(s.query, '\s+', ' ', 'g'), 160) AS query
      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      ORDER BY s.total_exec_time + s.total_plan_time DESC LIMIT 40" > "$OUT/$label.statements.txt"
  fi
  stop_farm
}

for set in $SETS; do
  case $set in
  burst)
    for i in $(seq "$REPEAT"); do run_farm "burst-p${PROCESSES_HEADLINE}-run$i" "$PROCESSES_HEADLINE"; done ;;
  scaling)
    for p in 1 2 4; do run_farm "scaling-p$p" "$p"; done
    run_farm "scaling-2x1-supervisors" "1 1" ;;
  rate)
    best=$(python3 - "$OUT" <<'PY'
import glob, json, sys
rates = [json.load(open(f))["completed_per_second"] for f in glob.glob(sys.argv[1] + "/burst-*.json") + glob.glob(sys.argv[1] + "/scaling-p2.json")]
print(int(max(rates) / 2) if rates else 200)
PY
)
    JOBS=$((best * RATE_SECONDS)) run_farm "rate-$best-per-s" "$PROCESSES_HEADLINE" --rate "$best" --connections 256 ;;
  peer)
    peer=$(mktemp -d /var/tmp/celery-peer.XXXXXX); chmod 755 "$peer"
    cp -r "$PEER_DIR"/. "$peer/"
    if [ ! -x "$root/benchmarks/.venv-peer/bin/python" ]; then
      python3 -m venv "$root/benchmarks/.venv-peer"
      "$root/benchmarks/.venv-peer/bin/pip" install -q celery==5.7.0 redis "psycopg[binary]" gmpy2 sympy packaging
    fi
    (cd "$peer" && PEER_STATE_FILE="$peer/.services.env" ./services.sh start >&2 \
      && PEER_RESULTS_DIR="$peer/results" "$root/benchmarks/.venv-peer/bin/python" run_bench.py \
           --jobs "$JOBS" --workers "$PROCESSES_HEADLINE" --users "$CUSTOMERS" --threads "$PEER_THREADS" --solver gmpy2 --tag farm-run >&2; \
      PEER_STATE_FILE="$peer/.services.env" ./services.sh stop >&2)
    cp "$peer"/results/runs.jsonl "$OUT/celery-peer.jsonl"
    rm -rf "$peer" ;;
  *) echo "unknown set $set" >&2; exit 2 ;;
  esac
done

python3 benchmarks/farm/summarize.py "$OUT" | tee "$OUT/summary.md"

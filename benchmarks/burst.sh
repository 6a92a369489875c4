#!/usr/bin/env bash
# Worker-pool throughput: a burst of N quadratic jobs (default 1000) is submitted through the
# HTTP API while no worker runs, then `mathfarm workers --processes P` drains it; the time from
# starting the pool to the last job completed gives jobs/s. Repeated for each P in PROCESSES
# (default "1 2"), each on a fresh burst, all in one run so the numbers compare.
#
#   benchmarks/burst.sh                 # release build, 1000 jobs, 1 and 2 processes
#   JOBS=200 PROCESSES="1 2 4" MATHFARM_BUILD=debug benchmarks/burst.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-1000}; processes=${PROCESSES:-"1 2"}; build=${MATHFARM_BUILD:-release}

swift build -c "$build" --product mathfarm >/dev/null
bin=$(swift build -c "$build" --show-bin-path)/mathfarm
state=$(mktemp -d /var/tmp/mathfarm-burst.XXXXXX); chmod 755 "$state"
api_pid=""
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null; scripts/services.sh stop "$state"; rm -rf "$state"; }
trap cleanup EXIT
eval "$(scripts/services.sh start "$state")"
export MATHFARM_ENV=development MATHFARM_PG_URL MATHFARM_REDIS_URL LOG_LEVEL=error MATHFARM_HTTP_PORT=${MATHFARM_HTTP_PORT:-18480}
port=${MATHFARM_PG_URL##*:}; port=${port%%/*}
"$bin" migrate >/dev/null
"$bin" seed-demo >/dev/null
"$bin" api & api_pid=$!
base=http://127.0.0.1:$MATHFARM_HTTP_PORT
for _ in $(seq 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

echo "burst of $jobs quadratic_equation jobs; $(nproc) cores; build $build"
echo "processes   seconds   jobs/s"
for p in $processes; do
  JOBS=$jobs BASE=$base python3 - <<'PY'
import json, os, urllib.request, concurrent.futures
base, jobs = os.environ["BASE"], int(os.environ["JOBS"])
def call(method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token: request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response: return json.load(response)
staff = call("POST", "/api/v1/admin/auth/login", {"username": "admin", "password": "admin-password-1"})["access_token"]
login = call("POST", "/api/v1/auth/login", {"email": "demo@mathfarm.vn", "password": "demo-password-1"})
call("POST", "/api/v1/admin/users/%s/adjustments" % login["user"]["id"], {"amount": str(jobs * 2000), "reason": "burst benchmark"}, staff)
def submit(i):
    return call("POST", "/api/v1/solutions", {"problem": "quadratic_equation", "input": {"a": 1, "b": i, "c": -(i % 97) - 1}}, login["access_token"])
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    list(pool.map(submit, range(jobs)))
PY
  target=$(psql -h 127.0.0.1 -p "$port" -U postgres -d math_solver_db -Atc "select count(*) from solutions")
  start=$(date +%s.%N)
  "$bin" workers --processes "$p" & workers_pid=$!
  while [ "$(psql -h 127.0.0.1 -p "$port" -U postgres -d math_solver_db -Atc "select count(*) from solutions where status in ('completed','failed','timeout')")" -lt "$target" ]; do sleep 0.05; done
  end=$(date +%s.%N)
  kill -TERM "$workers_pid"; wait "$workers_pid" 2>/dev/null || true
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print('%9s %9.2f %8.1f' % (sys.argv[3], s, int(sys.argv[4])/s))" "$start" "$end" "$p" "$jobs"
done
"$bin" reconcile --check | tail -1

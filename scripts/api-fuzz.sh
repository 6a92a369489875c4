#!/usr/bin/env bash
# The API contract against a running stack: validates the served OpenAPI document with
# openapi-spec-validator, then runs a bounded schemathesis pass over every operation, logged in
# as the demo customer and, for the staff operations, as the demo super admin. Fails on any 5xx,
# a response that violates its documented schema, status or content type, or a crash.
#
# The stack is started as scripts/run-local.sh starts it (development mode, a private PostgreSQL
# and Redis, migrations, demo data, the API and one worker), on free ports in a temporary
# directory, and stopped at the end. The Python tools live in a virtual environment made from
# pip under .build/ (not committed). .ci/run calls this after the Swift tests.
#
# Environment: FUZZ_EXAMPLES (examples per operation and pass, default 20), FUZZ_SEED (1).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-packages.sh

venv=.build/fuzz-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv" 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==4.32.5" "openapi-spec-validator==0.9.0"
fi

export MATHFARM_ENV=development LOG_LEVEL=${LOG_LEVEL:-warning} MATHFARM_BCRYPT_COST=4
state=$(mktemp -d /var/tmp/mathfarm-fuzz.XXXXXX)
chmod 755 "$state"
api_pid=""; workers_pid=""; sandbox_pid=""
cleanup() {
  [ -n "$sandbox_pid" ] && kill -TERM "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null || true
  [ -n "$workers_pid" ] && kill -TERM "$workers_pid" 2>/dev/null && wait "$workers_pid" 2>/dev/null || true
  [ -n "$api_pid" ] && kill -TERM "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null || true
  scripts/services.sh stop "$state" || true
  rm -rf "$state" "$(readlink -f "$state/postgres" 2>/dev/null || true)"
}
trap cleanup EXIT

services_env=$(scripts/services.sh start "$state")
eval "$services_env"
export MATHFARM_PG_URL MATHFARM_REDIS_URL
export MATHFARM_HTTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$MATHFARM_HTTP_PORT"
export MATHFARM_PUBLIC_URL=$base MATHFARM_REDIS_PREFIX=fuzz
# The gateways are played by the local sandbox, as in run-local.sh.
export MATHFARM_SANDBOX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sandbox="http://127.0.0.1:$MATHFARM_SANDBOX_PORT"
export MATHFARM_VNPAY_PAY_URL=$sandbox/paymentv2/vpcpay.html MATHFARM_VNPAY_API_URL=$sandbox/merchant_webapi/api/transaction
export MATHFARM_MOMO_API_URL=$sandbox MATHFARM_ZALOPAY_API_URL=$sandbox

swift build --product mathfarm
bin=$(swift build --show-bin-path)/mathfarm
"$bin" migrate >/dev/null
"$bin" seed-demo >/dev/null
"$bin" api >"$state/api.log" 2>&1 &
api_pid=$!
"$bin" workers --processes 1 >"$state/workers.log" 2>&1 &
workers_pid=$!
"$bin" sandbox-gateway >"$state/sandbox.log" 2>&1 &
sandbox_pid=$!
listening() { python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null; }
for _ in $(seq 150); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && listening "$MATHFARM_SANDBOX_PORT" && break
  sleep 0.2
done
curl -fsS "$base/readyz" >/dev/null

curl -fsS "$base/openapi.json" -o "$state/openapi.json"
curl -fsS "$base/openapi.yaml" -o "$state/openapi.yaml"
"$venv/bin/openapi-spec-validator" "$state/openapi.json"
"$venv/bin/openapi-spec-validator" "$state/openapi.yaml"

token() {  # path, JSON body → access_token
  curl -fsS -X POST "$base$1" -H 'Content-Type: application/json' -d "$2" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
customer=$(token /api/v1/auth/login '{"email":"demo@mathfarm.vn","password":"demo-password-1"}')
staff=$(token /api/v1/admin/auth/login '{"username":"admin","password":"admin-password-1"}')

examples=${FUZZ_EXAMPLES:-20}; seed=${FUZZ_SEED:-1}
# One worker: Hypothesis parses lambda sources with `ast` while describing strategies, which
# CPython 3.11 can fail at from two threads at once ("AST constructor recursion depth mismatch").
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
fuzz() {  # name, token, filters...
  local name=$1 bearer=$2; shift 2
  echo "== schemathesis: $name"
  "$venv/bin/schemathesis" run "$state/openapi.json" --url "$base" --checks "$checks" \
    --max-examples "$examples" --seed "$seed" --workers 1 --request-timeout 40 \
    -H "Authorization: Bearer $bearer" "$@"
}
# Logging out would end the customer session the rest of the pass uses: it is fuzzed last, alone.
fuzz customer "$customer" --exclude-tag admin --exclude-operation-id logout
fuzz staff "$staff" --include-tag admin
fuzz logout "$customer" --include-operation-id logout

# A crash or an unlogged 500 would show here too.
if grep -E "unhandled error|Fatal error" "$state/api.log" "$state/workers.log"; then
  echo "the API or a worker logged an unhandled error" >&2
  exit 1
fi
kill -0 "$api_pid" 2>/dev/null || { echo "the API died" >&2; exit 1; }
"$bin" reconcile --check

#!/usr/bin/env bash
# The API contract against a running stack: validates the served OpenAPI document with
# openapi-spec-validator, then runs a bounded schemathesis pass over every operation, logged in
# as the demo customer and, for the staff operations, as the demo super admin. Fails on any 5xx,
# a response that violates its documented schema, status or content type, or a crash.
#
# The stack is started by the code scripts/run-local.sh uses (scripts/local-stack.sh: development
# mode, a private PostgreSQL and Redis, migrations, demo data, the API, one worker, the sandbox
# gateway), on free ports in a temporary directory, and stopped at the end. The Python tools live
# in a virtual environment made from pip under .build/ (not committed). .ci/run calls this after
# the Swift tests.
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

export LOG_LEVEL=${LOG_LEVEL:-warning} MATHFARM_BCRYPT_COST=4 MATHFARM_REDIS_PREFIX=fuzz
source scripts/local-stack.sh
stack_start_temporary fuzz "" 1
bin=$stack_bin; state=$stack_temporary; base=$stack_base

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
kill -0 "${stack_pids[0]}" 2>/dev/null || { echo "the API died" >&2; exit 1; }
"$bin" reconcile --check

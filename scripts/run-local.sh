#!/usr/bin/env bash
# Runs MathFarm on this machine: its own PostgreSQL and Redis (data under .mathfarm/),
# migrations, demo data, then the API and a pool of workers. Ctrl-C stops everything.
#
# Runs in development mode (MATHFARM_ENV=development): the repository's development keys and the
# gateways' public sandbox keys, which production refuses.
#
# Environment: MATHFARM_HTTP_PORT (8080), MATHFARM_LOCAL_PG_PORT (55432),
# MATHFARM_LOCAL_REDIS_PORT (56379), MATHFARM_BUILD (debug | release, default debug),
# MATHFARM_WORKER_PROCESSES (number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-packages.sh

build=${MATHFARM_BUILD:-debug}
swift build -c "$build" --product mathfarm
bin=$(swift build -c "$build" --show-bin-path)/mathfarm

state=.mathfarm
pg_port=${MATHFARM_LOCAL_PG_PORT:-55432}; redis_port=${MATHFARM_LOCAL_REDIS_PORT:-56379}
export MATHFARM_HTTP_PORT=${MATHFARM_HTTP_PORT:-8080} MATHFARM_SANDBOX_PORT=${MATHFARM_SANDBOX_PORT:-8090}
source scripts/local-stack.sh
trap stack_stop EXIT
trap 'exit 130' INT TERM
stack_start "$bin" "$state" "$pg_port" "$redis_port" "" "${MATHFARM_WORKER_PROCESSES:-}"
base=$stack_base; sandbox=$stack_sandbox

cat <<TXT

MathFarm is running at $base   (PostgreSQL 127.0.0.1:$pg_port, Redis 127.0.0.1:$redis_port, data in $state/)
The website: $base/ (Tiếng Việt) and $base/en (English); demo login demo@mathfarm.vn / demo-password-1
Try:
  curl -s $base/readyz
  TOKEN=\$(curl -s -X POST $base/api/v1/auth/login -H 'Content-Type: application/json' \\
      -d '{"email":"demo@mathfarm.vn","password":"demo-password-1"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -s $base/api/v1/me/balance -H "Authorization: Bearer \$TOKEN"
  ID=\$(curl -s -X POST $base/api/v1/solutions -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
      -d '{"problem":"quadratic_equation","input":{"equation":"x^2 - 3x + 1 = 0"}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  curl -s "$base/api/v1/solutions/\$ID?wait=10" -H "Authorization: Bearer \$TOKEN"
  # Other problems: system_equations, derivative, indefinite_integral, definite_integral, limit (GET $base/api/v1/problems)
  curl -s -X POST $base/api/v1/solutions -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \
      -d '{"problem":"indefinite_integral","input":{"expression":"x^3*e^(2x)"}}'
  # Or locally, without any service: $bin solve limit '{"expression": "sin(3x)/(5x)", "point": 0}'
  # Top up through the sandbox gateway ($sandbox): open the payment_url, press Pay, watch the balance
  curl -s -X POST $base/api/v1/deposits -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \
      -d '{"method":"vnpay","amount":50000}'      # or "momo", "zalopay"
  # or a bank transfer / VietQR (method "qr_code"), paid at $sandbox/bank/transfer with the reference as memo
Press Ctrl-C to stop.
TXT
wait -n "${stack_pids[@]}"

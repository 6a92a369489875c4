#!/usr/bin/env bash
# Runs MathFarm on this machine: its own PostgreSQL and Redis (data under .mathfarm/),
# migrations, demo data, then the API and a pool of workers. Ctrl-C stops everything.
#
# Environment: MATHFARM_HTTP_PORT (8080), MATHFARM_LOCAL_PG_PORT (55432),
# MATHFARM_LOCAL_REDIS_PORT (56379), MATHFARM_BUILD (debug | release, default debug),
# MATHFARM_WORKER_PROCESSES (number of cores), MATHFARM_LOCAL_STATE (data folder, .mathfarm).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
[ -f /usr/include/hiredis/hiredis.h ] || need+=(libhiredis-dev)
[ -f /usr/include/x86_64-linux-gnu/gmp.h ] || [ -f /usr/include/gmp.h ] || need+=(libgmp-dev)
[ -f /usr/include/mpfr.h ] || need+=(libmpfr-dev)
[ -f /usr/include/qrencode.h ] || need+=(libqrencode-dev)
[ -f /usr/share/javascript/katex/katex.min.js ] || need+=(libjs-katex fonts-katex)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

build=${MATHFARM_BUILD:-debug}
swift build -c "$build" --product mathfarm
bin=$(swift build -c "$build" --show-bin-path)/mathfarm

state=${MATHFARM_LOCAL_STATE:-.mathfarm}
mkdir -p "$state"; chmod 755 "$state"
scripts/services.sh stop "$state" >/dev/null 2>&1 || true
pg_port=${MATHFARM_LOCAL_PG_PORT:-55432}; redis_port=${MATHFARM_LOCAL_REDIS_PORT:-56379}
eval "$(scripts/services.sh start "$state" "$pg_port" "$redis_port")"
export MATHFARM_PG_URL MATHFARM_REDIS_URL
export MATHFARM_HTTP_PORT=${MATHFARM_HTTP_PORT:-8080}
export MATHFARM_ENV=${MATHFARM_ENV:-development}
# The payment gateways are played by the local sandbox (mathfarm sandbox-gateway).
export MATHFARM_SANDBOX_PORT=${MATHFARM_SANDBOX_PORT:-8090}
sandbox="http://127.0.0.1:$MATHFARM_SANDBOX_PORT"
export MATHFARM_PUBLIC_URL=${MATHFARM_PUBLIC_URL:-http://127.0.0.1:$MATHFARM_HTTP_PORT}
export MATHFARM_VNPAY_PAY_URL=${MATHFARM_VNPAY_PAY_URL:-$sandbox/paymentv2/vpcpay.html}
export MATHFARM_VNPAY_API_URL=${MATHFARM_VNPAY_API_URL:-$sandbox/merchant_webapi/api/transaction}
export MATHFARM_MOMO_API_URL=${MATHFARM_MOMO_API_URL:-$sandbox}
export MATHFARM_ZALOPAY_API_URL=${MATHFARM_ZALOPAY_API_URL:-$sandbox}

api_pid=""; workers_pid=""; sandbox_pid=""
stop_all() {
  [ -n "$sandbox_pid" ] && kill -TERM "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null || true
  [ -n "$workers_pid" ] && kill -TERM "$workers_pid" 2>/dev/null && wait "$workers_pid" 2>/dev/null || true
  [ -n "$api_pid" ] && kill -TERM "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null || true
  scripts/services.sh stop "$state" || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

"$bin" migrate
"$bin" seed-demo
"$bin" api &
api_pid=$!
"$bin" workers &
workers_pid=$!
"$bin" sandbox-gateway &
sandbox_pid=$!

base="http://127.0.0.1:$MATHFARM_HTTP_PORT"
for _ in $(seq 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
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
wait -n "$api_pid" "$workers_pid" "$sandbox_pid"

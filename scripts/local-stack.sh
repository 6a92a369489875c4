# Sourced (not run) by scripts/run-local.sh and scripts/api-fuzz.sh: starts MathFarm on this
# machine the one way both use. Development mode; a private PostgreSQL and Redis under STATE
# (scripts/services.sh); migrations and demo data; the API, a worker pool and the sandbox
# gateway, with the gateway URLs pointed at the sandbox.
#
#   stack_start BIN STATE [PG_PORT REDIS_PORT [LOG_DIR [WORKER_PROCESSES]]]
#   stack_stop
#
# Ports default to free ones; MATHFARM_HTTP_PORT and MATHFARM_SANDBOX_PORT too. With LOG_DIR the
# processes write api.log, workers.log and sandbox.log there, else to this terminal. Sets
# stack_base (the API's URL), stack_sandbox, stack_pids (api workers sandbox).

stack_pids=()  # so stack_stop is safe when stack_start failed before starting anything

stack_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stack_listening() {
  python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null
}

stack_start() {
  local bin=$1 pg_port=${3:-} redis_port=${4:-} logs=${5:-} processes=${6:-}
  stack_state=$2
  export MATHFARM_ENV=development
  mkdir -p "$stack_state"; chmod 755 "$stack_state"
  scripts/services.sh stop "$stack_state" >/dev/null 2>&1 || true
  local services_env
  services_env=$(scripts/services.sh start "$stack_state" $pg_port $redis_port)
  eval "$services_env"
  export MATHFARM_PG_URL MATHFARM_REDIS_URL
  export MATHFARM_HTTP_PORT=${MATHFARM_HTTP_PORT:-$(stack_free_port)}
  export MATHFARM_SANDBOX_PORT=${MATHFARM_SANDBOX_PORT:-$(stack_free_port)}
  stack_base="http://127.0.0.1:$MATHFARM_HTTP_PORT"
  stack_sandbox="http://127.0.0.1:$MATHFARM_SANDBOX_PORT"
  export MATHFARM_PUBLIC_URL=${MATHFARM_PUBLIC_URL:-$stack_base}
  # The payment gateways are played by the local sandbox (mathfarm sandbox-gateway).
  export MATHFARM_VNPAY_PAY_URL=${MATHFARM_VNPAY_PAY_URL:-$stack_sandbox/paymentv2/vpcpay.html}
  export MATHFARM_VNPAY_API_URL=${MATHFARM_VNPAY_API_URL:-$stack_sandbox/merchant_webapi/api/transaction}
  export MATHFARM_MOMO_API_URL=${MATHFARM_MOMO_API_URL:-$stack_sandbox}
  export MATHFARM_ZALOPAY_API_URL=${MATHFARM_ZALOPAY_API_URL:-$stack_sandbox}

  "$bin" migrate
  "$bin" seed-demo
  stack_pids=()
  local role
  for role in api workers sandbox-gateway; do
    local arguments=("$role")
    [ "$role" = workers ] && [ -n "$processes" ] && arguments+=(--processes "$processes")
    if [ -n "$logs" ]; then
      "$bin" "${arguments[@]}" >"$logs/${role%-gateway}.log" 2>&1 &
    else
      "$bin" "${arguments[@]}" &
    fi
    stack_pids+=($!)
  done
  for _ in $(seq 150); do
    curl -fsS "$stack_base/healthz" >/dev/null 2>&1 && stack_listening "$MATHFARM_SANDBOX_PORT" && return 0
    sleep 0.2
  done
  echo "the API did not come up at $stack_base" >&2
  return 1
}

stack_stop() {
  local index
  for ((index = ${#stack_pids[@]} - 1; index >= 0; index--)); do
    kill -TERM "${stack_pids[$index]}" 2>/dev/null && wait "${stack_pids[$index]}" 2>/dev/null || true
  done
  stack_pids=()
  [ -n "${stack_state:-}" ] && scripts/services.sh stop "$stack_state" || true
}

# A throwaway stack for a test script: builds mathfarm (debug), starts it in a new temporary
# directory under /var/tmp, and stops and removes it when the script exits. Sets stack_bin and
# stack_temporary besides what stack_start sets.
#
#   stack_start_temporary NAME [LOG_DIR [WORKER_PROCESSES]]   # LOG_DIR defaults to the directory
#
# PostgreSQL runs without fsync (its data is thrown away) unless the caller sets
# MATHFARM_PG_FAST=0: a script that measures anything must, so its figures are production's.
stack_start_temporary() {
  local name=$1 logs=${2:-} processes=${3:-}
  swift build --product mathfarm
  stack_bin=$(swift build --show-bin-path)/mathfarm
  stack_temporary=$(mktemp -d "/var/tmp/mathfarm-$name.XXXXXX")
  trap stack_remove_temporary EXIT
  MATHFARM_PG_FAST=${MATHFARM_PG_FAST:-1} stack_start "$stack_bin" "$stack_temporary" "" "" "${logs:-$stack_temporary}" "$processes" >/dev/null
  curl -fsS "$stack_base/readyz" >/dev/null
}

stack_remove_temporary() {
  stack_stop
  rm -rf "$stack_temporary" "$(readlink -f "$stack_temporary/postgres" 2>/dev/null || true)"
}

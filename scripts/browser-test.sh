#!/usr/bin/env bash
# The website's browser tests: headless Chromium from Debian (/usr/bin/chromium, driven through
# /usr/bin/chromedriver by Selenium from pip; no browser is ever downloaded) against a running
# stack that scripts/run-local.sh starts (development mode, private PostgreSQL and Redis on free
# ports, workers, the sandbox payment gateway). Then measures server time and page weight.
#
# Output (screenshots at 360 px and 1280 px, the stack's log, measurements) goes to
# $MATHFARM_BROWSER_ARTIFACTS (default .ci/artifacts/browser). Python packages come from
# Tests/Browser/requirements.txt into the virtual environment $MATHFARM_BROWSER_VENV
# (default .venv-browser), created when missing. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${MATHFARM_BROWSER_ARTIFACTS:-$PWD/.ci/artifacts/browser}
venv=${MATHFARM_BROWSER_VENV:-$PWD/.venv-browser}
rm -rf "$out"; mkdir -p "$out/screenshots"
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || { echo "needs Debian's chromium and chromium-driver" >&2; exit 1; }
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install -q --disable-pip-version-check -r Tests/Browser/requirements.txt

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
state=$(mktemp -d /var/tmp/mathfarm-browser.XXXXXX); chmod 755 "$state"
http_port=$(free_port); sandbox_port=$(free_port); pg_port=$(free_port); redis_port=$(free_port)
stack_pid=""
cleanup() {
  if [ -n "$stack_pid" ]; then kill -TERM "$stack_pid" 2>/dev/null || true; wait "$stack_pid" 2>/dev/null || true; fi
  scripts/services.sh stop "$state" >/dev/null 2>&1 || true
  rm -rf "$state" "$(readlink -f "$state/postgres" 2>/dev/null || true)"
}
trap cleanup EXIT

MATHFARM_LOCAL_STATE="$state" MATHFARM_HTTP_PORT=$http_port MATHFARM_SANDBOX_PORT=$sandbox_port \
MATHFARM_LOCAL_PG_PORT=$pg_port MATHFARM_LOCAL_REDIS_PORT=$redis_port MATHFARM_WORKER_PROCESSES=${MATHFARM_WORKER_PROCESSES:-2} \
LOG_LEVEL=${LOG_LEVEL:-warning} scripts/run-local.sh >"$out/stack.log" 2>&1 &
stack_pid=$!
site="http://127.0.0.1:$http_port"
for _ in $(seq 1800); do
  curl -fsS "$site/readyz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$sandbox_port/healthz" >/dev/null 2>&1 && break
  kill -0 "$stack_pid" 2>/dev/null || { echo "the stack did not start; its log:" >&2; tail -50 "$out/stack.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$site/readyz" >/dev/null

echo "browser tests against $site (screenshots: $out/screenshots)"
status=0
MATHFARM_SITE_URL=$site MATHFARM_SANDBOX_URL="http://127.0.0.1:$sandbox_port" MATHFARM_BROWSER_ARTIFACTS=$out SE_OFFLINE=true \
  "$venv/bin/python" -m pytest Tests/Browser -v -p no:cacheprovider --junitxml="$out/junit.xml" "$@" || status=$?
MATHFARM_SITE_URL=$site MATHFARM_BROWSER_ARTIFACTS=$out "$venv/bin/python" Tests/Browser/measure.py || status=$((status ? status : 1))
echo "browser artifacts: $out (screenshots in $out/screenshots, measurements in $out/measurements.json)"
exit $status

#!/usr/bin/env bash
# The website's browser tests: Debian's headless Chromium (/usr/bin/chromium, driven through
# /usr/bin/chromedriver by Selenium from pip; no browser is ever downloaded) against a stack
# started by the code scripts/run-local.sh uses (scripts/local-stack.sh: development mode, a
# private PostgreSQL and Redis, migrations, demo data, the API, two workers, the sandbox
# gateway) on free ports in a temporary directory. Then measures server time and page weight.
#
# Everything it makes goes to $MATHFARM_BROWSER_ARTIFACTS (default .ci/artifacts/browser):
# screenshots of every page at 360 px and 1280 px, the stack's logs, junit.xml,
# measurements.json. The Python packages (Tests/Browser/requirements.txt, all pinned) live in a
# virtual environment made from pip under .build/ (not committed). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-packages.sh
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
}
venv=.build/browser-venv
if [ ! -x "$venv/bin/pytest" ] || ! cmp -s Tests/Browser/requirements.txt "$venv/requirements.txt"; then
  python3 -m venv "$venv" 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
  "$venv/bin/pip" install -q --disable-pip-version-check -r Tests/Browser/requirements.txt
  cp Tests/Browser/requirements.txt "$venv/requirements.txt"
fi

out=${MATHFARM_BROWSER_ARTIFACTS:-$PWD/.ci/artifacts/browser}
rm -rf "$out"; mkdir -p "$out/screenshots" "$out/logs"

export LOG_LEVEL=${LOG_LEVEL:-warning} MATHFARM_BCRYPT_COST=4 MATHFARM_REDIS_PREFIX=browser
source scripts/local-stack.sh
# Production durability (fsync, synchronous commit): measure.py reports server time per page.
MATHFARM_PG_FAST=0 stack_start_temporary browser "$out/logs" 2

echo "browser tests against $stack_base (screenshots: $out/screenshots)"
status=0
MATHFARM_SITE_URL=$stack_base MATHFARM_SANDBOX_URL=$stack_sandbox MATHFARM_BROWSER_ARTIFACTS=$out SE_OFFLINE=true \
  "$venv/bin/python" -m pytest Tests/Browser -v -p no:cacheprovider --junitxml="$out/junit.xml" "$@" || status=$?
MATHFARM_SITE_URL=$stack_base MATHFARM_BROWSER_ARTIFACTS=$out "$venv/bin/python" Tests/Browser/measure.py || status=$((status ? status : 1))
echo "browser artifacts: $out (screenshots in $out/screenshots, measurements in $out/measurements.json, logs in $out/logs)"
exit $status

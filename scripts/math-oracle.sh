#!/usr/bin/env bash
# The math engine's differential test against SymPy, by value (Tests/Oracle/oracle.py): seeded
# random derivatives, indefinite integrals, definite integrals and limits run through
# `mathfarm solve`, each answer checked against SymPy and high-precision mpmath numerics.
# Fails on any disagreement that is neither shown to be SymPy's fault nor listed, with its
# reason, in Tests/Oracle/known-failures.json. .ci/run calls this after the Swift tests.
#
# SymPy and mpmath come from pip, pinned, in a virtual environment (.venv-oracle, not committed).
# The engine is $MATHFARM_BIN, or the debug build of this checkout (built here if missing).
#
# Environment: ORACLE_CASES (per problem type, default 60), ORACLE_SEED (1), ORACLE_JOBS (CPU
# count), ORACLE_SYMPY_TIMEOUT (seconds per SymPy call, 8), ORACLE_REPORT (JSON report path,
# .build/oracle/report.json), ORACLE_VENV (.venv-oracle). Extra arguments go to oracle.py
# (e.g. --case limit:1:17 --verbose).
# The corpus behind the note's solve rates: ORACLE_CASES=500 ORACLE_SEED=2026 scripts/math-oracle.sh
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${ORACLE_VENV:-.venv-oracle}
if ! "$venv/bin/python" -c 'import sympy, mpmath; assert sympy.__version__ == "1.14.0" and mpmath.__version__ == "1.3.0"' 2>/dev/null; then
  python3 -m venv "$venv" 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
  "$venv/bin/pip" install -q --disable-pip-version-check "sympy==1.14.0" "mpmath==1.3.0"
fi

if [ -z "${MATHFARM_BIN:-}" ]; then
  swift build --product mathfarm
  MATHFARM_BIN="$(swift build --show-bin-path)/mathfarm"
fi
[ -x "$MATHFARM_BIN" ] || { echo "math-oracle: no executable at $MATHFARM_BIN" >&2; exit 2; }

exec "$venv/bin/python" Tests/Oracle/oracle.py --binary "$MATHFARM_BIN" "$@"

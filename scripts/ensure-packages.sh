#!/usr/bin/env bash
# Installs, with apt-get, the Debian packages MathFarm needs to build, run and test that this
# machine lacks (a fresh machine lacks redis-server and libhiredis-dev, for a start). Used by
# scripts/run-local.sh and scripts/test.sh, so both work on a new machine with nothing exported.
set -euo pipefail

need=()
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
[ -f /usr/include/hiredis/hiredis.h ] || need+=(libhiredis-dev)
[ -f /usr/include/x86_64-linux-gnu/gmp.h ] || [ -f /usr/include/gmp.h ] || [ -f "/usr/include/$(uname -m)-linux-gnu/gmp.h" ] || need+=(libgmp-dev)
[ -f /usr/include/mpfr.h ] || need+=(libmpfr-dev)
[ -f /usr/include/qrencode.h ] || need+=(libqrencode-dev)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
[ -f /usr/share/javascript/katex/katex.min.js ] || need+=(libjs-katex)
[ -d /usr/share/fonts/truetype/katex ] || need+=(fonts-katex)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v python3 >/dev/null || need+=(python3)
command -v curl >/dev/null || need+=(curl)

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "installing ${need[*]} ..." >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

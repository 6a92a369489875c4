#!/usr/bin/env bash
# Starts or stops a private PostgreSQL 15 and Redis 7 for MathFarm (local runs, tests and CI).
#
#   scripts/services.sh start DIR [PG_PORT REDIS_PORT]   # prints the env to export
#   scripts/services.sh stop DIR
#
# PostgreSQL refuses to run as root, so it runs as the `postgres` system user (created if
# missing) from a data directory under DIR. Redis runs with AOF on (appendfsync everysec).
# Ports default to free ones chosen by the kernel. PostgreSQL keeps every durability default
# (fsync, synchronous_commit, full_page_writes), as production runs, so a benchmark or a local run
# cannot measure or store anything on a server that production would not be. Test scripts, whose
# data is thrown away, ask for speed with MATHFARM_PG_FAST=1 (fsync, synchronous commit and full
# page writes off).
#
# MATHFARM_PG_TLS=1 runs PostgreSQL as an operator would on a network: TLS with a certificate
# from a private CA made here with openssl (DIR/tls/ca.crt; the server's names are 127.0.0.1 and
# mathfarm-db.test), passwords stored as scram-sha-256, and every TCP login but the `postgres`
# superuser's (trusted, for the harness) over TLS with a scram password; plain TCP is refused.
# It also listens on 127.0.0.2, which the certificate does not name.
set -euo pipefail

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [PG_PORT REDIS_PORT]" >&2; exit 2; }

find_pgbin() {
  for v in 15 16 17; do
    if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then echo "/usr/lib/postgresql/$v/bin"; return; fi
  done
  echo "PostgreSQL server binaries not found (apt-get install postgresql-15)" >&2; exit 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case "$cmd" in
start)
  pg_port=${3:-$(free_port)}; redis_port=${4:-$(free_port)}
  PGBIN=$(find_pgbin)
  mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
  id -u postgres >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
  # The postgres user must be able to reach DIR; a home directory with mode 0700 is not reachable,
  # so the cluster then lives in /var/tmp and DIR keeps a link to it.
  pgroot="$dir/postgres"
  if [ ! -e "$pgroot" ]; then
    if runuser -u postgres -- test -x "$dir" 2>/dev/null; then
      mkdir -p "$pgroot"
    else
      alt=$(mktemp -d /var/tmp/mathfarm-pg.XXXXXX); chmod 755 "$alt"; ln -s "$alt" "$pgroot"
    fi
  fi
  # From here on the real path: through the link, postgres would still have to cross DIR.
  pgroot=$(readlink -f "$pgroot")
  chown postgres:postgres "$pgroot"
  if [ ! -f "$pgroot/data/PG_VERSION" ]; then
    install -d -m 0700 -o postgres -g postgres "$pgroot/data"
    runuser -u postgres -- "$PGBIN/initdb" -D "$pgroot/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  install -d -m 0755 -o postgres -g postgres "$pgroot/run"
  tls_options=""
  if [ "${MATHFARM_PG_TLS:-0}" = 1 ]; then
    tls="$dir/tls"; mkdir -p "$tls"
    if [ ! -f "$tls/server.crt" ]; then
      openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=MathFarm test CA" \
        -keyout "$tls/ca.key" -out "$tls/ca.crt" >/dev/null 2>&1
      openssl req -newkey rsa:2048 -nodes -subj "/CN=mathfarm-db.test" -keyout "$tls/server.key" -out "$tls/server.csr" >/dev/null 2>&1
      printf 'subjectAltName=IP:127.0.0.1,DNS:mathfarm-db.test\n' > "$tls/san.ext"
      openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 3 \
        -extfile "$tls/san.ext" -out "$tls/server.crt" >/dev/null 2>&1
      install -m 0600 -o postgres -g postgres "$tls/server.key" "$pgroot/server.key"
      install -m 0644 -o postgres -g postgres "$tls/server.crt" "$pgroot/server.crt"
      chmod 0644 "$tls/ca.crt"
    fi
    cat > "$pgroot/data/pg_hba.conf" <<HBA
local   all all                      trust
hostssl all postgres 127.0.0.0/8     trust
hostssl all all      127.0.0.0/8     scram-sha-256
host    all all      127.0.0.0/8     reject
HBA
    chown postgres:postgres "$pgroot/data/pg_hba.conf"
    # 127.0.0.2 too: an address the certificate does not name, to test that verify-full checks it.
    tls_options="-c listen_addresses=127.0.0.1,127.0.0.2 -c ssl=on -c ssl_cert_file=$pgroot/server.crt -c ssl_key_file=$pgroot/server.key -c password_encryption=scram-sha-256"
  fi
  durability="$tls_options"
  [ "${MATHFARM_PG_FAST:-0}" = 1 ] && durability="$durability -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  # MATHFARM_PG_OPTIONS: more server settings (e.g. pg_stat_statements for a profile).
  durability="$durability ${MATHFARM_PG_OPTIONS:-}"
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pgroot/data" -l "$pgroot/run/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pgroot/run -c max_connections=1000 $durability" \
    start >/dev/null
  "$PGBIN/pg_isready" -h 127.0.0.1 -p "$pg_port" -t 30 >/dev/null
  mkdir -p "$dir/redis"
  redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --save '' \
    --appendonly yes --appendfsync everysec --dir "$dir/redis" \
    --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log"
  for _ in $(seq 100); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  redis-cli -p "$redis_port" ping | grep -q PONG
  echo "$pg_port" >"$dir/pg.port"; echo "$redis_port" >"$dir/redis.port"
  pg_query=""; [ "${MATHFARM_PG_TLS:-0}" = 1 ] && pg_query="?sslmode=verify-full&sslrootcert=$dir/tls/ca.crt"
  echo "export MATHFARM_PG_URL='postgres://postgres@127.0.0.1:$pg_port/postgres$pg_query'"
  echo "export MATHFARM_REDIS_URL=redis://127.0.0.1:$redis_port"
  ;;
stop)
  [ -d "$dir" ] || exit 0
  PGBIN=$(find_pgbin)
  if [ -f "$dir/postgres/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$(readlink -f "$dir/postgres")/data" -m fast -w stop >/dev/null || true
  fi
  if [ -f "$dir/redis.port" ]; then
    redis-cli -p "$(cat "$dir/redis.port")" shutdown nosave >/dev/null 2>&1 || true
  fi
  ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac

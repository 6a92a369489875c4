#!/usr/bin/env bash
# A MathFarm cluster on one machine: every host is a Linux network namespace with its own address
# on a private bridge, small hosts get a cgroup v1 CPU quota, and the farm talks to its servers
# only over those addresses (ARCHITECTURE.md §5).
#
#   scripts/cluster.sh up       build the cluster, wait until HAProxy serves /readyz through both API hosts
#   scripts/cluster.sh bench    scaling: paid jobs/s with 1, 2, 4 worker hosts; 1 vs 2 API hosts
#   scripts/cluster.sh faults   mid-burst faults: link cut, worker host killed, Redis primary killed,
#                               API host killed, PostgreSQL primary killed (standby promoted)
#   scripts/cluster.sh short    CI: up (2 worker hosts), link cut + Redis failover, down; non-zero on any loss
#   scripts/cluster.sh status   what runs where
#   scripts/cluster.sh down     remove everything (idempotent)
#
# Hosts (bridge mfbr0, 10.231.0.1/24 in the root namespace, where the load generators run):
#   mf-lb   10.231.0.10  HAProxy (:8080 HTTP → API hosts, :5432 TCP → the PostgreSQL primary), Sentinel 3
#   mf-db1  10.231.0.11  PostgreSQL primary, Redis primary, Sentinel 1
#   mf-db2  10.231.0.12  PostgreSQL synchronous standby, Redis replica, Sentinel 2
#   mf-api1/2 10.231.0.21/22  `mathfarm api`
#   mf-wK   10.231.0.(30+K)   `mathfarm workers --processes 1`, CPU quota WORKER_CPU cores
#
# Environment:
#   MATHFARM_BIN    the binary (default .build/release/mathfarm, else .build/debug/mathfarm)
#   WORKER_HOSTS=4  WORKER_CPU=0.25  API_CPU=0 (0: no quota)  WORKER_BATCH=16
#   VISIBILITY_MS=10000  (MATHFARM_VISIBILITY_TIMEOUT_MS of the farm: how soon a dead host's entries are reclaimed)
#   CLUSTER_STATE=/var/tmp/mathfarm-cluster   where data, logs, secrets and certificates live
#   bench:  MIX=linear120  JOBS_PER_HOST=30  CUSTOMERS=20  API_MIX=quadratic  API_JOBS=2000  BENCH_API_CPU=0.1  API_CONNECTIONS=300
#           OUT=benchmarks/results/<date>-cluster  FARMBENCH=<path>  SETS="scaling api"
#   faults: FAULTS="linkcut killworker redis api postgres"  FAULT_RATE=8 (jobs/s)  FAULT_MIX=linear20
#
# Only 127.0.0.0/8 and the addresses above are ever contacted. Every wait is bounded. `up` that
# fails half-way removes what it built (trap); `down` removes namespaces, veths, bridge, cgroups,
# the processes inside them (by pid) and the state directory.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
STATE=${CLUSTER_STATE:-/var/tmp/mathfarm-cluster}
BR=mfbr0
NET=10.231.0
CG=mathfarm-cluster
WORKER_HOSTS=${WORKER_HOSTS:-4}
WORKER_CPU=${WORKER_CPU:-0.25}
API_CPU=${API_CPU:-0}
WORKER_BATCH=${WORKER_BATCH:-16}
VISIBILITY_MS=${VISIBILITY_MS:-10000}
PERIOD_US=100000
PGBIN=/usr/lib/postgresql/15/bin
SYSPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DATABASES="user_service_db payment_service_db math_solver_db content_service_db admin_service_db"

log() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

addr() {  # host name → address
  case $1 in
  lb) echo "$NET.10" ;; db1) echo "$NET.11" ;; db2) echo "$NET.12" ;;
  api[0-9]*) echo "$NET.$((20 + ${1#api}))" ;;
  w[0-9]*) echo "$NET.$((30 + ${1#w}))" ;;
  *) die "unknown host $1" ;;
  esac
}
LB=$(addr lb)
worker_hosts() { local k; for k in $(seq 1 "$WORKER_HOSTS"); do echo "w$k"; done; }
all_hosts() { echo lb db1 db2 api1 api2; worker_hosts; }

# The binary the cluster runs: `up` copies it into the state directory, so a rebuild of the work
# tree during a run cannot change (or truncate) the binary of a running cluster.
find_bin() {
  if [ -x "$STATE/bin/mathfarm" ]; then echo "$STATE/bin/mathfarm"; return; fi
  if [ -n "${MATHFARM_BIN:-}" ]; then echo "$MATHFARM_BIN"; return; fi
  local b
  for b in "$root/.build/release/mathfarm" "$root/.build/debug/mathfarm"; do [ -x "$b" ] && { echo "$b"; return; }; done
  echo ""
}

# ---------------------------------------------------------------------------------------------
# Packages (CI runs this on a fresh Debian bookworm as root)

ensure_packages() {
  local missing=()
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-sentinel >/dev/null || missing+=(redis-sentinel)
  [ -x "$PGBIN/postgres" ] || missing+=(postgresql-15)
  command -v psql >/dev/null || missing+=(postgresql-client-15)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  command -v setpriv >/dev/null || missing+=(util-linux)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
  # Debian's packages start their own servers; the cluster uses none of them (nothing of theirs
  # listens on our addresses), so they are left alone.
}

# ---------------------------------------------------------------------------------------------
# Processes: every process of a host is started through launch.sh (cgroups, namespace, clean env)

# spawn HOST NAME ENVFILE CMD...: start CMD in the background as HOST; pid in $STATE/HOST/NAME.pid
spawn() {
  local host=$1 name=$2 envfile=$3; shift 3
  mkdir -p "$STATE/$host"
  setsid env -i PATH=$SYSPATH HOME=/root LANG=C.UTF-8 \
    bash "$here/cluster/launch.sh" "$host" "mf-$host" "$envfile" "$@" >>"$STATE/$host/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/$host/$name.pid"
}
pid_of() { cat "$STATE/$1/$2.pid" 2>/dev/null || true; }
alive() { local p; p=$(pid_of "$1" "$2"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
# stop_proc HOST NAME [SIGNAL] [SECONDS]: signal, wait (bounded), then SIGKILL
stop_proc() {
  local host=$1 name=$2 sig=${3:-TERM} secs=${4:-20} p i
  p=$(pid_of "$host" "$name"); [ -n "$p" ] || return 0
  kill -"$sig" "$p" 2>/dev/null || { rm -f "$STATE/$host/$name.pid"; return 0; }
  for i in $(seq $((secs * 10))); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  rm -f "$STATE/$host/$name.pid"
}
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
in_ns() { local host=$1; shift; ip netns exec "mf-$host" "$@"; }

# wait_for SECONDS DESCRIPTION CMD...: retry CMD every 0.2 s until it succeeds or time runs out
wait_for() {
  local secs=$1 what=$2 i; shift 2
  for i in $(seq $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "timed out after ${secs}s waiting for $what"
}

# ---------------------------------------------------------------------------------------------
# Network and cgroups

net_up() {
  log "network: bridge $BR $NET.1/24, one namespace per host"
  ip link add "$BR" type bridge
  ip addr add "$NET.1/24" dev "$BR"
  ip link set "$BR" up
  local h
  for h in $(all_hosts); do host_net_up "$h"; done
}
host_net_up() {
  local h=$1 a; a=$(addr "$h")
  ip netns add "mf-$h"
  ip link add "mfv-$h" type veth peer name eth0 netns "mf-$h"
  ip link set "mfv-$h" master "$BR" up
  in_ns "$h" ip addr add "$a/24" dev eth0
  in_ns "$h" ip link set eth0 up
  in_ns "$h" ip link set lo up
}
cg_up() {
  local h=$1 quota=${2:-0}
  mkdir -p "/sys/fs/cgroup/cpu/$CG/$h" "/sys/fs/cgroup/cpuacct/$CG/$h"
  cg_quota "$h" "$quota"
}
cg_quota() {  # HOST CORES (0 = none)
  local h=$1 cores=$2 q=-1
  [ "$cores" != 0 ] && q=$(python3 -c "print(int(float('$cores') * $PERIOD_US))")
  echo "$PERIOD_US" >"/sys/fs/cgroup/cpu/$CG/$h/cpu.cfs_period_us"
  echo "$q" >"/sys/fs/cgroup/cpu/$CG/$h/cpu.cfs_quota_us"
}
cg_usage_ns() { cat "/sys/fs/cgroup/cpuacct/$CG/$1/cpuacct.usage" 2>/dev/null || echo 0; }

# ---------------------------------------------------------------------------------------------
# Secrets and TLS

make_secrets() {
  local s=$STATE/secrets.env
  umask 077
  {
    for v in PG_SUPER_PW PG_OWNER_PW PG_APP_PW PG_CHECK_PW PG_BENCH_PW PG_REPL_PW REDIS_APP_PW REDIS_REPL_PW REDIS_SENTUSER_PW REDIS_ADMIN_PW SENTINEL_PW; do
      echo "$v=$(openssl rand -hex 24)"
    done
    echo "JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')"
    echo "SETTINGS_KEY=$(head -c 32 /dev/urandom | base64)"
  } >"$s"
  umask 022
}
load_secrets() { [ -f "$STATE/secrets.env" ] || die "no cluster (run: $0 up)"; set -a; . "$STATE/secrets.env"; set +a; }

make_tls() {
  log "TLS: private CA and a server certificate for $(addr db1), $(addr db2), $LB"
  local t=$STATE/tls
  mkdir -p "$t"
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=mathfarm-cluster-ca" \
    -keyout "$t/ca.key" -out "$t/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=mathfarm-db" -keyout "$t/server.key" -out "$t/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:%s,IP:%s,IP:%s,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' "$(addr db1)" "$(addr db2)" "$LB" >"$t/ext.cnf"
  openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial -days 7 \
    -extfile "$t/ext.cnf" -out "$t/server.crt" 2>/dev/null
  chown postgres:postgres "$t/server.key" "$t/server.crt"; chmod 600 "$t/server.key"; chmod 644 "$t/ca.crt" "$t/server.crt"
  rm -f "$t/ca.key" "$t/server.csr"   # nothing else is ever signed
}
CA=""  # set by paths()
paths() { CA=$STATE/tls/ca.crt; }

# ---------------------------------------------------------------------------------------------
# PostgreSQL: primary on db1, synchronous standby on db2

pg_data() { echo "$STATE/$1/pgdata"; }
pg_sock() { echo "$STATE/$1/pgsock"; }
pg_start() {  # HOST
  local h=$1
  install -d -o postgres -g postgres -m 0755 "$(pg_sock "$h")"
  # HOME: libpq in the walreceiver looks for a client certificate under ~/.postgresql
  spawn "$h" postgres - env HOME="$STATE/$h" setpriv --reuid=postgres --regid=postgres --init-groups -- \
    "$PGBIN/postgres" -D "$(pg_data "$h")" -k "$(pg_sock "$h")"
  wait_for 60 "PostgreSQL on $h" in_ns "$h" "$PGBIN/pg_isready" -h "$(pg_sock "$h")" -p 5432 -U postgres -d postgres
}
# pg_su HOST [psql args]: superuser psql over the host's Unix socket (peer auth)
pg_su() { local h=$1; shift; in_ns "$h" setpriv --reuid=postgres --regid=postgres --init-groups -- psql -X -q -v ON_ERROR_STOP=1 -h "$(pg_sock "$h")" -p 5432 -U postgres "$@"; }
pg_primary() { cat "$STATE/pg.primary"; }
pg_standby() { if [ "$(pg_primary)" = db1 ]; then echo db2; else echo db1; fi; }

pg_common_conf() {
  cat <<EOF
# --- scripts/cluster.sh ---
listen_addresses = '*'
port = 5432
max_connections = 400
ssl = on
ssl_cert_file = '$STATE/tls/server.crt'
ssl_key_file = '$STATE/tls/server.key'
password_encryption = 'scram-sha-256'
wal_level = replica
max_wal_senders = 10
wal_keep_size = '512MB'
hot_standby = on
# production durability (never off for measured runs)
fsync = on
synchronous_commit = on
full_page_writes = on
include_if_exists = 'host.conf'
EOF
}
pg_hba() {
  cat <<EOF
# scripts/cluster.sh: password (SCRAM) over TLS from the cluster's network only
local   all          postgres                                      peer
hostssl replication  replicator                      $NET.0/24     scram-sha-256
hostssl postgres     mathfarm_check                  $LB/32        scram-sha-256
hostssl all          mathfarm_owner,mathfarm_app,mathfarm_bench $NET.0/24 scram-sha-256
# FarmBench's probe (PostgresNIO, TLS off in the harness): the read-only bench role, from the
# load-generator host (the root namespace) only.
host    all          mathfarm_bench                  $NET.1/32     scram-sha-256
EOF
}
pg_up() {
  log "PostgreSQL: primary on db1, synchronous standby on db2 (TLS, SCRAM)"
  id -u postgres >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
  local d1; d1=$(pg_data db1)
  install -d -o postgres -g postgres -m 0700 "$STATE/db1" "$d1"
  install -d -o postgres -g postgres -m 0700 "$STATE/db2"
  local pwf=$STATE/db1/pwfile
  (umask 077; echo "$PG_SUPER_PW" >"$pwf"); chown postgres "$pwf"
  as_postgres "$PGBIN/initdb" -D "$d1" -U postgres --pwfile="$pwf" --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$STATE/db1/initdb.log" 2>&1 || { cat "$STATE/db1/initdb.log" >&2; return 1; }
  rm -f "$pwf"
  pg_common_conf >>"$d1/postgresql.conf"
  pg_hba >"$d1/pg_hba.conf"
  # Synchronous replication is switched on once the standby streams (before, every commit,
  # CREATE ROLE included, would wait for a standby that does not exist yet).
  SYNC_STANDBY="" pg_host_conf db1 primary
  pg_start db1
  echo db1 >"$STATE/pg.primary"
  pg_su db1 -d postgres <<SQL
CREATE ROLE replicator LOGIN REPLICATION PASSWORD '$PG_REPL_PW';
CREATE ROLE mathfarm_owner LOGIN PASSWORD '$PG_OWNER_PW';
CREATE ROLE mathfarm_app LOGIN PASSWORD '$PG_APP_PW';
CREATE ROLE mathfarm_check LOGIN PASSWORD '$PG_CHECK_PW' CONNECTION LIMIT 10;
CREATE ROLE mathfarm_bench LOGIN PASSWORD '$PG_BENCH_PW' IN ROLE pg_read_all_data, pg_monitor;
SQL
  pg_create_databases
  pg_make_standby db2 db1
}
pg_create_databases() {
  local db
  for db in $DATABASES; do
    pg_su "$(pg_primary)" -d postgres <<SQL
CREATE DATABASE $db OWNER mathfarm_owner;
REVOKE ALL ON DATABASE $db FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE $db TO mathfarm_app;
GRANT CONNECT ON DATABASE $db TO mathfarm_bench;
SQL
  done
}
# pg_host_conf HOST primary|standby [PRIMARY_HOST]
pg_host_conf() {
  local h=$1 role=$2 p=${3:-} d; d=$(pg_data "$h")
  {
    echo "cluster_name = 'mf_$h'"
    if [ "$role" = primary ]; then
      # The other db host is the synchronous standby: a commit returns once it has the WAL.
      local other=db2; [ "$h" = db2 ] && other=db1
      echo "synchronous_standby_names = '${SYNC_STANDBY-mf_$other}'"
    else
      echo "synchronous_standby_names = ''"
      echo "primary_conninfo = 'host=$(addr "$p") port=5432 user=replicator passfile=$STATE/$h/pgpass sslmode=verify-full sslrootcert=$STATE/tls/ca.crt application_name=mf_$h'"
    fi
  } >"$d/host.conf"
  chown postgres:postgres "$d/host.conf"
}
pg_make_standby() {  # STANDBY_HOST PRIMARY_HOST
  local s=$1 p=$2 d; d=$(pg_data "$1")
  (umask 077; echo "$(addr "$p"):5432:*:replicator:$PG_REPL_PW" >"$STATE/$s/pgpass"); chown postgres "$STATE/$s/pgpass"
  rm -rf "$d"; install -d -o postgres -g postgres -m 0700 "$d"
  in_ns "$s" setpriv --reuid=postgres --regid=postgres --init-groups -- env HOME="$STATE/$s" PGPASSFILE="$STATE/$s/pgpass" \
    "$PGBIN/pg_basebackup" -D "$d" -h "$(addr "$p")" -p 5432 -U replicator -X stream -c fast \
    -d "sslmode=verify-full sslrootcert=$STATE/tls/ca.crt" >"$STATE/$s/basebackup.log" 2>&1 || { cat "$STATE/$s/basebackup.log" >&2; return 1; }
  as_postgres touch "$d/standby.signal"
  pg_host_conf "$s" standby "$p"
  pg_start "$s"
  local i q="SELECT state || ' ' || sync_state FROM pg_stat_replication WHERE application_name = 'mf_$s'"
  for i in $(seq 150); do
    case "$(pg_su "$p" -d postgres -Atc "$q" 2>/dev/null)" in streaming*) break ;; esac
    sleep 0.2
  done
  # Now the primary waits for this standby on every commit.
  pg_host_conf "$p" primary
  pg_su "$p" -d postgres -Atc "SELECT pg_reload_conf()" >/dev/null
  for i in $(seq 150); do
    [ "$(pg_su "$p" -d postgres -Atc "$q" 2>/dev/null)" = "streaming sync" ] && break
    sleep 0.2
  done
  [ "$(pg_su "$p" -d postgres -Atc "$q")" = "streaming sync" ] || die "standby $s is not a synchronous standby of $p"
  log "standby $s streams from $p (sync_state=sync)"
}

# ---------------------------------------------------------------------------------------------
# Redis: primary on db1, replica on db2, Sentinels on db1, db2 and lb

REDIS_PREFIX=mathfarm
redis_acl() {
  cat <<EOF
user default off
user mathfarm on >$REDIS_APP_PW ~$REDIS_PREFIX:* resetchannels +@all -@dangerous +role +info
user replicator on >$REDIS_REPL_PW +psync +replconf +ping
user sentinel on >$REDIS_SENTUSER_PW allchannels +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill
user mfadmin on >$REDIS_ADMIN_PW ~* &* +@all
EOF
}
redis_conf() {  # HOST [PRIMARY_HOST]
  local h=$1 p=${2:-}
  cat <<EOF
bind $(addr "$h") 127.0.0.1
port 6379
protected-mode no
daemonize no
dir $STATE/$h/redis
aclfile $STATE/$h/redis/users.acl
appendonly yes
appendfsync everysec
save ""
masteruser replicator
masterauth $REDIS_REPL_PW
EOF
  [ -n "$p" ] && echo "replicaof $(addr "$p") 6379"
  true
}
sentinel_conf() {  # HOST
  cat <<EOF
bind $(addr "$1") 127.0.0.1
port 26379
daemonize no
dir $STATE/$1/sentinel
requirepass $SENTINEL_PW
sentinel sentinel-pass $SENTINEL_PW
sentinel resolve-hostnames no
sentinel monitor mathfarm $(addr db1) 6379 2
sentinel auth-user mathfarm sentinel
sentinel auth-pass mathfarm $REDIS_SENTUSER_PW
sentinel down-after-milliseconds mathfarm 2000
sentinel failover-timeout mathfarm 6000
sentinel parallel-syncs mathfarm 1
EOF
}
redis_cli() {  # HOST PORT ARGS... (admin user)
  local h=$1 port=$2; shift 2
  if [ "$port" = 26379 ]; then REDISCLI_AUTH=$SENTINEL_PW redis-cli --no-auth-warning -h "$(addr "$h")" -p "$port" "$@"
  else redis-cli --no-auth-warning -h "$(addr "$h")" -p "$port" --user mfadmin --pass "$REDIS_ADMIN_PW" "$@"; fi
}
redis_start() {  # HOST [PRIMARY_HOST]
  local h=$1
  mkdir -p "$STATE/$h/redis"; chmod 700 "$STATE/$h/redis"
  [ -f "$STATE/$h/redis/users.acl" ] || redis_acl >"$STATE/$h/redis/users.acl"
  redis_conf "$@" >"$STATE/$h/redis/redis.conf"
  spawn "$h" redis - redis-server "$STATE/$h/redis/redis.conf"
  wait_for 20 "Redis on $h" sh -c "redis-cli --no-auth-warning -h $(addr "$h") --user mfadmin --pass '$REDIS_ADMIN_PW' ping | grep -q PONG"
}
sentinel_start() {
  local h=$1
  mkdir -p "$STATE/$h/sentinel"; chmod 700 "$STATE/$h/sentinel"
  sentinel_conf "$h" >"$STATE/$h/sentinel/sentinel.conf"
  spawn "$h" sentinel - redis-sentinel "$STATE/$h/sentinel/sentinel.conf"
}
redis_master() { redis_cli "${1:-db2}" 26379 SENTINEL get-master-addr-by-name mathfarm 2>/dev/null | head -1; }
redis_master_any() { local h m; for h in db1 db2 lb; do m=$(redis_master "$h") && [ -n "$m" ] && { echo "$m"; return; }; done; }
redis_host_of() { case $1 in "$(addr db1)") echo db1 ;; "$(addr db2)") echo db2 ;; *) echo "?" ;; esac; }
redis_up() {
  log "Redis: primary db1, replica db2 (ACL users), Sentinels on db1, db2, lb (quorum 2)"
  redis_start db1
  redis_start db2 db1
  wait_for 30 "Redis replica in sync" sh -c "redis-cli --no-auth-warning -h $(addr db2) --user mfadmin --pass '$REDIS_ADMIN_PW' info replication | grep -q 'master_link_status:up'"
  local h
  for h in db1 db2 lb; do sentinel_start "$h"; done
  wait_for 30 "Sentinels to see each other" sh -c "REDISCLI_AUTH='$SENTINEL_PW' redis-cli --no-auth-warning -h $(addr db1) -p 26379 SENTINEL master mathfarm | grep -A1 '^num-other-sentinels$' | tail -1 | grep -q 2"
  wait_for 30 "Sentinels to see the replica" sh -c "REDISCLI_AUTH='$SENTINEL_PW' redis-cli --no-auth-warning -h $(addr db1) -p 26379 SENTINEL replicas mathfarm | grep -q $(addr db2)"
}

# ---------------------------------------------------------------------------------------------
# HAProxy on lb

lb_up() {
  log "HAProxy on lb: :8080 → api1, api2 (GET /healthz); :5432 → the server whose pg_is_in_recovery() is false"
  mkdir -p "$STATE/lb"
  (umask 077; echo "*:5432:postgres:mathfarm_check:$PG_CHECK_PW" >"$STATE/lb/check.pgpass")
  cat >"$STATE/lb/pg-primary-check.sh" <<EOF
#!/bin/sh
# HAProxy external check: \$3 \$4 = server address and port. Up only when the server answers over
# TLS (verify-full) and is not in recovery, i.e. it is the primary.
r=\$(PGPASSFILE=$STATE/lb/check.pgpass PGCONNECT_TIMEOUT=2 /usr/bin/psql -X -At \\
  "host=\$3 port=\$4 dbname=postgres user=mathfarm_check sslmode=verify-full sslrootcert=$STATE/tls/ca.crt" \\
  -c 'SELECT pg_is_in_recovery()' 2>/dev/null)
[ "\$r" = f ]
EOF
  chmod 700 "$STATE/lb/pg-primary-check.sh"
  cat >"$STATE/lb/haproxy.cfg" <<EOF
global
    external-check
    insecure-fork-wanted
    stats socket $STATE/lb/haproxy.sock mode 600 level admin
    maxconn 4000
defaults
    timeout connect 2s
    timeout client 1h
    timeout server 1h
    timeout check 3s
    log stdout format raw local0 warning
frontend api
    mode http
    bind $LB:8080
    option forwardfor
    timeout client 90s
    default_backend api
backend api
    mode http
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    timeout server 90s
    retries 3
    retry-on conn-failure empty-response
    option redispatch 1
    default-server inter 1s fall 2 rise 2
    server api1 $(addr api1):8080 check
    server api2 $(addr api2):8080 check
listen postgres
    mode tcp
    bind $LB:5432
    balance first
    option external-check
    external-check path "/usr/bin:/bin"
    external-check command $STATE/lb/pg-primary-check.sh
    default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
    server db1 $(addr db1):5432 check
    server db2 $(addr db2):5432 check
EOF
  haproxy -c -f "$STATE/lb/haproxy.cfg" >"$STATE/lb/haproxy-check.log" 2>&1 || { cat "$STATE/lb/haproxy-check.log" >&2; return 1; }
  spawn lb haproxy - haproxy -db -f "$STATE/lb/haproxy.cfg"
  # HAProxy starts with every server UP until its checks say otherwise: wait until the standby
  # is marked DOWN, or the first connections could land on a read-only server.
  wait_for 30 "HAProxy to send :5432 to the primary only" lb_only_primary db1 db2
}
lb_cmd() { python3 - "$STATE/lb/haproxy.sock" "$*" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1]); s.sendall((sys.argv[2] + "\n").encode())
out = b""
while True:
    chunk = s.recv(65536)
    if not chunk: break
    out += chunk
print(out.decode(), end="")
PY
}
lb_server_status() {  # BACKEND SERVER → UP / DOWN / MAINT ...
  lb_cmd "show stat" | awk -F, -v b="$1" -v s="$2" '$1 == b && $2 == s { print $18 }'
}
lb_server_up() { [ "$(lb_server_status "$1" "$2")" = UP ]; }
lb_only_primary() { lb_server_up postgres "$1" && [ "$(lb_server_status postgres "$2")" = DOWN ]; }

# ---------------------------------------------------------------------------------------------
# The farm

pg_url() {  # ROLE PASSWORD DB
  echo "postgres://$1:$2@$LB:5432/$3?sslmode=verify-full&sslrootcert=$CA"
}
write_envs() {
  local e=$STATE/env; mkdir -p "$e"; chmod 700 "$e"
  local sentinels="$(addr db1):26379,$(addr db2):26379,$LB:26379"
  local redis="MATHFARM_REDIS_URL=redis://mathfarm:$REDIS_APP_PW@$(addr db1):6379/0
MATHFARM_REDIS_SENTINELS=$sentinels
MATHFARM_REDIS_MASTER=mathfarm
MATHFARM_REDIS_SENTINEL_PASSWORD=$SENTINEL_PW"
  # Worker hosts: only what a worker needs.
  cat >"$e/worker.env" <<EOF
MATHFARM_ENV=production
$redis
MATHFARM_SOLVER_DB_URL=$(pg_url mathfarm_app "$PG_APP_PW" math_solver_db)
MATHFARM_PAYMENT_DB_URL=$(pg_url mathfarm_app "$PG_APP_PW" payment_service_db)
MATHFARM_SOLVER_THREADS=1
MATHFARM_WORKER_BATCH=$WORKER_BATCH
MATHFARM_VISIBILITY_TIMEOUT_MS=$VISIBILITY_MS
LOG_LEVEL=warning
EOF
  # API hosts (and the admin commands run from the root namespace): production with this run's secrets.
  cat >"$e/api.env" <<EOF
MATHFARM_ENV=production
$redis
MATHFARM_PG_URL=$(pg_url mathfarm_app "$PG_APP_PW" postgres)
MATHFARM_USER_DB_URL=$(pg_url mathfarm_app "$PG_APP_PW" user_service_db)
MATHFARM_PAYMENT_DB_URL=$(pg_url mathfarm_app "$PG_APP_PW" payment_service_db)
MATHFARM_SOLVER_DB_URL=$(pg_url mathfarm_app "$PG_APP_PW" math_solver_db)
MATHFARM_CONTENT_DB_URL=$(pg_url mathfarm_app "$PG_APP_PW" content_service_db)
MATHFARM_ADMIN_DB_URL=$(pg_url mathfarm_app "$PG_APP_PW" admin_service_db)
MATHFARM_JWT_SECRET=$JWT_SECRET
MATHFARM_SETTINGS_KEY=$SETTINGS_KEY
MATHFARM_MIGRATIONS_DIR=$root/migrations
MATHFARM_TRUST_PROXY=1
MATHFARM_HTTP_HOST=0.0.0.0
MATHFARM_HTTP_PORT=8080
MATHFARM_VISIBILITY_TIMEOUT_MS=$VISIBILITY_MS
LOG_LEVEL=warning
EOF
  # Migrations: the owner role.
  sed -e "s|mathfarm_app:$PG_APP_PW@|mathfarm_owner:$PG_OWNER_PW@|" "$e/api.env" >"$e/owner.env"
  # The files are sourced by a shell: quote every value (the URLs contain '&').
  local f
  for f in "$e"/*.env; do sed -i -E "s/^([A-Z_]+)=(.*)$/\1='\2'/" "$f"; done
}
# run_env ENVFILE CMD...: run CMD in the root namespace with exactly ENVFILE's variables
run_env() { local f=$1; shift; env -i PATH=$SYSPATH HOME=/root LANG=C.UTF-8 bash -c 'set -a; . "$0"; set +a; exec "$@"' "$f" "$@"; }

grant_bench() {  # the harness's read-only role (pg_read_all_data) needs the schema
  local db
  for db in $DATABASES; do
    PGPASSWORD=$PG_OWNER_PW psql -X -q -v ON_ERROR_STOP=1 \
      "host=$LB port=5432 dbname=$db user=mathfarm_owner sslmode=verify-full sslrootcert=$CA" \
      -c "GRANT USAGE ON SCHEMA public TO mathfarm_bench" >/dev/null
  done
}
migrate() {
  local bin; bin=$(find_bin)
  log "migrations as mathfarm_owner through $LB:5432 (verify-full)"
  run_env "$STATE/env/owner.env" "$bin" migrate >"$STATE/migrate.log" 2>&1 || { cat "$STATE/migrate.log" >&2; return 1; }
  log "granting mathfarm_app the services' privileges (mathfarm migrate --grant-to)"
  run_env "$STATE/env/owner.env" "$bin" migrate --grant-to mathfarm_app >>"$STATE/migrate.log" 2>&1 || { cat "$STATE/migrate.log" >&2; return 1; }
  grant_bench
  printf 'admin-password-1\n' | run_env "$STATE/env/api.env" "$bin" admin create --username admin --email admin@bench.test \
    --full-name Bench --super-admin >>"$STATE/migrate.log" 2>&1 || { cat "$STATE/migrate.log" >&2; return 1; }
}
api_start() {
  local h=$1 bin; bin=$(find_bin)
  spawn "$h" mathfarm "$STATE/env/api.env" "$bin" api
}
api_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$(addr "$1"):8080/readyz")" = 200 ]; }
worker_start() {  # a worker host gets only worker.env: Redis and two database URLs
  local h=$1 bin; bin=$(find_bin)
  spawn "$h" mathfarm "$STATE/env/worker.env" "$bin" workers --processes 1
}
workers_up() {
  local h
  for h in "$@"; do worker_start "$h"; done
  sleep 3
  for h in "$@"; do
    alive "$h" mathfarm || { tail -20 "$STATE/$h/mathfarm.log" >&2; die "workers on $h did not start"; }
  done
}
farm_up() {
  write_envs
  migrate
  log "API hosts api1, api2"
  api_start api1; api_start api2
  wait_for 90 "api1 /readyz" api_ready api1
  wait_for 90 "api2 /readyz" api_ready api2
  log "worker hosts: $(worker_hosts | tr '\n' ' ')(WORKER_CPU=$WORKER_CPU cores each)"
  workers_up $(worker_hosts)
  wait_for 30 "HAProxy to see api1 up" lb_server_up api api1
  wait_for 30 "HAProxy to see api2 up" lb_server_up api api2
  local i codes=""
  for i in 1 2 3 4; do codes="$codes $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$LB:8080/readyz")"; done
  [ "$codes" = " 200 200 200 200" ] || die "readyz through HAProxy: $codes"
}

# ---------------------------------------------------------------------------------------------
# up / down / status

cmd_up() {
  [ "$(id -u)" = 0 ] || die "run as root (namespaces, cgroups)"
  ensure_packages
  local bin; bin=$(find_bin)
  if [ "${UP_INFRA_ONLY:-0}" != 1 ] && { [ -z "$bin" ] || [ ! -x "$bin" ]; }; then
    die "no mathfarm binary (set MATHFARM_BIN; this script does not build the main package)"
  fi
  if [ -e "$STATE" ] || ip link show "$BR" >/dev/null 2>&1; then die "a cluster exists already ($STATE or $BR): $0 down first"; fi
  trap 'rc=$?; if [ $rc -ne 0 ]; then log "up failed (exit $rc): removing what was built"; cmd_down; fi' EXIT
  trap 'exit 130' INT; trap 'exit 143' TERM
  mkdir -p "$STATE"; chmod 755 "$STATE"
  echo "$WORKER_HOSTS" >"$STATE/worker_hosts"
  if [ -n "$bin" ]; then mkdir -p "$STATE/bin"; cp "$bin" "$STATE/bin/mathfarm"; echo "$bin" >"$STATE/bin/source"; fi
  make_secrets; load_secrets; paths
  net_up
  local h
  for h in lb db1 db2; do cg_up "$h" 0; done
  for h in api1 api2; do cg_up "$h" "$API_CPU"; done
  for h in $(worker_hosts); do cg_up "$h" "$WORKER_CPU"; done
  make_tls
  pg_up
  redis_up
  lb_up
  if [ "${UP_INFRA_ONLY:-0}" = 1 ]; then trap - EXIT; log "UP_INFRA_ONLY=1: servers only, no farm"; return 0; fi
  farm_up
  trap - EXIT
  cmd_status
  cat <<EOF

cluster up:
  API (HAProxy)       http://$LB:8080
  PostgreSQL (HAProxy) $LB:5432  (verify-full, CA $CA; primary $(pg_primary))
  Redis Sentinels     $(addr db1):26379 $(addr db2):26379 $LB:26379  master 'mathfarm'
  env files           $STATE/env/{api,worker,owner}.env   secrets $STATE/secrets.env
EOF
}

cmd_down() {
  local ns p i pids h
  # PostgreSQL first, with a fast shutdown, so no standby is left waiting.
  for h in db1 db2; do
    p=$(pid_of "$h" postgres)
    [ -n "$p" ] && kill -INT "$p" 2>/dev/null || true
  done
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^mf-(lb|db[0-9]+|api[0-9]+|w[0-9]+)$' || true); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] && kill -TERM $pids 2>/dev/null || true
  done
  for i in $(seq 50); do
    pids=""
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^mf-' || true); do pids="$pids$(ip netns pids "$ns" 2>/dev/null || true)"; done
    [ -z "$pids" ] && break
    sleep 0.2
  done
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^mf-(lb|db[0-9]+|api[0-9]+|w[0-9]+)$' || true); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true
  done
  # Whatever is left in our cgroups (a process that left its namespace cannot, but be thorough).
  for p in $(cat /sys/fs/cgroup/cpu/$CG/*/cgroup.procs /sys/fs/cgroup/cpuacct/$CG/*/cgroup.procs 2>/dev/null | sort -u); do
    kill -KILL "$p" 2>/dev/null || true
  done
  sleep 0.3
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^mf-(lb|db[0-9]+|api[0-9]+|w[0-9]+)$' || true); do
    ip netns del "$ns" 2>/dev/null || true
  done
  for p in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E '^mfv-' || true); do ip link del "$p" 2>/dev/null || true; done
  ip link show "$BR" >/dev/null 2>&1 && ip link del "$BR" 2>/dev/null || true
  for c in cpu cpuacct; do
    if [ -d "/sys/fs/cgroup/$c/$CG" ]; then
      for d in /sys/fs/cgroup/$c/$CG/*/; do [ -d "$d" ] && { rmdir "$d" 2>/dev/null || true; }; done
      rmdir "/sys/fs/cgroup/$c/$CG" 2>/dev/null || true
    fi
  done
  case "$STATE" in /var/tmp/mathfarm-cluster*|/tmp/mathfarm-cluster*) rm -rf "$STATE" ;; *) [ -f "$STATE/secrets.env" ] && rm -rf "$STATE" ;; esac
  log "down: $(ip netns list 2>/dev/null | grep -c '^mf-' || true) namespaces, bridge $(ip link show "$BR" >/dev/null 2>&1 && echo present || echo gone), cgroup $( [ -d /sys/fs/cgroup/cpu/$CG ] && echo present || echo gone)"
}

cmd_status() {
  [ -d "$STATE" ] || { echo "no cluster"; return 0; }
  load_secrets; paths
  [ -f "$STATE/worker_hosts" ] && WORKER_HOSTS=$(cat "$STATE/worker_hosts")
  local h n
  printf '%-6s %-13s %s\n' host address processes
  for h in $(all_hosts); do
    local procs=""
    for n in postgres redis sentinel haproxy mathfarm; do
      [ -f "$STATE/$h/$n.pid" ] || continue
      if alive "$h" "$n"; then procs="$procs $n($(pid_of "$h" "$n"))"; else procs="$procs $n(DEAD)"; fi
    done
    local q; q=$(cat "/sys/fs/cgroup/cpu/$CG/$h/cpu.cfs_quota_us" 2>/dev/null || echo ?)
    local link; link=$(in_ns "$h" cat /sys/class/net/eth0/operstate 2>/dev/null || echo ?)
    printf '%-6s %-13s link %-5s quota %-7s%s\n' "$h" "$(addr "$h")" "$link" "$q" "$procs"
  done
  echo "PostgreSQL: primary $(pg_primary); HAProxy postgres: db1 $(lb_server_status postgres db1) db2 $(lb_server_status postgres db2); api: api1 $(lb_server_status api api1) api2 $(lb_server_status api api2)"
  echo "Redis primary (Sentinel): $(redis_master_any | tr '\n' ' ')"
  true
}

# ---------------------------------------------------------------------------------------------
# Faults (also used by loadgen.py through `cluster.sh _fault NAME inject|restore`)

pg_failover() {
  local old new; old=$(pg_primary); new=$(pg_standby)
  log "PostgreSQL: SIGKILL the primary on $old"
  stop_proc "$old" postgres KILL 2
  # Whatever is left of the old server's processes (backends) dies with it.
  for p in $(ip netns pids "mf-$old"); do
    [ "$(stat -c %U /proc/$p 2>/dev/null)" = postgres ] && kill -KILL "$p" 2>/dev/null || true
  done
  wait_for 20 "old primary unreachable" sh -c "! $PGBIN/pg_isready -h $(addr "$old") -p 5432 -t 1"
  log "PostgreSQL: promote $new (pg_ctl promote)"
  in_ns "$new" setpriv --reuid=postgres --regid=postgres --init-groups -- "$PGBIN/pg_ctl" promote -w -t 30 -D "$(pg_data "$new")" >/dev/null
  echo "$new" >"$STATE/pg.primary"
  wait_for 30 "HAProxy to send :5432 to $new only" lb_only_primary "$new" "$old"
  log "PostgreSQL: $new is primary (no synchronous standby until $old is rebuilt)"
}
pg_rebuild_standby() {  # the old primary comes back as the new primary's synchronous standby
  local p s; p=$(pg_primary); s=$(pg_standby)
  log "PostgreSQL: rebuilding $s as synchronous standby of $p (pg_basebackup)"
  pg_make_standby "$s" "$p"
}

kill_host() {  # SIGKILL every process of a host (the supervisor and its worker processes)
  local pids; pids=$(ip netns pids "mf-$1")
  log "SIGKILL on $1: $(echo $pids)"
  [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true
  rm -f "$STATE/$1/mathfarm.pid"
}
# host_holds_claimed_job HOST: one of HOST's worker consumers (named mf-HOST-<pid>) has a pending
# queue entry whose job is `processing` in PostgreSQL, i.e. HOST has claimed work in hand. A worker
# fault injected before that would hit nothing and prove nothing about taking jobs over.
host_claimed_jobs() {
  local m stream consumer id job
  m=$(redis_host_of "$(redis_master_any | head -1)")
  for stream in "$REDIS_PREFIX:jobs:premium" "$REDIS_PREFIX:jobs:standard"; do
    for consumer in $(redis_cli "$m" 6379 --raw XINFO CONSUMERS "$stream" solvers 2>/dev/null | grep -E "^mf-$1-[0-9]+$" || true); do
      for id in $(redis_cli "$m" 6379 --raw XPENDING "$stream" solvers - + 20 "$consumer" 2>/dev/null | awk 'NR % 4 == 1'); do
        job=$(redis_cli "$m" 6379 --raw XRANGE "$stream" "$id" "$id" 2>/dev/null | sed -n 3p)
        case $job in *[!0-9a-f-]*|"") continue ;; esac
        [ "$(pg_su "$(pg_primary)" -d math_solver_db -Atc "SELECT status FROM solutions WHERE id = '$job'" 2>/dev/null)" = processing ] && echo "$job"
      done
    done
  done
  return 0
}
host_holds_claimed_job() { [ -n "$(host_claimed_jobs "$1")" ]; }
# any_job_taken_over FILE: some job listed in FILE is on a second attempt (another host claimed it).
any_job_taken_over() {
  local ids; ids=$(paste -sd, "$1" | sed "s/[^,][^,]*/'&'/g")
  [ -n "$ids" ] || return 1
  [ "$(pg_su "$(pg_primary)" -d math_solver_db -Atc "SELECT count(*) FROM solutions WHERE id IN ($ids) AND attempt > 1" 2>/dev/null)" -gt 0 ]
}
# linkcut_inject HOST: cut HOST's link while it holds a claimed job, and record those jobs. A job
# can finish between the check and the cut; then the link comes back and the cut is tried again
# (at most 5 times), so the fault always strands work on the cut host.
linkcut_inject() {
  local host=$1 try
  for try in 1 2 3 4 5; do
    wait_for 60 "a claimed job on $host" host_holds_claimed_job "$host"
    in_ns "$host" ip link set eth0 down
    host_claimed_jobs "$host" >"$STATE/linkcut.jobs"
    [ -s "$STATE/linkcut.jobs" ] && { log "link of $host cut holding $(wc -l <"$STATE/linkcut.jobs") claimed job(s)"; return 0; }
    in_ns "$host" ip link set eth0 up
  done
  die "$host finished every claimed job before its link went down, 5 times"
}
# linkcut_restore HOST: bring the link back once another host has taken one of the stranded jobs
# over (its lease expired, the reconciler re-queued it, a live host claimed it: attempt 2), or
# after LINKCUT_MAX_SECONDS (170: loadgen.py gives a fault command 180 s). Under a backlog the re-queued job waits its turn at the back of
# the stream, so a fixed cut length could end before any host reaches it; then the cut host would
# finish the job itself and nothing would be shown about taking jobs over.
linkcut_restore() {
  local host=$1 i
  for i in $(seq $((${LINKCUT_MAX_SECONDS:-170} * 2))); do
    any_job_taken_over "$STATE/linkcut.jobs" && break
    sleep 0.5
  done
  in_ns "$host" ip link set eth0 up
}
fault() {  # NAME inject|restore [ARG]
  local name=$1 action=$2 arg=${3:-}
  case "$name:$action" in
  linkcut:inject) linkcut_inject "$arg" ;;
  linkcut:restore) linkcut_restore "$arg" ;;
  killworker:inject)
    wait_for 60 "a claimed job on $arg" host_holds_claimed_job "$arg"
    kill_host "$arg" ;;
  killworker:restore) worker_start "$arg" ;;
  redis:inject)
    local m; m=$(redis_host_of "$(redis_master_any | head -1)")
    echo "$m" >"$STATE/redis.killed"
    log "Redis: SIGKILL the primary on $m"
    stop_proc "$m" redis KILL 1 ;;
  redis:restore)
    local m; m=$(cat "$STATE/redis.killed")
    # It comes back as it was configured; Sentinel turns it into a replica of the new primary.
    local p; p=$(redis_master_any | head -1)
    log "Redis: restarting $m (Sentinel makes it a replica of $(redis_host_of "$p"))"
    spawn "$m" redis - redis-server "$STATE/$m/redis/redis.conf" ;;
  api:inject) kill_host "$arg" ;;
  api:restore) api_start "$arg" ;;
  postgres:inject) pg_failover ;;
  postgres:restore) pg_rebuild_standby ;;
  *) die "unknown fault $name $action" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Benchmark

find_farmbench() {
  if [ -n "${FARMBENCH:-}" ]; then echo "$FARMBENCH"; return; fi
  local b
  for b in "$root/benchmarks/.build/release/FarmBench" "$root/benchmarks/.build/debug/FarmBench"; do [ -x "$b" ] && { echo "$b"; return; }; done
  echo ""
}
# A fresh farm on the running cluster: stop API and worker hosts, new databases and an empty
# Redis, migrate, start API hosts and the given worker hosts. (FarmBench counts every job in the
# databases, so each measured run starts from empty ones, as benchmarks/farm/run.sh does.)
reset_farm() {
  local h
  for h in $(worker_hosts) api1 api2; do stop_proc "$h" mathfarm TERM 30; done
  local p; p=$(pg_primary)
  local db
  for db in $DATABASES; do pg_su "$p" -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; done
  pg_create_databases
  local m; m=$(redis_host_of "$(redis_master_any | head -1)")
  redis_cli "$m" 6379 FLUSHALL >/dev/null
  migrate
  api_start api1; api_start api2
  wait_for 90 "api1 /readyz" api_ready api1
  wait_for 90 "api2 /readyz" api_ready api2
  wait_for 30 "HAProxy api1" lb_server_up api api1
  wait_for 30 "HAProxy api2" lb_server_up api api2
  [ $# -gt 0 ] && workers_up "$@"
  true
}
# cpu_sampler OUT MARKER: cpuacct of every host while FarmBench's measuring marker exists
cpu_sampler() {
  local out=$1 marker=$2 i h
  for i in $(seq 6000); do [ -e "$marker" ] && break; sleep 0.05; done
  local t0; t0=$(date +%s.%N)
  declare -A u0
  for h in $(all_hosts); do u0[$h]=$(cg_usage_ns "$h"); done
  for i in $(seq 12000); do [ -e "$marker" ] || break; sleep 0.05; done
  local t1; t1=$(date +%s.%N)
  {
    printf '{"wall_seconds": %s, "cpu_seconds": {' "$(python3 -c "print(round($t1 - $t0, 3))")"
    local first=1
    for h in $(all_hosts); do
      [ $first = 1 ] || printf ', '; first=0
      printf '"%s": %s' "$h" "$(python3 -c "print(round(($(cg_usage_ns "$h") - ${u0[$h]}) / 1e9, 3))")"
    done
    printf '}}\n'
  } >"$out"
}
bench_run() {  # LABEL JOBS MIX CONNECTIONS
  local label=$1 jobs=$2 mix=$3 conns=$4
  local fb; fb=$(find_farmbench)
  local workers=() h
  for h in $(worker_hosts); do alive "$h" mathfarm && workers+=(--workers-pid "$(pid_of "$h" mathfarm)"); done
  local marker=$STATE/measuring.$label
  cpu_sampler "$OUT/$label.cpu.json" "$marker" &
  local sampler=$!
  local p; p=$(pg_primary)
  local rm; rm=$(redis_host_of "$(redis_master_any | head -1)")
  # FarmBench's probe reads from the primary directly (its PostgresNIO client has TLS off).
  run_env "$STATE/env/api.env" "$fb" --url "http://$LB:8080" \
    --pg-url "postgres://mathfarm_bench:$PG_BENCH_PW@$(addr "$p"):5432/postgres" \
    --jobs "$jobs" --customers "${CUSTOMERS:-20}" --mix "$mix" --connections "$conns" \
    --api-pid "$(pid_of api1 mathfarm)" "${workers[@]}" \
    --postgres-pid "$(pid_of "$p" postgres)" --redis-pid "$(pid_of "$rm" redis)" \
    --mathfarm "$(find_bin)" --label "$label" --measuring-marker "$marker" \
    --out "$OUT/$label.json" --svg "$OUT/$label.svg" 2>&1 | tee "$OUT/$label.log" >&2 || true
  touch "$marker"; rm -f "$marker"   # a failed run must not leave the sampler waiting
  wait "$sampler" 2>/dev/null || true
}
cmd_bench() {
  load_secrets; paths
  WORKER_HOSTS=$(cat "$STATE/worker_hosts")
  local fb; fb=$(find_farmbench)
  [ -n "$fb" ] || die "no FarmBench: (cd benchmarks && swift build -c release --product FarmBench)"
  OUT=${OUT:-$root/benchmarks/results/$(date -u +%Y-%m-%d)-cluster}
  mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
  local mix=${MIX:-linear120} per=${JOBS_PER_HOST:-30} sets=${SETS:-"scaling api"}
  # Production durability, checked on the primary that is measured.
  local s; s=$(pg_su "$(pg_primary)" -d postgres -Atc "SELECT current_setting('fsync')||' '||current_setting('synchronous_commit')||' '||current_setting('full_page_writes')||' '||current_setting('synchronous_standby_names')")
  case "$s" in "on on on "?*) ;; *) die "benchmark refused: fsync/synchronous_commit/full_page_writes/synchronous_standby_names = $s" ;; esac
  # One configuration file for the folder: a run of one set (SETS=api) keeps what an earlier run
  # of the other set wrote about itself.
  python3 - "$OUT/cluster-config.json" "$sets" <<PY
import json, os, sys
path, sets = sys.argv[1], sys.argv[2].split()
config = json.load(open(path)) if os.path.exists(path) else {}
config.update({"worker_cpu": "$WORKER_CPU", "worker_hosts": $WORKER_HOSTS, "worker_batch": $WORKER_BATCH,
               "postgres": "$s", "binary": "$(find_bin)", "farmbench": "$fb", "cores": $(nproc)})
if "scaling" in sets:
    config.update({"mix": "$mix", "jobs_per_host": $per})
if "api" in sets:
    config.update({"api_mix": "${API_MIX:-quadratic}", "api_jobs": ${API_JOBS:-2000}, "bench_api_cpu": "${BENCH_API_CPU:-0.1}",
                   "api_connections": ${API_CONNECTIONS:-300}})
json.dump(config, open(path, "w"), indent=1)
PY
  local n hosts
  for set in $sets; do
    case $set in
    scaling)
      for n in 1 2 4; do
        [ "$n" -le "$WORKER_HOSTS" ] || continue
        hosts=$(for k in $(seq 1 "$n"); do echo "w$k"; done)
        log "bench: $n worker host(s), $((per * n)) jobs of $mix"
        reset_farm $hosts
        bench_run "workers-$n" $((per * n)) "$mix" "${CONNECTIONS:-50}"
      done ;;
    api)
      local api_cpu=${BENCH_API_CPU:-0.1}
      cg_quota api1 "$api_cpu"; cg_quota api2 "$api_cpu"
      for n in 1 2; do
        log "bench: $n API host(s) at $api_cpu cores, ${API_JOBS:-2000} jobs of ${API_MIX:-quadratic}, all worker hosts"
        reset_farm $(worker_hosts)
        [ "$n" = 1 ] && lb_cmd "disable server api/api2" >/dev/null
        bench_run "api-$n" "${API_JOBS:-2000}" "${API_MIX:-quadratic}" "${API_CONNECTIONS:-300}"
        lb_cmd "enable server api/api2" >/dev/null
      done
      cg_quota api1 "$API_CPU"; cg_quota api2 "$API_CPU" ;;
    *) die "unknown set $set" ;;
    esac
  done
  python3 "$here/cluster/summarize.py" "$OUT" | tee "$OUT/summary.md"
}

# ---------------------------------------------------------------------------------------------
# Faults: loadgen.py submits through HAProxy and injects each fault mid-burst

run_fault() {  # NAME [HOST]
  local name=$1 arg=${2:-}
  local rate=${FAULT_RATE:-8} mix=${FAULT_MIX:-linear20} fault_at=${FAULT_AT:-12} restore_at=${RESTORE_AT:-27} expect=()
  case $name in
  linkcut|killworker)
    # The faulted host must hold claimed jobs when it goes: submit faster than the worker hosts
    # solve (linear80 is ~70 ms of CPU in a release build, ~3.5 jobs/s on a quarter core), so each holds a batch in
    # flight. Cut longer than a job's lease (timeout 30 s + grace + 5 s) so the reconciler gives
    # the cut host's jobs to another host while it is away, and its late writes are fenced.
    rate=${WORKER_FAULT_RATE:-$((5 * WORKER_HOSTS))}; mix=${WORKER_FAULT_MIX:-linear80}
    [ "$name" = linkcut ] && restore_at=$((fault_at + ${LINKCUT_SECONDS:-45}))
    expect=(--expect-retries) ;;
  esac
  log "fault $name ${arg:+on $arg} ($mix at $rate/s)"
  run_env "$STATE/env/api.env" python3 "$here/cluster/loadgen.py" \
    --url "http://$LB:8080" --name "$name${arg:+-$arg}" "${expect[@]}" \
    --pg "host=$LB port=5432 user=mathfarm_bench sslmode=verify-full sslrootcert=$CA" --pg-password "$PG_BENCH_PW" \
    --rate "$rate" --seconds "${FAULT_SECONDS:-40}" --mix "$mix" --customers "${FAULT_CUSTOMERS:-20}" \
    --fault-at "$fault_at" --restore-at "$restore_at" \
    --inject "$0 _fault $name inject $arg" --restore "$0 _fault $name restore $arg" \
    --reconcile "$(find_bin) reconcile --check" --wait "${FAULT_WAIT:-240}" \
    --out "$OUT/fault-$name${arg:+-$arg}.json"
}
cmd_faults() {
  load_secrets; paths
  WORKER_HOSTS=$(cat "$STATE/worker_hosts")
  OUT=${OUT:-$root/benchmarks/results/$(date -u +%Y-%m-%d)-cluster}
  mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
  local failed=0 f
  for f in ${FAULTS:-linkcut killworker redis api postgres}; do
    case $f in
    linkcut) run_fault linkcut w1 || failed=1 ;;
    killworker) run_fault killworker "w$WORKER_HOSTS" || failed=1 ;;
    redis) run_fault redis || failed=1 ;;
    api) run_fault api api2 || failed=1 ;;
    postgres) run_fault postgres || failed=1 ;;
    *) die "unknown fault $f" ;;
    esac
  done
  python3 "$here/cluster/summarize.py" "$OUT" --faults | tee "$OUT/faults.md"
  return $failed
}
cmd_short() {
  [ "$(id -u)" = 0 ] || die "run as root"
  WORKER_HOSTS=2
  export WORKER_HOSTS
  if [ -e "$STATE" ]; then cmd_down; fi
  cmd_up
  trap 'cmd_down' EXIT
  OUT=${OUT:-$STATE/results}
  # CI runs the debug build, where linear40 costs about what linear80 does in release: 12 jobs/s
  # is above what two quarter-core hosts solve, so the cut host holds claimed jobs.
  WORKER_FAULT_MIX=${WORKER_FAULT_MIX:-linear40} WORKER_FAULT_RATE=${WORKER_FAULT_RATE:-12} FAULT_WAIT=${FAULT_WAIT:-400} \
    FAULTS="linkcut redis" FAULT_SECONDS=${FAULT_SECONDS:-30} FAULT_AT=${FAULT_AT:-8} RESTORE_AT=${RESTORE_AT:-20} cmd_faults
}

case "${1:-}" in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
bench) cmd_bench ;;
faults) cmd_faults ;;
short) cmd_short ;;
_farm) load_secrets; paths; WORKER_HOSTS=$(cat "$STATE/worker_hosts"); farm_up ;;
_fault) shift; load_secrets; paths; WORKER_HOSTS=$(cat "$STATE/worker_hosts"); fault "$@" ;;
*) echo "usage: $0 up|bench|faults|short|status|down" >&2; exit 2 ;;
esac

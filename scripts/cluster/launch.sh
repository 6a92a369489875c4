#!/usr/bin/env bash
# launch.sh HOST NAMESPACE ENVFILE CMD...: runs CMD as host HOST of the cluster on one machine.
# Called by scripts/cluster.sh under `env -i`, so CMD sees only PATH/HOME/LANG and the variables
# of ENVFILE ("-" for none). This process joins the host's cgroups (cpu: its CPU quota, cpuacct:
# its CPU account) before it execs, so CMD and every child it forks stay in them; `ip netns exec`
# (and unshare, sh) and CMD replace this process, so the pid the caller recorded is CMD's pid.
set -euo pipefail
host=$1 ns=$2 envfile=$3; shift 3
echo $$ > "/sys/fs/cgroup/cpu/mathfarm-cluster/$host/cgroup.procs"
echo $$ > "/sys/fs/cgroup/cpuacct/mathfarm-cluster/$host/cgroup.procs"
if [ "$envfile" != - ]; then set -a; . "$envfile"; set +a; fi
# Its own hostname too (a UTS namespace), so worker consumers are named `mf-wK-<pid>` in Redis
# and in the logs, as on separate machines.
exec ip netns exec "$ns" unshare --uts sh -c 'hostname "$0" && exec "$@"' "$ns" "$@"

"""Summarises one benchmarks/farm/run.sh output folder as markdown (stdout) and summary.json.

Headline: the median of the burst runs; the Celery peer's run on the same machine and workload
gives the ratio; the scaling table and the sustained-rate run follow. Every MathFarm run must
have exact money and a green `reconcile --check`; a run without is reported as such.
"""
import glob
import json
import os
import statistics
import sys

folder = sys.argv[1]
runs = {os.path.basename(f)[:-5]: json.load(open(f)) for f in sorted(glob.glob(os.path.join(folder, "*.json")))
        if not f.endswith("summary.json")}
peer = [json.loads(line) for line in open(os.path.join(folder, "celery-peer.jsonl"))] if os.path.exists(
    os.path.join(folder, "celery-peer.jsonl")) else []


def ok(run):
    return run["money"]["exact"] and run["reconcile_check"] == "ok" and run["failed"] == 0 and run["accepted"] == run["submitted"]


def cpu(run, part):
    return run["cpu_ms_per_job"].get(part, 0.0)


lines = []
any_run = next(iter(runs.values()), None)
if any_run:
    m = any_run["machine"]
    c = any_run["configuration"]
    lines += [f"Machine: {m.get('cores')} cores ({m.get('cpu', '?')}), {m.get('memory_gib')} GiB, Linux {m.get('kernel', '?')}; "
              f"PostgreSQL 15 with its durability defaults (fsync, synchronous_commit on), Redis 7 with AOF everysec, "
              f"API + workers + databases + load generator on the same cores.",
              f"Workload: {c['jobs']} paid jobs ({c['mix']}) from {c['customers']} customers over HTTP, "
              f"{c['connections']} connections, Idempotency-Key on every submission: {c['idempotency_keys']}.", ""]

header = ("| run | completed/s | submit/s | submit→start p50 / p99 ms | submit→completed p50 / p99 ms | "
          "CPU ms/job (API, workers, PostgreSQL, Redis = total) | commits/job | WAL fsyncs/job | money, reconcile |")
rule = "|---|---:|---:|---:|---:|---|---:|---:|---|"


def row(name, run):
    return (f"| {name} | {run['completed_per_second']:,.0f} | {run['submit_per_second']:,.0f} | "
            f"{run['submit_to_start_ms']['p50']:.0f} / {run['submit_to_start_ms']['p99']:.0f} | "
            f"{run['submit_to_completed_ms']['p50']:.0f} / {run['submit_to_completed_ms']['p99']:.0f} | "
            f"{cpu(run, 'api'):.2f}, {cpu(run, 'workers'):.2f}, {cpu(run, 'postgres'):.2f}, {cpu(run, 'redis'):.2f} = {cpu(run, 'total'):.2f} | "
            f"{run['commits_per_job']:.2f} | {run['wal_syncs_per_job']:.3f} | "
            f"{'exact, ok' if ok(run) else 'FAILED: ' + json.dumps(run['money']) + ' ' + run['reconcile_check'][:200]} |")


summary = {}
bursts = [r for n, r in runs.items() if n.startswith("burst-")]
if bursts:
    median = statistics.median(r["completed_per_second"] for r in bursts)
    summary["burst_completed_per_s_median"] = median
    lines += [f"## Burst ({len(bursts)} runs, median {median:,.0f} completed paid jobs/s)", "", header, rule]
    lines += [row(n, r) for n, r in runs.items() if n.startswith("burst-")]
    lines.append("")
if peer:
    p = [r for r in peer if r.get("e2e_throughput")]
    if p:
        best = p[-1]
        summary["celery_peer_completed_per_s"] = best["e2e_throughput"]
        lines += ["## The Celery peer, same machine, same run", "",
                  f"Celery 5 + PostgreSQL ({best['name']}, {best['jobs']} jobs, {best['config']['users']} customers): "
                  f"{best['e2e_throughput']:,.0f} completed jobs/s, submit {best['submit_rate']:,.0f}/s (Python threads straight into "
                  f"PostgreSQL, no HTTP), p50 / p99 submit→completed {best['latency_p50_ms']:,.0f} / {best['latency_p99_ms']:,.0f} ms, "
                  f"commits/job {best['pg_per_job']['xact_commit']:.2f}, WAL fsyncs/job {best['pg_per_job']['wal_sync']:.3f}, "
                  f"invariants {'ok' if best['invariants']['ok'] else 'FAILED'}.", ""]
        if bursts:
            ratio = summary["burst_completed_per_s_median"] / best["e2e_throughput"]
            summary["ratio_to_peer"] = ratio
            lines += [f"**MathFarm / Celery peer: {ratio:.1f}×** completed paid jobs per second.", ""]
scaling = [(n, r) for n, r in runs.items() if n.startswith("scaling-")]
if scaling:
    base = runs.get("scaling-p1", {}).get("completed_per_second")
    lines += ["## Scaling (one burst each)", "", header.replace("| run |", "| worker processes |"), rule]
    for n, r in scaling:
        lines.append(row(n.replace("scaling-", ""), r))
    if base:
        lines += ["", "Relative to 1 process: " + ", ".join(
            f"{n.replace('scaling-', '')} {r['completed_per_second'] / base:.2f}×" for n, r in scaling), ""]
        summary["scaling"] = {n.replace("scaling-", ""): r["completed_per_second"] / base for n, r in scaling}
rates = [(n, r) for n, r in runs.items() if n.startswith("rate-")]
if rates:
    lines += ["## Sustained rate (half of the best burst, open loop)", "", header, rule]
    lines += [row(n, r) for n, r in rates]
    for n, r in rates:
        summary["rate"] = {"run": n, "p99_submit_to_start_ms": r["submit_to_start_ms"]["p99"],
                           "p99_submit_to_completed_ms": r["submit_to_completed_ms"]["p99"]}
    lines.append("")
summary["all_money_exact_and_reconciled"] = all(ok(r) for r in runs.values())
lines.append("Every MathFarm run: money exact and `reconcile --check` green: " + ("yes" if summary["all_money_exact_and_reconciled"] else "NO"))
json.dump(summary, open(os.path.join(folder, "summary.json"), "w"), indent=2)
print("\n".join(lines))

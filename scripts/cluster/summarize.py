#!/usr/bin/env python3
"""Summary of a cluster run directory (scripts/cluster.sh bench / faults): a markdown table on
stdout and, for the scaling set, an SVG chart (scaling.svg) of completed jobs/s against worker
hosts with the ideal line.

    summarize.py DIR            the scaling and API tables (+ scaling.svg)
    summarize.py DIR --faults   the fault table
"""
import glob
import json
import os
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def scaling(out):
    cfg = load(os.path.join(out, "cluster-config.json")) or {}
    print(f"# MathFarm cluster on one machine ({cfg.get('cores', '?')} cores)\n")
    print(f"Worker hosts at {cfg.get('worker_cpu', '?')} cores each (cgroup v1 cpu quota), one worker process with one solver thread; "
          f"mix `{cfg.get('mix', '?')}`, {cfg.get('jobs_per_host', '?')} jobs per worker host; PostgreSQL `fsync synchronous_commit "
          f"full_page_writes synchronous_standby_names` = `{cfg.get('postgres', '?')}`; binary `{cfg.get('binary', '?')}`.\n")
    rows = []
    for n in (1, 2, 4):
        r = load(os.path.join(out, f"workers-{n}.json"))
        c = load(os.path.join(out, f"workers-{n}.cpu.json"))
        if r:
            rows.append((n, r, c))
    if rows:
        base = rows[0][1]["completed_per_second"] if rows[0][0] == 1 else None
        print("| worker hosts | jobs | completed | completed/s | × one host | worker CPU ms/job | db hosts (db1+db2) CPU, cores | api hosts CPU, cores | lb CPU, cores | money | reconcile --check |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for n, r, c in rows:
            ratio = f"{r['completed_per_second'] / base:.2f}×" if base else "–"
            cores = lambda hosts, c=c: host_cores(c, hosts)
            print(f"| {n} | {r['accepted']} | {r['completed']} | {r['completed_per_second']:.2f} | {ratio} | "
                  f"{r['cpu_ms_per_job'].get('workers', 0):.1f} | {cores(['db1', 'db2'])} | {cores(['api1', 'api2'])} | {cores(['lb'])} | "
                  f"{'exact' if r['money']['exact'] else 'MISMATCH'} | {r['reconcile_check'][:40]} |")
        print()
        pts = [(n, r["completed_per_second"]) for n, r, _ in rows]
        svg = chart(pts, base)
        with open(os.path.join(out, "scaling.svg"), "w") as f:
            f.write(svg)
        print("Chart: `scaling.svg` (completed jobs/s against worker hosts; dashed: linear from one host).\n")
    api = [(n, load(os.path.join(out, f"api-{n}.json")), load(os.path.join(out, f"api-{n}.cpu.json"))) for n in (1, 2)]
    api = [a for a in api if a[1]]
    if api:
        print(f"API hosts at {cfg.get('bench_api_cpu', '?')} cores each, `{cfg.get('api_mix', '?')}` burst of {cfg.get('api_jobs', '?')} jobs over {cfg.get('api_connections', '?')} connections, every worker host:\n")
        print("| API hosts | accepted | submit/s (accepted) | completed/s | submit→accepted p50 / p99 ms | api hosts CPU, cores | db hosts CPU, cores | money | reconcile --check |")
        print("|---|---|---|---|---|---|---|---|---|")
        for n, r, c in api:
            cores = lambda hosts, c=c: host_cores(c, hosts)
            print(f"| {n} | {r['accepted']}/{r['submitted']} | {r['submit_per_second']:.1f} | {r['completed_per_second']:.1f} | "
                  f"{r['submit_to_accepted_ms']['p50']:.0f} / {r['submit_to_accepted_ms']['p99']:.0f} | {cores(['api1', 'api2'])} | {cores(['db1', 'db2'])} | "
                  f"{'exact' if r['money']['exact'] else 'MISMATCH'} | {r['reconcile_check'][:40]} |")
        print()


def chart(points, base):
    w, h, m = 520, 340, 60
    xmax = max(n for n, _ in points)
    ymax = max([v for _, v in points] + [base * xmax if base else 0]) * 1.1 or 1
    def x(n): return m + (w - 2 * m) * n / xmax
    def y(v): return h - m + 0 - (h - 2 * m) * v / ymax
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
             f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<text x="{w / 2}" y="24" text-anchor="middle" font-size="14">Completed paid jobs/s by worker hosts</text>',
             f'<line x1="{m}" y1="{h - m}" x2="{w - m}" y2="{h - m}" stroke="black"/>',
             f'<line x1="{m}" y1="{h - m}" x2="{m}" y2="{m}" stroke="black"/>',
             f'<text x="{w / 2}" y="{h - 20}" text-anchor="middle">worker hosts</text>',
             f'<text x="18" y="{h / 2}" text-anchor="middle" transform="rotate(-90 18 {h / 2})">jobs/s</text>']
    for n, _ in points:
        parts.append(f'<text x="{x(n)}" y="{h - m + 16}" text-anchor="middle">{n}</text>')
    for i in range(5):
        v = ymax * i / 4
        parts.append(f'<text x="{m - 6}" y="{y(v) + 4}" text-anchor="end">{v:.1f}</text>')
        parts.append(f'<line x1="{m}" y1="{y(v)}" x2="{w - m}" y2="{y(v)}" stroke="#ddd"/>')
    if base:
        parts.append(f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(xmax)}" y2="{y(base * xmax)}" stroke="#999" stroke-dasharray="5,4"/>')
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(n):.1f},{y(v):.1f}" for i, (n, v) in enumerate(points))
    parts.append(f'<path d="{path}" fill="none" stroke="#1f77b4" stroke-width="2"/>')
    for n, v in points:
        parts.append(f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="4" fill="#1f77b4"/>')
        parts.append(f'<text x="{x(n) + 6:.1f}" y="{y(v) - 8:.1f}">{v:.2f}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)


def host_cores(cpu_report, hosts):
    """Cores the hosts used on average over a run, from its per-host CPU report."""
    if not cpu_report or not cpu_report.get("wall_seconds"):
        return "–"
    cpu = cpu_report["cpu_seconds"]
    return f"{sum(cpu.get(h, 0) for h in hosts) / cpu_report['wall_seconds']:.2f}"


def faults(out):
    print("# Faults mid-burst\n")
    print("| fault | accepted | statuses | lost | charged twice | charge/job mismatches | top-ups acknowledged / lost | money | reconcile --check | first completion after fault, s | back to ½ rate, s | jobs retried | last retried job done, s | pass |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for path in sorted(glob.glob(os.path.join(out, "fault-*.json"))):
        r = load(path)
        if not r:
            continue
        rec = r.get("recovery", {})
        print(f"| {r['name']} | {r['accepted']}/{r['submitted']} | {' '.join(f'{k} {v}' for k, v in sorted(r['statuses'].items()))} | "
              f"{r['lost']} | {r['charged_twice']} | {r['charge_job_mismatches']} | {r.get('topups_acknowledged', '–')} / {r.get('topups_lost', '–')} | {'exact' if r['money']['exact'] else 'MISMATCH'} | "
              f"{r['reconcile_check'][:30]} | {rec.get('first_completion_after_fault_s')} | {rec.get('recovered_to_half_rate_s')} | "
              f"{rec.get('jobs_with_more_than_one_attempt')} | {rec.get('last_retried_job_completed_s')} | {'PASS' if r['pass'] else 'FAIL'} |")
    print()


if __name__ == "__main__":
    d = sys.argv[1]
    if "--faults" in sys.argv:
        faults(d)
    else:
        scaling(d)

#!/usr/bin/env python3
"""A bounded load generator for the cluster's fault runs (scripts/cluster.sh faults / short).

It registers and funds customers through HAProxy (as staff, through the admin API), submits paid
jobs at a fixed rate for a fixed time, runs the fault's inject and restore commands at fixed
offsets, waits (bounded) until every job of its customers is terminal and no hold is pending,
then checks:

  lost            jobs answered 202 (or present in the database for these customers) that are not
                  terminal at the end of the wait
  charged twice   charges resolved more than once (transaction_logs rows leaving 'pending'), more
                  than one charge per job, or a charge whose resolution contradicts its job
                  (completed ⇒ settled, failed/timeout/cancelled ⇒ refunded)
  money           per customer: funded - available = Σ price of its completed jobs, held = 0
                  (read through the API, as FarmBench does)
  reconcile       `mathfarm reconcile --check` (the five invariants)
  recovery        seconds from the fault until completions are back to half the pre-fault rate

Only the standard library; PostgreSQL is read with psql (TLS verify-full through HAProxy) as the
read-only bench role. Every loop is bounded in count and time. Exit status 1 on any failed check.
"""
import argparse
import concurrent.futures
import json
import math
import os
import random
import shlex
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

TERMINAL = {"completed", "failed", "timeout", "cancelled"}


def log(msg):
    print(f"[loadgen {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def http(method, url, body=None, token=None, headers=None, timeout=15):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    req.add_header("Accept-Language", "en")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else {})
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw) if raw else {}
        except ValueError:
            return e.code, {"raw": raw[:200].decode(errors="replace")}


def http_retry(method, url, body=None, token=None, headers=None, attempts=8, budget=60):
    """Retries transport errors, 5xx and 429 with the same request (and Idempotency-Key)."""
    deadline = time.time() + budget
    delay = 0.25
    last = None
    for _ in range(attempts):
        try:
            status, body_ = http(method, url, body, token, headers)
            if status < 500 and status != 429:
                return status, body_
            last = (status, body_)
        except Exception as e:  # transport: connection refused/reset, timeout
            last = (None, {"transport": str(e)})
        if time.time() + delay > deadline:
            break
        time.sleep(delay)
        delay = min(delay * 2, 4)
    return last


def job_input(kind, rnd):
    if kind == "quadratic":
        a = rnd.randint(1, 10**6) * rnd.choice([1, -1])
        return "quadratic_equation", {"a": a, "b": rnd.randint(-10**6, 10**6), "c": rnd.randint(-10**6, 10**6)}
    if kind.startswith("linear"):
        n = int(kind[6:])
        return "system_equations", {
            "matrix": [[rnd.randint(-9, 9) for _ in range(n)] for _ in range(n)],
            "rhs": [rnd.randint(-9, 9) for _ in range(n)],
        }
    raise SystemExit(f"unknown mix {kind}")


class PG:
    def __init__(self, conninfo, password):
        self.conninfo = conninfo
        self.env = dict(os.environ, PGPASSWORD=password, PGCONNECT_TIMEOUT="3")

    def rows(self, db, sql, timeout=30):
        r = subprocess.run(
            ["psql", "-X", "-At", "-F", "\t", f"{self.conninfo} dbname={db}", "-c", sql],
            env=self.env, capture_output=True, text=True, timeout=timeout,
        )
        if r.returncode != 0:
            raise RuntimeError(r.stderr.strip()[:300])
        return [line.split("\t") for line in r.stdout.splitlines() if line]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--name", default="fault")
    ap.add_argument("--pg", required=True, help="libpq conninfo without dbname (read-only role)")
    ap.add_argument("--pg-password", required=True)
    ap.add_argument("--rate", type=float, default=8)
    ap.add_argument("--seconds", type=float, default=40)
    ap.add_argument("--mix", default="linear20")
    ap.add_argument("--customers", type=int, default=20)
    ap.add_argument("--fault-at", type=float, default=12)
    ap.add_argument("--restore-at", type=float, default=27)
    ap.add_argument("--inject", default="")
    ap.add_argument("--restore", default="")
    ap.add_argument("--reconcile", default="")
    ap.add_argument("--wait", type=float, default=240, help="bound on the wait for terminal jobs after the burst")
    ap.add_argument("--expect-retries", action="store_true",
                    help="the fault must have hit claimed jobs: pass only if some job needed a second attempt (taken over by another host)")
    ap.add_argument("--topups-per-s", type=float, default=2,
                    help="staff credits of 1,000 VND during the run, each sent once: every acknowledged one must be in the ledger after the fault")
    ap.add_argument("--out", default="")
    ap.add_argument("--staff-user", default="admin")
    ap.add_argument("--staff-password", default="admin-password-1")
    args = ap.parse_args()
    base = args.url.rstrip("/")
    pg = PG(args.pg, args.pg_password)
    run = format(int(time.time() * 1000), "x")
    rnd = random.Random(7)

    # Catalog prices.
    status, cat = http_retry("GET", base + "/api/v1/problems")
    if status != 200:
        raise SystemExit(f"catalog: {status} {cat}")
    prices = {p["code"]: float(p["price"]) for p in cat.get("problems", [])}

    # Customers: registered, then funded by staff with what their jobs can cost plus a margin.
    total = int(args.rate * args.seconds)
    jobs = [job_input(args.mix, rnd) for _ in range(total)]
    per_customer = math.ceil(total / args.customers) + 2
    max_price = max(prices[p] for p, _ in jobs)
    customers = []

    def register(i):
        email = f"fault-{run}-{i}@mathfarm.test"
        st, body = http_retry("POST", base + "/api/v1/auth/register",
                              {"email": email, "password": f"faultpassword{i}", "full_name": f"Fault {i}"})
        if st != 201:
            raise RuntimeError(f"register {st} {body}")
        return {"id": body["user"]["id"].lower(), "token": body["access_token"]}

    log(f"{args.name}: registering {args.customers} customers")
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        customers = list(ex.map(register, range(args.customers)))
    st, body = http_retry("POST", base + "/api/v1/admin/auth/login", {"username": args.staff_user, "password": args.staff_password})
    if st != 200:
        raise SystemExit(f"staff login {st} {body}")
    staff = body["access_token"]
    funded = int(per_customer * max_price) + 10000
    for c in customers:
        st, body = http_retry("POST", f"{base}/api/v1/admin/users/{c['id']}/adjustments",
                              {"amount": str(funded), "reason": "fault run funds"}, staff,
                              {"Idempotency-Key": f"fault-fund-{c['id']}"})
        if st not in (200, 201):
            raise SystemExit(f"fund {st} {body}")
    time.sleep(2)

    # Submissions at a fixed rate (open loop), each retried with its Idempotency-Key.
    results = [None] * total
    events = {}

    def submit(i):
        problem, inp = jobs[i]
        c = customers[i % len(customers)]
        sent = time.time()
        res = http_retry("POST", base + "/api/v1/solutions", {"problem": problem, "input": inp}, c["token"],
                         {"Idempotency-Key": f"fault-{run}-{i}"}, attempts=10, budget=90)
        st, body = res
        results[i] = {"i": i, "customer": c["id"], "sent": sent, "answered": time.time(), "status": st,
                      "id": (body.get("id") or "").lower() if st == 202 else None,
                      "error": None if st == 202 else json.dumps(body)[:200]}

    def faults(t0):
        for label, at, cmd in (("inject", args.fault_at, args.inject), ("restore", args.restore_at, args.restore)):
            if not cmd:
                continue
            while time.time() < t0 + at:
                time.sleep(0.05)
            events[label] = time.time()
            log(f"{args.name}: {label}: {cmd}")
            r = subprocess.run(shlex.split(cmd), capture_output=True, text=True, timeout=180)
            events[label + "_done"] = time.time()
            events[label + "_rc"] = r.returncode
            if r.returncode != 0:
                log(f"{label} failed ({r.returncode}): {r.stderr.strip()[-500:]}")

    # Money that moves while the fault happens: staff credits, each sent once (no retry), so an
    # acknowledged one (201) is a commit the farm promised; all of them must survive the fault
    # (the PostgreSQL failover: the standby is synchronous).
    topups = []  # (transaction id, customer id) of acknowledged credits

    def topup_loop(t0):
        if args.topups_per_s <= 0:
            return
        n = int(args.topups_per_s * args.seconds)
        for k in range(n):
            due = t0 + k / args.topups_per_s
            while time.time() < due:
                time.sleep(0.02)
            c = customers[k % len(customers)]
            try:
                st, body = http("POST", f"{base}/api/v1/admin/users/{c['id']}/adjustments",
                                {"amount": "1000", "reason": "fault run top-up"}, staff,
                                {"Idempotency-Key": f"fault-topup-{run}-{k}"}, timeout=10)
            except Exception:
                continue
            if st == 201 and body.get("transaction_id"):
                topups.append((body["transaction_id"].lower(), c["id"]))

    log(f"{args.name}: submitting {total} jobs of {args.mix} at {args.rate}/s; fault at +{args.fault_at}s, restore at +{args.restore_at}s")
    t0 = time.time()
    ft = threading.Thread(target=faults, args=(t0,))
    ft.start()
    tt = threading.Thread(target=topup_loop, args=(t0,))
    tt.start()
    with concurrent.futures.ThreadPoolExecutor(64) as ex:
        futs = []
        for i in range(total):
            due = t0 + i / args.rate
            while time.time() < due:
                time.sleep(min(0.01, max(0, due - time.time())))
            futs.append(ex.submit(submit, i))
        concurrent.futures.wait(futs, timeout=300)
    ft.join(timeout=400)
    tt.join(timeout=120)
    submit_end = time.time()
    accepted = [r for r in results if r and r["id"]]
    refused = [r for r in results if r and not r["id"]]
    log(f"{args.name}: {len(accepted)} accepted, {len(refused)} not accepted")

    # Wait (bounded) until every job of these customers is terminal and no hold is pending.
    users = "'{" + ",".join(c["id"] for c in customers) + "}'::uuid[]"
    sol_sql = f"""SELECT s.id, s.status, s.attempt, coalesce(s.charge_id::text, ''), p.problem_type,
        coalesce(extract(epoch FROM s.completed_at)::text, ''), extract(epoch FROM s.updated_at)::text
        FROM solutions s JOIN math_problems p ON p.id = s.problem_id WHERE s.user_id = ANY({users})"""
    pending_sql = f"SELECT count(*) FROM transactions WHERE transaction_type = 'solve_charge' AND status = 'pending' AND user_id = ANY({users})"
    deadline = time.time() + args.wait
    sols, pending, last_err = [], -1, None
    while time.time() < deadline:
        try:
            sols = pg.rows("math_solver_db", sol_sql)
            pending = int(pg.rows("payment_service_db", pending_sql)[0][0])
            ids = {s[0] for s in sols}
            if all(s[1] in TERMINAL for s in sols) and pending == 0 and all(r["id"] in ids for r in accepted):
                break
        except Exception as e:  # the database may be failing over
            last_err = str(e)
        time.sleep(1)
    waited = time.time() - submit_end
    by_id = {s[0]: s for s in sols}
    lost = [r["id"] for r in accepted if r["id"] not in by_id or by_id[r["id"]][1] not in TERMINAL]
    unseen = [s[0] for s in sols if s[1] not in TERMINAL and s[0] not in {r["id"] for r in accepted}]
    statuses = {}
    for s in sols:
        statuses[s[1]] = statuses.get(s[1], 0) + 1

    # Charges: one per job, resolved once, the way the job ended.
    charge_ids = [s[3] for s in sols if s[3]]
    charges = {}
    resolutions = {}
    if charge_ids:
        arr = "'{" + ",".join(charge_ids) + "}'::uuid[]"
        for tid, st, typ in pg.rows("payment_service_db", f"SELECT id, status, transaction_type FROM transactions WHERE id = ANY({arr})"):
            charges[tid] = st
        for tid, n in pg.rows("payment_service_db", f"""SELECT transaction_id, count(*) FROM transaction_logs
                WHERE transaction_id = ANY({arr}) AND old_status = 'pending' AND new_status <> 'pending' GROUP BY transaction_id"""):
            resolutions[tid] = int(n)
    all_charges = pg.rows("payment_service_db", f"SELECT count(*) FROM transactions WHERE transaction_type = 'solve_charge' AND user_id = ANY({users})")
    n_charges = int(all_charges[0][0])
    resolved_twice = [t for t, n in resolutions.items() if n > 1]
    shared = len(charge_ids) - len(set(charge_ids))
    mismatched = []
    for s in sols:
        want = "completed" if s[1] == "completed" else ("refunded" if s[1] in TERMINAL else None)
        if want and (not s[3] or charges.get(s[3]) != want):
            mismatched.append(s[0])
    extra_charges = n_charges - len(set(charge_ids))  # holds not referenced by any job

    # Every acknowledged top-up is in the ledger, completed; what each customer was credited in
    # all (the funding and every top-up that committed, acknowledged or not) comes from there.
    credited = {c["id"]: 0.0 for c in customers}
    committed = set()
    for tid, uid, amount in pg.rows("payment_service_db", f"""SELECT id, user_id, amount FROM transactions
            WHERE transaction_type = 'adjustment' AND status = 'completed' AND user_id = ANY({users})"""):
        committed.add(tid)
        credited[uid] = credited.get(uid, 0.0) + float(amount)
    topups_lost = [t for t, _ in topups if t not in committed]

    # Money through the API: what each customer paid is the price of its completed jobs.
    spent_by = {c["id"]: 0.0 for c in customers}
    expected_by = {c["id"]: 0.0 for c in customers}
    owner = {}
    for row in pg.rows("math_solver_db", f"SELECT id, user_id FROM solutions WHERE user_id = ANY({users})"):
        owner[row[0]] = row[1]
    for s in sols:
        if s[1] == "completed":
            expected_by[owner[s[0]]] += prices[s[4]]
    held_total = 0.0
    money_ok = True
    for c in customers:
        st, bal = http_retry("GET", base + "/api/v1/me/balance", token=c["token"])
        if st != 200:
            money_ok = False
            continue
        spent_by[c["id"]] = credited[c["id"]] - float(bal["available"])
        held_total += float(bal["held"])
        if abs(spent_by[c["id"]] - expected_by[c["id"]]) > 0.001 or float(bal["held"]) != 0:
            money_ok = False
    spent = sum(spent_by.values())
    expected = sum(expected_by.values())

    reconcile = {"rc": None, "output": ""}
    if args.reconcile:
        r = subprocess.run(shlex.split(args.reconcile), capture_output=True, text=True, timeout=300)
        reconcile = {"rc": r.returncode, "output": (r.stdout + r.stderr).strip()[-1500:]}

    # Recovery: completions per second around the fault.
    fault_t = events.get("inject")
    done_times = sorted(float(s[5]) for s in sols if s[1] == "completed" and s[5])
    recovery = {}
    if fault_t and done_times:
        pre = [t for t in done_times if fault_t - 8 <= t < fault_t]
        pre_rate = len(pre) / 8
        after = [t for t in done_times if t >= fault_t]
        first_after = (after[0] - fault_t) if after else None
        gaps = [b - a for a, b in zip([fault_t] + after[:-1], after)] if after else []
        window = 3.0

        def count(a):
            return sum(1 for t in after if a <= t < a + window)

        dip = None
        t = fault_t
        while t < fault_t + 20:
            if count(t) < 0.5 * pre_rate * window:
                dip = t
                break
            t += 0.25
        recovered = 0.0
        if dip is not None:
            recovered = None
            t = dip
            end = (after[-1] if after else fault_t)
            need = max(1, math.ceil(0.5 * pre_rate * window))
            while t <= end:
                inside = [u for u in after if t <= u < t + window]
                if len(inside) >= need:
                    # the instant the rate is back: the completion that fills the window
                    recovered = inside[need - 1] - fault_t
                    break
                t += 0.25
        retried = [s for s in sols if int(s[2]) > 1]
        retried_done = [float(s[5]) for s in retried if s[5]]
        recovery = {
            "pre_fault_completed_per_s": round(pre_rate, 2),
            "first_completion_after_fault_s": None if first_after is None else round(first_after, 2),
            "longest_completion_gap_after_fault_s": round(max(gaps), 2) if gaps else None,
            "dip_started_s": None if dip is None else round(dip - fault_t, 2),
            "recovered_to_half_rate_s": None if recovered is None else round(recovered, 2),
            "jobs_with_more_than_one_attempt": len(retried),
            "last_retried_job_completed_s": round(max(retried_done) - fault_t, 2) if retried_done else None,
        }

    report = {
        "name": args.name, "mix": args.mix, "rate": args.rate, "seconds": args.seconds, "customers": args.customers,
        "submitted": total, "accepted": len(accepted), "not_accepted": len(refused),
        "not_accepted_reasons": sorted({(r["status"], (r["error"] or "")[:80]) for r in refused}, key=str)[:10],
        "events_s": {k: (round(v - t0, 2) if isinstance(v, float) else v) for k, v in events.items()},
        "waited_after_burst_s": round(waited, 1), "last_db_error": last_err,
        "statuses": statuses, "lost": len(lost), "lost_ids": lost[:20], "non_terminal_unacknowledged": len(unseen),
        "charged_twice": len(resolved_twice) + shared, "resolved_twice_ids": resolved_twice[:20],
        "charge_job_mismatches": len(mismatched), "holds_without_job": extra_charges, "pending_holds": pending,
        "topups_acknowledged": len(topups), "topups_lost": len(topups_lost), "topups_lost_ids": topups_lost[:20],
        "money": {"funded_each": funded, "spent": round(spent, 2), "expected": round(expected, 2), "held": held_total, "exact": money_ok},
        "reconcile_check": "ok" if reconcile["rc"] == 0 else f"failed ({reconcile['rc']}): {reconcile['output']}",
        "recovery": recovery,
    }
    report["pass"] = (report["lost"] == 0 and report["topups_lost"] == 0 and report["non_terminal_unacknowledged"] == 0 and report["charged_twice"] == 0
                      and report["charge_job_mismatches"] == 0 and money_ok and reconcile["rc"] in (0, None)
                      and events.get("inject_rc", 0) == 0 and events.get("restore_rc", 0) == 0)
    if args.expect_retries and not (report["recovery"].get("jobs_with_more_than_one_attempt") or 0) > 0:
        # A fault that hit no claimed job proves nothing about taking jobs over.
        report["pass"] = False
        report["failure"] = "no job needed a second attempt: the fault hit no claimed job"
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2, sort_keys=True)
    rec = report["recovery"]
    print(f"{args.name}: accepted {len(accepted)}/{total}, statuses {statuses}, lost {report['lost']}, "
          f"charged twice {report['charged_twice']}, top-ups acknowledged {len(topups)} lost {len(topups_lost)}, mismatches {len(mismatched)}, money {'exact' if money_ok else 'MISMATCH'} "
          f"(spent {spent:.0f} expected {expected:.0f} held {held_total:.0f}), reconcile {report['reconcile_check'][:200]}, "
          f"first completion after fault {rec.get('first_completion_after_fault_s')} s, recovered {rec.get('recovered_to_half_rate_s')} s, "
          f"retried jobs {rec.get('jobs_with_more_than_one_attempt')} → {'PASS' if report['pass'] else 'FAIL'}", flush=True)
    sys.exit(0 if report["pass"] else 1)


if __name__ == "__main__":
    main()

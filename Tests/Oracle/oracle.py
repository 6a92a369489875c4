"""Differential test of the exact math engine against SymPy, by value.

For seeded random problems (grammar.py) it runs `mathfarm solve <code> '<json>'` and checks the
engine's answer by value, never by form:

- derivative: the engine's result against sympy.diff at random real points (mpmath, 60 digits);
  a mismatch is judged by mpmath's own numerical differentiation.
- indefinite_integral: the derivative of the engine's antiderivative against the integrand at
  random points where the integrand is real; SymPy's integrate (under a time limit) only counts
  towards SymPy's solve rate, and its answer is checked the same way.
- definite_integral: the engine's exact value and every printed decimal digit against mpmath's
  tanh–sinh quadrature at two precisions (the reference counts only when both agree), and
  SymPy's value; `divergent` against SymPy and the quadrature.
- limit: against sympy.limit; when SymPy fails or disagrees, the function is evaluated at
  a ± 10⁻ᵏ (or ±10ᵏ) for growing k at 200 digits to decide who is right.

Each case ends as `agree`, `refused` (the engine's label; not a failure), `sympy_failed` (SymPy
errored or timed out; the engine's answer is checked numerically where possible),
`sympy_wrong` (a disagreement where the numerical evidence shows SymPy wrong), `disagree` or
`crash` (failures), or `known_failure` (a disagreement listed in known-failures.json with its
reason). Exit status 1 when any unexplained failure remains.
"""

from __future__ import annotations

import argparse
import json
import re
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import mpmath
import sympy
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

sys.path.insert(0, str(Path(__file__).resolve().parent))
import grammar  # noqa: E402

X = sympy.Symbol("x")
X_REAL = sympy.Symbol("x", real=True)   # for derivatives of abs(…): sign(…), not re/im parts
NAMES = {
    "x": X, "e": sympy.E, "pi": sympy.pi, "oo": sympy.oo, "ln": sympy.log, "log": sympy.log,
    "abs": sympy.Abs, "sqrt": sympy.sqrt, "exp": sympy.exp, "sin": sympy.sin, "cos": sympy.cos,
    "tan": sympy.tan, "cot": sympy.cot, "sec": sympy.sec, "csc": sympy.csc, "asin": sympy.asin,
    "acos": sympy.acos, "atan": sympy.atan, "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
}
TRANSFORMATIONS = standard_transformations + (convert_xor,)
DPS = 60            # working precision of value checks
TOLERANCE = mpmath.mpf(10) ** -30   # relative tolerance of value checks
KNOWN_FAILURES = Path(__file__).resolve().parent / "known-failures.json"
FAILING = {"disagree", "crash"}


# ---------------------------------------------------------------------------------------------
# Parsing and numbers


def to_sympy(text: str) -> sympy.Expr:
    """An engine ASCII expression (`^`, `ln`, `e`, `oo`, `abs`) as a SymPy expression."""
    return parse_expr(text, local_dict=dict(NAMES), global_dict={"Integer": sympy.Integer, "Rational": sympy.Rational,
                      "Float": sympy.Float, "Symbol": sympy.Symbol, "Function": sympy.Function}, transformations=TRANSFORMATIONS)


def realify(expr: sympy.Expr) -> sympy.Expr:
    """The engine's reading of powers: u^(p/q) with q odd is the real q-th root, also for u < 0
    (`x^(1/3)` at -8 is -2), where SymPy's principal branch is complex. Values are compared in
    this reading; SymPy's symbolic work keeps its own."""
    def odd_root(e):
        return e.is_Pow and e.exp.is_Rational and not e.exp.is_Integer and e.exp.q % 2 == 1 and not isinstance(e.base, sympy.Abs)
    return expr.replace(odd_root, lambda e: sympy.sign(e.base) ** e.exp.p * sympy.Abs(e.base) ** e.exp)


def dirac_delta(x, order=0):
    """SymPy's DiracDelta (and its derivatives) where a sample point can be: zero away from
    its argument's root, undefined on it (SymPy's derivatives of |x|^a carry such terms)."""
    if x == 0:
        raise ValueError("DiracDelta at its singular point")
    return mpmath.mpf(0)


def heaviside(x, at_zero=None):
    if x == 0:
        raise ValueError("Heaviside at 0")
    return mpmath.mpf(1) if x > 0 else mpmath.mpf(0)


def mp_function(expr: sympy.Expr):
    """`expr` as a function of one mpmath number; None where it fails, raises or is not finite."""
    f = sympy.lambdify(X, realify(expr), modules=[{"DiracDelta": dirac_delta, "Heaviside": heaviside}, "mpmath"])

    def value(t):
        try:
            v = f(t)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError, ArithmeticError):
            return None
        try:
            v = mpmath.mpmathify(v)
        except (TypeError, ValueError):
            return None
        if not mpmath.isfinite(v):
            return None
        return v
    return value


def real(v):
    """The real number `v` is, or None when it is missing or has an imaginary part."""
    if v is None:
        return None
    if isinstance(v, mpmath.mpc):
        return v.real if v.imag == 0 else None
    return v


def real_diff(expr: sympy.Expr, order: int = 1) -> sympy.Expr:
    """d^order/dx^order with x real (so that abs(u)' = sign(u)·u'), in terms of X again."""
    return sympy.diff(expr.subs(X, X_REAL), X_REAL, order).subs(X_REAL, X)


def sympy_number(value: sympy.Expr):
    """A SymPy constant as an mpmath real at the working precision; None if not real or not finite."""
    number = realify(value).evalf(mpmath.mp.dps + 5)
    re, im = number.as_real_imag()
    if not (re.is_number and im.is_number) or abs(im) > sympy.Float(10) ** -(mpmath.mp.dps - 10):
        return None
    if not re.is_finite:
        return None
    return mpmath.mpf(sympy.Float(re, mpmath.mp.dps + 5))


def close(a, b, tolerance=None) -> bool:
    """Whether two mpmath numbers agree to the relative tolerance."""
    tolerance = TOLERANCE if tolerance is None else tolerance
    return abs(a - b) <= tolerance * max(1, abs(a), abs(b))


def beyond_precision(*values) -> bool:
    """Whether a value is too large to compare at the working precision: e^E is known to a
    relative 10^-k only when E is known to an absolute 10^-k, which takes log10(E) + k digits
    (e^(e^94) at x = 3 in a second derivative of exp(exp(cubic)): three equal formulas
    disagreed in the 20th digit)."""
    return any(v is not None and mpmath.isfinite(v) and v != 0 and mpmath.mag(v) > mpmath.mpf(10) ** (mpmath.mp.dps - 30)
               for v in values)


def sample_points(case_id: str, count: int = 6) -> list:
    """Random real points, `count` in [-3, 3] and `count` in [-1, 1] (where roots of 1 - x² live),
    seeded by the case."""
    r = random.Random(case_id + ":points")
    wide = [mpmath.mpf(r.randint(-3000, 3000)) / 1000 + mpmath.mpf(1) / 7919 for _ in range(count)]
    narrow = [mpmath.mpf(r.randint(-999, 999)) / 1000 + mpmath.mpf(1) / 7919 for _ in range(count)]
    return wide + narrow


class Timeout(BaseException):
    """A SymPy computation ran past its time limit."""


@contextmanager
def time_limit(seconds: float):
    """Raise Timeout inside the block after `seconds` (SIGALRM; SymPy is pure Python)."""
    def handler(signum, frame):
        raise Timeout()
    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def sympy_call(seconds: float, function, *args):
    """(status, value, seconds): status `ok`, `timeout` or `error: …`."""
    started = time.monotonic()
    try:
        with time_limit(seconds):
            value = function(*args)
        return "ok", value, time.monotonic() - started
    except Timeout:
        return "timeout", None, time.monotonic() - started
    except RecursionError:
        return "error: RecursionError", None, time.monotonic() - started
    except Exception as error:  # SymPy raises many kinds; each is a SymPy failure
        return f"error: {type(error).__name__}: {str(error)[:160]}", None, time.monotonic() - started


# ---------------------------------------------------------------------------------------------
# The engine


def run_engine(binary: str, case: grammar.Case, timeout: int) -> dict:
    """`mathfarm solve` on the case: {status: answered|refused|crash, result JSON or error, seconds}."""
    started = time.monotonic()
    try:
        done = subprocess.run([binary, "solve", case.kind, json.dumps(case.input), "--timeout", str(timeout)],
                              capture_output=True, text=True, timeout=timeout + 30)
    except subprocess.TimeoutExpired:
        return {"status": "crash", "error": f"no answer within {timeout + 30} s", "seconds": time.monotonic() - started}
    seconds = time.monotonic() - started
    try:
        document = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"status": "crash", "error": f"exit {done.returncode}: {(done.stdout + done.stderr)[-400:]}", "seconds": seconds}
    if done.returncode == 0:
        return {"status": "answered", "document": document, "seconds": seconds}
    if done.returncode == 2 and "error" in document:
        return {"status": "refused", "label": document["error"].get("code"), "message": document["error"].get("message"), "seconds": seconds}
    return {"status": "crash", "error": f"exit {done.returncode}: {done.stdout[-400:]}", "seconds": seconds}


# ---------------------------------------------------------------------------------------------
# Derivatives


def check_derivative(case: grammar.Case, engine: dict, sympy_timeout: float) -> dict:
    """The engine's derivative against sympy.diff at random points; mpmath.diff decides a mismatch."""
    f = to_sympy(case.input["expression"])
    order = case.input.get("order", 1)
    status, reference, seconds = sympy_call(sympy_timeout, real_diff, f, order)
    out = {"sympy": {"status": "solved" if status == "ok" else status, "seconds": seconds,
                     "result": str(reference) if reference is not None else None}}
    if engine["status"] != "answered":
        return out
    answer = to_sympy(engine["document"]["result"])
    with mpmath.workdps(DPS):
        f_mp, answer_mp = mp_function(f), mp_function(answer)
        reference_mp = mp_function(reference) if reference is not None else None
        checked = 0
        for t in sample_points(case.id):
            if real(f_mp(t)) is None:
                continue
            mine = answer_mp(t)
            theirs = reference_mp(t) if reference_mp else None
            if theirs is None and reference_mp is not None:
                continue  # the derivative is undefined here (e.g. sqrt at 0)
            if theirs is not None and mine is not None and close(mine, theirs):
                checked += 1
                continue
            if beyond_precision(mine, theirs):
                continue
            # A mismatch (or no SymPy): mpmath's numerical derivative decides.
            try:
                numeric = mpmath.diff(lambda s: f_mp(s) if f_mp(s) is not None else mpmath.nan, t, order)
            except (ValueError, ZeroDivisionError):
                numeric = None
            if numeric is None or not mpmath.isfinite(numeric):
                continue
            engine_right = mine is not None and close(mine, numeric, mpmath.mpf(10) ** -20)
            sympy_right = theirs is not None and close(theirs, numeric, mpmath.mpf(10) ** -20)
            where = f"x = {mpmath.nstr(t, 8)}: engine {nstr(mine)}, sympy {nstr(theirs)}, mpmath.diff {nstr(numeric)}"
            if engine_right and not sympy_right:
                return {**out, "verdict": "sympy_wrong" if reference is not None else "sympy_failed", "reason": where}
            return {**out, "verdict": "disagree", "reason": where + ("" if sympy_right else " (neither matches mpmath)")}
    if checked == 0:
        return {**out, "verdict": "agree" if reference is not None and sympy.simplify(answer - reference) == 0 else "unverified",
                "reason": "no sample point where the expression is real and finite"}
    return {**out, "verdict": "agree", "reason": f"equal at {checked} points"}


def nstr(v) -> str:
    """A short printout of an mpmath value or None."""
    return "undefined" if v is None else mpmath.nstr(v, 15)


# ---------------------------------------------------------------------------------------------
# Indefinite integrals


def antiderivative_check(integrand, antiderivative, case_id: str):
    """(ok, points checked, complex points, reason): F' = f at the points where f is real."""
    f_mp = mp_function(integrand)
    F_mp = mp_function(antiderivative)
    dF_mp = mp_function(real_diff(antiderivative))
    checked, complex_points = 0, 0
    for t in sample_points(case_id):
        value = real(f_mp(t))
        if value is None:
            continue
        slope = dF_mp(t)
        if slope is None:
            if F_mp(t) is None:
                continue  # a point the antiderivative's formula excludes (a removable hole)
            return False, checked, complex_points, f"x = {mpmath.nstr(t, 8)}: integrand {nstr(value)}, F' undefined"
        if not close(slope, value, mpmath.mpf(10) ** -25):
            # SymPy differentiates the principal branch (d/dx |x^(2/3) + 1| goes through
            # atan2(0, x) for x < 0) where the engine's odd roots are real: mpmath's numerical
            # derivative of F itself, in the engine's reading, decides.
            try:
                numeric = mpmath.diff(lambda s: F_mp(s) if F_mp(s) is not None else mpmath.nan, t)
            except (ValueError, ZeroDivisionError):
                numeric = None
            if numeric is None or not mpmath.isfinite(numeric) or not close(numeric, value, mpmath.mpf(10) ** -20):
                return False, checked, complex_points, f"x = {mpmath.nstr(t, 8)}: integrand {nstr(value)}, F' = {nstr(slope)}"
        if real(F_mp(t)) is None:
            complex_points += 1
        checked += 1
    return True, checked, complex_points, f"F' = f at {checked} points"


def check_indefinite(case: grammar.Case, engine: dict, sympy_timeout: float) -> dict:
    """Differentiate the engine's antiderivative; SymPy's integrate counts for its solve rate."""
    f = to_sympy(case.input["expression"])
    status, reference, seconds = sympy_call(sympy_timeout, sympy.integrate, f, X)
    sympy_status, sympy_note = status, None
    if status == "ok":
        if reference.has(sympy.Integral):
            sympy_status = "unevaluated"
        else:
            try:
                with mpmath.workdps(DPS):
                    ok, _, _, reason = antiderivative_check(f, reference, case.id)
                sympy_status = "solved" if ok else f"wrong: {reason}"
            except Exception as error:  # e.g. a RootSum, which mpmath cannot evaluate: counted, unchecked
                sympy_status, sympy_note = "solved", f"not checked numerically ({type(error).__name__})"
    out = {"sympy": {"status": sympy_status, "seconds": seconds, "result": str(reference)[:400] if reference is not None else None}}
    if sympy_note:
        out["sympy"]["note"] = sympy_note
    if engine["status"] != "answered":
        return out
    answer = to_sympy(engine["document"]["result"])
    with mpmath.workdps(DPS):
        ok, checked, complex_points, reason = antiderivative_check(f, answer, case.id)
    if not ok:
        return {**out, "verdict": "disagree", "reason": reason}
    if checked == 0:
        return {**out, "verdict": "unverified", "reason": "no sample point where the integrand is real"}
    if complex_points:
        reason += f"; F is not real at {complex_points} of them (a branch without |…|)"
        out["warning"] = "antiderivative not real on part of the integrand's domain"
    return {**out, "verdict": "agree" if sympy_status == "solved" else "sympy_failed", "reason": reason}


# ---------------------------------------------------------------------------------------------
# Definite integrals


def bound(text: str):
    """A bound as a SymPy number (`oo`, `-oo`, `pi/2`, `e`, …)."""
    return to_sympy(text)


def quadrature(f, a, b):
    """mpmath tanh–sinh quadrature at 40 and 60 digits: (value, reliable)."""
    values = []
    for dps in (40, 60):
        with mpmath.workdps(dps):
            f_mp = mp_function(f)
            lo = mpmath.mpf(a.evalf(dps + 5)) if a.is_finite else (mpmath.inf if a > 0 else -mpmath.inf)
            hi = mpmath.mpf(b.evalf(dps + 5)) if b.is_finite else (mpmath.inf if b > 0 else -mpmath.inf)

            def g(t):
                v = real(f_mp(t))
                if v is None:
                    raise ValueError("integrand not real")
                return v
            try:
                value, error = mpmath.quad(g, [lo, hi], error=True, maxdegree=8)
            except (ValueError, ZeroDivisionError, OverflowError):
                return None, False
            values.append((value, error))
    (v40, e40), (v60, e60) = values
    reliable = mpmath.isfinite(v60) and close(v40, v60, mpmath.mpf(10) ** -32) and e60 < mpmath.mpf(10) ** -35 * max(1, abs(v60))
    return v60, reliable


def claimed_decimals(text: str) -> int:
    """How many digits after the decimal point a decimal string claims (scientific notation included)."""
    mantissa, _, exponent = text.lower().partition("e")
    places = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return places - (int(exponent) if exponent else 0)


def digits_true(text: str, value) -> tuple[bool, str]:
    """Every printed digit of `text` is right: |text − value| ≤ one unit in the last place."""
    with mpmath.workdps(DPS):
        printed = mpmath.mpf(text)
        unit = mpmath.mpf(10) ** -claimed_decimals(text)
        error = abs(printed - value)
        ok = error <= unit * (1 + mpmath.mpf(10) ** -6)
        return ok, f"printed {text}, true {mpmath.nstr(value, claimed_decimals(text) + 5)} (error {mpmath.nstr(error, 3)}, unit {mpmath.nstr(unit, 3)})"


def sympy_definite(f, a, b, seconds):
    """SymPy's definite integral: (status, value)."""
    status, value, elapsed = sympy_call(seconds, sympy.integrate, f, (X, a, b))
    if status != "ok":
        return status, None, elapsed
    if value.has(sympy.Integral) or value.free_symbols:
        return "unevaluated", None, elapsed
    if not is_infinite(value):
        with mpmath.workdps(DPS):
            if sympy_number(value) is None:
                return f"complex value {str(value)[:60]}", None, elapsed
    return "solved", value, elapsed


def label_note(f, a, b) -> str | None:
    """Issue 13 wants refusal labels right: a refusal of an integrand that is not real on part of
    the interval should say undefined_on_interval."""
    with mpmath.workdps(30):
        f_mp = mp_function(f)
        lo = sympy_number(a) if a.is_finite else mpmath.mpf(-100)
        hi = sympy_number(b) if b.is_finite else mpmath.mpf(100)
        lo, hi = max(lo, hi - 200), min(hi, lo + 200)
        for i in range(1, 40):
            t = lo + (hi - lo) * (mpmath.mpf(i) + mpmath.mpf(1) / 7) / 40
            if f_mp(t) is not None and real(f_mp(t)) is None:
                return f"the integrand is not real at x = {mpmath.nstr(t, 6)} inside the interval: undefined_on_interval expected"
    return None


def is_infinite(value) -> bool:
    """oo, -oo, zoo, nan or an AccumBounds: SymPy's ways of saying `divergent`."""
    return value.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan, sympy.AccumBounds)


def divergence_evidence(f, points: list[str], a, b):
    """(confirmed, reason): at one of the engine's `divergent_at` points the integrand is at least
    c/|x − p| (|x·f(x)| bounded below at ±oo), the rate that makes an integral diverge."""
    with mpmath.workdps(100):
        f_mp = mp_function(f)
        lo, hi = sympy_number(a) if a.is_finite else -mpmath.inf, sympy_number(b) if b.is_finite else mpmath.inf
        for text in points:
            p = to_sympy(text)
            if p in (sympy.oo, -sympy.oo):
                sign = 1 if p == sympy.oo else -1
                scaled = [real(f_mp(sign * mpmath.mpf(10) ** k)) for k in (8, 16, 32)]
                scaled = [None if v is None else abs(v) * mpmath.mpf(10) ** k for v, k in zip(scaled, (8, 16, 32))]
            else:
                p_mp = sympy_number(p)
                scaled = []
                for side in (1, -1):
                    if not (lo < p_mp + side * mpmath.mpf(10) ** -8 < hi):
                        continue
                    values = [real(f_mp(p_mp + side * mpmath.mpf(10) ** -k)) for k in (8, 16, 32)]
                    scaled = [None if v is None else abs(v) * mpmath.mpf(10) ** -k for v, k in zip(values, (8, 16, 32))]
                    if all(v is not None and v > mpmath.mpf(10) ** -3 for v in scaled):
                        break
            if scaled and all(v is not None and v > mpmath.mpf(10) ** -3 for v in scaled) and scaled[-1] >= scaled[0] / 2:
                return True, f"|f| ≥ c/|x − p| at p = {text} (|x − p|·|f| = {', '.join(mpmath.nstr(v, 4) for v in scaled)})"
    return False, "no non-integrable singularity confirmed at " + ", ".join(points)


def check_definite(case: grammar.Case, engine: dict, sympy_timeout: float) -> dict:
    """The engine's exact value and printed digits against quadrature and SymPy."""
    f = to_sympy(case.input["expression"])
    a, b = bound(case.input["lower"]), bound(case.input["upper"])
    status, theirs, seconds = sympy_definite(f, a, b, sympy_timeout)
    quad, reliable = quadrature(f, a, b)
    with mpmath.workdps(DPS):
        theirs_mp = None
        if theirs is not None and not is_infinite(theirs):
            theirs_mp = sympy_number(theirs)
        if status == "solved" and reliable and theirs_mp is not None and not close(theirs_mp, quad, mpmath.mpf(10) ** -25):
            status = f"wrong: {str(theirs)[:80]} ≈ {nstr(theirs_mp)}, quadrature {nstr(quad)}"
        if status == "solved" and reliable and is_infinite(theirs):
            status = f"wrong: {theirs}, quadrature converges to {nstr(quad)}"
    out = {"sympy": {"status": status, "seconds": seconds, "result": str(theirs)[:300] if theirs is not None else None},
           "quadrature": {"value": nstr(quad) if quad is not None else None, "reliable": reliable}}
    if engine["status"] == "refused" and engine["label"] != "undefined_on_interval":
        note = label_note(f, a, b)
        if note:
            out["label_note"] = note
    if engine["status"] != "answered":
        return out
    document = engine["document"]
    sympy_ok = status == "solved"
    if document.get("kind") == "divergent":
        if sympy_ok and is_infinite(theirs):
            return {**out, "verdict": "agree", "reason": f"divergent; SymPy {theirs}"}
        confirmed, evidence = divergence_evidence(f, document.get("divergent_at") or [], a, b)
        if confirmed:
            return {**out, "verdict": "sympy_wrong" if sympy_ok else "sympy_failed",
                    "reason": f"divergent: {evidence}" + (f"; SymPy's finite {str(theirs)[:80]} is wrong" if sympy_ok else "")}
        if reliable:
            return {**out, "verdict": "disagree", "reason": f"engine: divergent; quadrature converges to {nstr(quad)} at 40 and 60 digits"
                    + (f"; SymPy {theirs}" if sympy_ok else "")}
        if sympy_ok:
            return {**out, "verdict": "disagree", "reason": f"engine: divergent; SymPy {theirs} (quadrature unreliable)"}
        return {**out, "verdict": "sympy_failed", "reason": "divergent; quadrature does not settle either (consistent)"}
    with mpmath.workdps(DPS):
        exact = document.get("exact", True)
        mine = sympy_number(to_sympy(document["result"])) if exact else mpmath.mpf(document["result"])
        reference, source = (quad, "quadrature") if reliable else ((theirs_mp, "SymPy") if theirs_mp is not None else (None, None))
        if reference is None:
            return {**out, "verdict": "sympy_failed" if not sympy_ok else "unverified",
                    "reason": "no reliable reference (quadrature unsettled" + ("" if sympy_ok else ", SymPy failed") + ")"}
        if exact and not close(mine, reference, mpmath.mpf(10) ** -25):
            return {**out, "verdict": "disagree", "reason": f"engine {document['result']} ≈ {nstr(mine)}, {source} {nstr(reference)}"
                    + (f"; SymPy {str(theirs)[:80]}" if sympy_ok else "")}
        decimal = document.get("decimal") or (document["result"] if not exact else None)
        if decimal:
            # An exact value just confirmed is the sharper reference for its own digits.
            ok, why = digits_true(decimal, mine if exact else reference)
            if not ok:
                return {**out, "verdict": "disagree", "reason": f"digits not all true ({source}): {why}"}
    if sympy_ok and theirs_mp is None:
        return {**out, "verdict": "sympy_wrong" if reliable else "disagree",
                "reason": f"engine {document['result']}, SymPy {theirs}, quadrature {nstr(quad)}"}
    verdict = "agree" if sympy_ok else "sympy_failed"
    if status.startswith("wrong"):
        verdict = "sympy_wrong"
    return {**out, "verdict": verdict, "reason": f"value and {document.get('digits')} digits match {source}"}


# ---------------------------------------------------------------------------------------------
# Limits


def numeric_side(f_mp, point, sign: int):
    """f at point + sign·10⁻ᵏ (or sign·10ᵏ at infinity) for growing k: the sequence of values."""
    values = []
    for k in (4, 8, 16, 32, 64):
        if point is None:
            t = sign * mpmath.mpf(10) ** (k // 2 if k > 16 else k)
        else:
            t = point + sign * mpmath.mpf(10) ** -k
        values.append(real(f_mp(t)))
    # Oscillation probe: a few nearby points at the last scale.
    probe = []
    for wiggle in (mpmath.mpf(1) / 3, mpmath.mpf(2) / 7, mpmath.mpf(5) / 11):
        if point is None:
            t = sign * mpmath.mpf(10) ** 32 * (1 + wiggle)
        else:
            t = point + sign * mpmath.mpf(10) ** -64 * (1 + wiggle)
        probe.append(real(f_mp(t)))
    return values, probe


def classify(values, probe):
    """What a sequence of samples shows: ('value', v), ('oo',), ('-oo',), ('dne',), ('undefined',) or ('unknown',)."""
    tail = values[-3:]
    if all(v is None for v in tail):
        return ("undefined",)
    if any(v is None for v in tail) or any(v is None for v in probe):
        return ("unknown",)
    v3, v4, v5 = tail
    if abs(v5) > 10 ** 12 and abs(v4) > 10 ** 6 and v5 * v4 > 0 and abs(v5) > abs(v4):
        return ("oo",) if v5 > 0 else ("-oo",)
    spread = max(abs(p - v5) for p in probe)
    if abs(v5 - v4) <= mpmath.mpf(10) ** -12 * max(1, abs(v5)) and spread <= mpmath.mpf(10) ** -12 * max(1, abs(v5)):
        return ("value", v5)
    if spread > mpmath.mpf(10) ** -2 * max(1, abs(v5)) and abs(v5 - v4) > mpmath.mpf(10) ** -2 * max(1, abs(v5)):
        return ("dne",)
    return ("unknown",)


def numeric_limit(expr, point_text: str, direction: str):
    """The limit as the samples show it, with 200-digit evaluation."""
    with mpmath.workdps(200):
        f_mp = mp_function(expr)
        if point_text in ("oo", "-oo"):
            return classify(*numeric_side(f_mp, None, 1 if point_text == "oo" else -1))
        point = mpmath.mpf(to_sympy(point_text).evalf(210))
        if direction == "+":
            return classify(*numeric_side(f_mp, point, 1))
        if direction == "-":
            return classify(*numeric_side(f_mp, point, -1))
        right = classify(*numeric_side(f_mp, point, 1))
        left = classify(*numeric_side(f_mp, point, -1))
        if right[0] == "undefined":
            return left
        if left[0] == "undefined":
            return right
        if "unknown" in (left[0], right[0]):
            return ("unknown",)
        if left[0] == right[0] == "value":
            return right if close(left[1], right[1], mpmath.mpf(10) ** -10) else ("dne",)
        return right if left[0] == right[0] else ("dne",)


def limit_answer(text: str):
    """An answer as ('value', mpf), ('oo',), ('-oo',) or ('dne',)."""
    if text in ("oo", "-oo"):
        return (text,)
    if text == "does_not_exist":
        return ("dne",)
    with mpmath.workdps(DPS):
        return ("value", sympy_number(to_sympy(text)))


def sympy_answer(value):
    """SymPy's limit in the same shape; None when it is not a number."""
    if value == sympy.oo:
        return ("oo",)
    if value == -sympy.oo:
        return ("-oo",)
    if value.has(sympy.zoo, sympy.nan, sympy.AccumBounds):
        return ("dne",)
    if value.free_symbols or value.has(sympy.Limit):
        return None
    with mpmath.workdps(DPS):
        number = sympy_number(value)
        return None if number is None else ("value", number)


def same(a, b, tolerance=None) -> bool:
    """Two answers in the ('value', v) / ('oo',) … shape are the same."""
    if a is None or b is None or a[0] != b[0]:
        return False
    return a[0] != "value" or close(a[1], b[1], tolerance)


def sympy_limit(f, point_text: str, direction: str, seconds: float):
    """SymPy's limit: (status, answer, raw). A two-sided limit whose sides differ is `dne`."""
    point = to_sympy(point_text)
    if point_text in ("oo", "-oo"):
        arguments = (f, X, point)
    else:
        arguments = (f, X, point, {"+": "+", "-": "-", "both": "+-"}[direction])
    status, value, elapsed = sympy_call(seconds, sympy.limit, *arguments)
    if status.startswith("error: ValueError") and "does not exist" in status:
        return "solved", ("dne",), "does not exist (sides differ)", elapsed
    if status != "ok":
        return status, None, None, elapsed
    answer = sympy_answer(value)
    return ("solved" if answer else "unevaluated"), answer, str(value), elapsed


def check_limit(case: grammar.Case, engine: dict, sympy_timeout: float) -> dict:
    """The engine's limit against SymPy; numeric samples decide when they differ or SymPy fails."""
    f = to_sympy(case.input["expression"])
    point, direction = case.input["point"], case.input["direction"]
    status, theirs, raw, seconds = sympy_limit(f, point, direction, sympy_timeout)
    out = {"sympy": {"status": status, "seconds": seconds, "result": raw}}
    if engine["status"] != "answered":
        return out
    mine = limit_answer(engine["document"]["result"])
    if same(mine, theirs):
        return {**out, "verdict": "agree", "reason": f"both {engine['document']['result']}"}
    numeric = numeric_limit(f, point, direction)
    out["numeric"] = describe(numeric)
    tolerance = mpmath.mpf(10) ** -8
    engine_right, sympy_right = same(mine, numeric, tolerance), same(theirs, numeric, tolerance)
    summary = f"engine {engine['document']['result']}, SymPy {raw if theirs else status}, samples {describe(numeric)}"
    if theirs is None:
        if numeric[0] == "unknown" or engine_right:
            return {**out, "verdict": "sympy_failed", "reason": summary + ("" if engine_right else " (unverified)")}
        return {**out, "verdict": "disagree", "reason": summary}
    if engine_right and not sympy_right:
        return {**out, "verdict": "sympy_wrong", "reason": summary}
    return {**out, "verdict": "disagree", "reason": summary + ("" if numeric[0] != "unknown" else " (samples undecided)")}


def describe(answer) -> str:
    """A printable answer shape."""
    if answer is None:
        return "none"
    if answer[0] == "value":
        return mpmath.nstr(answer[1], 20)
    return {"oo": "oo", "-oo": "-oo", "dne": "does_not_exist"}.get(answer[0], answer[0])


# ---------------------------------------------------------------------------------------------
# Running a case, the corpus and the report


# ---------------------------------------------------------------------------------------------
# Polynomial equations


def engine_value(text: str):
    """A root the engine printed (exact text or certified decimal, maybe with I) at DPS digits."""
    if re.fullmatch(r"-?[0-9]+\.[0-9]+", text):
        return sympy.Rational(text)  # every printed digit, exactly
    return sympy.N(to_sympy(text.replace("I", "(I_)")).subs(sympy.Symbol("I_"), sympy.I), DPS)


def check_polynomial_equation(case: grammar.Case, engine: dict, sympy_timeout: float) -> dict:
    """Points by value against SymPy's exact real roots (CRootOf, evaluated at DPS digits), with
    multiplicities; complex roots against all_roots; a certified decimal must have every printed
    digit true. SymPy's own answer (solveset over the reals, timed) is compared the same way."""
    left, right = case.input["equation"].split("=")
    p = sympy.expand(to_sympy(left) - to_sympy(right))
    complex_domain = case.input.get("domain") == "complex"
    status, answer, seconds = sympy_call(sympy_timeout, sympy.solveset, p, X, sympy.S.Complexes if complex_domain else sympy.S.Reals)
    out = {"sympy": {"status": "solved" if status == "ok" and isinstance(answer, sympy.FiniteSet) or answer in (sympy.S.EmptySet, sympy.S.Reals, sympy.S.Complexes) else ("failed" if status == "ok" else status),
                     "seconds": seconds, "result": str(answer)[:300] if answer is not None else None}}
    if engine["status"] != "answered":
        return out
    document = engine["document"]
    kind = document["solution_set"]["kind"]
    if p == 0:
        return {**out, "verdict": "agree" if kind == "all_reals" else "disagree", "reason": f"identity; engine {kind}"}
    poly = sympy.Poly(p, X)
    if poly.degree() == 0:
        return {**out, "verdict": "agree" if kind == "empty" else "disagree", "reason": f"non-zero constant; engine {kind}"}
    with mpmath.workdps(DPS):
        reference = {}
        for root in poly.all_roots():
            value = sympy.N(root, DPS)
            reference.setdefault(value, 0)
            reference[value] += 1
        real_reference = sorted((v for v in reference if abs(sympy.im(v)) < 10 ** -(DPS // 2)), key=lambda v: sympy.re(v))
        complex_reference = [v for v in reference if v not in real_reference]

        def matches(value, pool, decimal_places=None) -> object | None:
            for candidate in pool:
                gap = abs(sympy.N(value - candidate, DPS))
                limit = sympy.Rational(1, 2) * sympy.Rational(10) ** -decimal_places * 1.000001 if decimal_places is not None else max(abs(candidate), 1) * sympy.Rational(10) ** -30
                if gap <= limit:
                    return candidate
            return None

        roots = document.get("roots", [])
        points = document["solution_set"].get("points", [])
        real_points = points[:len(roots)]
        if len(real_points) != len(real_reference):
            return {**out, "verdict": "disagree", "reason": f"{len(real_points)} real roots, SymPy {len(real_reference)}"}
        for root, expected in zip(roots, real_reference):
            value = engine_value(root["value"])
            places = None if root["exact"] else claimed_decimals(root["value"])
            if matches(value, [expected], places) is None:
                return {**out, "verdict": "disagree", "reason": f"root {root['value']} ≈ {nstr(value)}, SymPy {nstr(expected)}"}
            if root["multiplicity"] != reference[expected]:
                return {**out, "verdict": "disagree", "reason": f"root {root['value']}: multiplicity {root['multiplicity']}, SymPy {reference[expected]}"}
        listed = points[len(roots):] if complex_domain else document.get("complex_roots", [])
        if complex_domain and len(set(listed)) != len(complex_reference):
            return {**out, "verdict": "disagree", "reason": f"{len(listed)} complex roots, SymPy {len(complex_reference)}"}
        for text in listed:
            if matches(engine_value(text), complex_reference) is None:
                return {**out, "verdict": "disagree", "reason": f"complex root {text} is not a root"}
        if document.get("exact") != all(r["exact"] for r in roots):
            return {**out, "verdict": "disagree", "reason": "exact flag does not match the roots"}
    return {**out, "verdict": "agree", "reason": f"{len(real_points)} real and {len(listed)} complex roots by value"}


# ---------------------------------------------------------------------------------------------
# Inequalities


def numeric_pieces(set_value) -> list:
    """A SymPy set of reals as sorted (lower, upper, lower_closed, upper_closed) at DPS digits."""
    pieces = []
    parts = set_value.args if isinstance(set_value, sympy.Union) else (set_value,)
    for part in parts:
        if part is sympy.S.EmptySet:
            continue
        if isinstance(part, sympy.FiniteSet):
            for p in part:
                v = sympy.N(p, DPS)
                pieces.append((v, v, True, True))
        elif isinstance(part, sympy.Interval):
            lo = sympy.N(part.start, DPS) if part.start.is_finite else -sympy.oo
            hi = sympy.N(part.end, DPS) if part.end.is_finite else sympy.oo
            pieces.append((lo, hi, not part.left_open and part.start.is_finite, not part.right_open and part.end.is_finite))
        elif part is sympy.S.Reals:
            pieces.append((-sympy.oo, sympy.oo, False, False))
        else:
            raise ValueError(f"unexpected part {part}")
    return sorted(pieces, key=lambda p: (p[0], p[1]))


def engine_pieces(solution_set: dict) -> list:
    """The engine's solution_set in the same form; certified decimals read exactly."""
    def value(text):
        if text == "oo":
            return sympy.oo
        if text == "-oo":
            return -sympy.oo
        return engine_value(text)
    kind = solution_set["kind"]
    if kind == "all_reals":
        return [(-sympy.oo, sympy.oo, False, False)]
    pieces = [(value(i["lower"]), value(i["upper"]), i["lower_closed"], i["upper_closed"]) for i in solution_set.get("intervals", [])]
    pieces += [(value(p), value(p), True, True) for p in solution_set.get("points", [])]
    return sorted(pieces, key=lambda p: (p[0], p[1]))


def same_end(a, b, places) -> bool:
    if a in (sympy.oo, -sympy.oo) or b in (sympy.oo, -sympy.oo):
        return a == b
    limit = sympy.Rational(1, 2) * sympy.Rational(10) ** -places * 1.000001 if places is not None else max(abs(b), 1) * sympy.Rational(10) ** -30
    return abs(sympy.N(a - b, DPS)) <= limit


def sign_reference(relation) -> list:
    """The solution set of `f ⋚ 0` from SymPy's real roots (CRootOf at DPS digits) of f's
    numerator and denominator, with f's sign decided exactly at a rational point of each gap."""
    f = relation.lhs
    numerator, denominator = sympy.fraction(sympy.together(f))
    points = {}
    for polynomial, is_pole in ((numerator, False), (denominator, True)):
        if polynomial.free_symbols:
            for root in sympy.Poly(polynomial, X_REAL).real_roots():
                value = sympy.N(root, DPS)
                key = next((k for k in points if abs(k - value) < sympy.Rational(10) ** -(DPS // 2)), value)
                points[key] = points.get(key, False) or is_pole
    ordered = sorted(points)
    def holds_at(t) -> bool:
        return bool(relation.func(f.subs(X_REAL, t), 0))
    def rational_between(a, b):
        if a == -sympy.oo and b == sympy.oo:
            return sympy.Integer(0)
        if a == -sympy.oo:
            return sympy.floor(b) - 1
        if b == sympy.oo:
            return sympy.ceiling(a) + 1
        return sympy.Rational(str(sympy.N((a + b) / 2, DPS)))
    ends = [-sympy.oo] + ordered + [sympy.oo]
    segment = [holds_at(rational_between(a, b)) for a, b in zip(ends, ends[1:])]
    strict = relation.func in (sympy.Lt, sympy.Gt)
    point_in = [not points[p] and not strict for p in ordered]
    pieces, lower = [], None
    for index in range(len(ordered) + 1):
        if segment[index] and lower is None:
            lower = (-sympy.oo, False) if index == 0 else (ordered[index - 1], point_in[index - 1])
        if index == len(ordered):
            break
        if lower is not None:
            if point_in[index] and segment[index + 1]:
                continue
            pieces.append((lower[0], ordered[index], lower[1], point_in[index]))
            lower = None
        elif point_in[index] and not segment[index + 1]:
            pieces.append((ordered[index], ordered[index], True, True))
    if lower is not None:
        pieces.append((lower[0], sympy.oo, lower[1], False))
    return sorted(pieces, key=lambda p: (p[0], p[1]))


def check_inequality(case: grammar.Case, engine: dict, sympy_timeout: float) -> dict:
    """The engine's set against SymPy's solve_univariate_inequality, piece by piece: the same
    number of intervals and isolated points, ends equal by value (certified decimals to their
    printed digits), the same closedness."""
    text = case.input["inequality"]
    match = re.search(r"(<=|>=|<|>)", text)
    relation = match.group(1)
    left, right = to_sympy(text[:match.start()]).subs(X, X_REAL), to_sympy(text[match.end():]).subs(X, X_REAL)
    expression = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge}[relation](left - right, 0)
    status, answer, seconds = sympy_call(sympy_timeout, lambda e: sympy.solve_univariate_inequality(e, X_REAL, relational=False), expression)
    out = {"sympy": {"status": "solved" if status == "ok" else status, "seconds": seconds, "result": str(answer)[:300] if answer is not None else None}}
    if engine["status"] != "answered":
        return out
    document = engine["document"]
    with mpmath.workdps(DPS):
        if status == "ok":
            reference = numeric_pieces(answer)
        else:
            # solve_univariate_inequality gave up (an irreducible quartic, say): build the
            # reference from SymPy's exact real roots and exact signs at rational test points.
            reference = sign_reference(expression)
            out["sympy"]["status"] = "failed"
        mine = engine_pieces(document["solution_set"])
        exact = document.get("exact", True)
        places = None
        if not exact:
            places = min((claimed_decimals(p) for p in document["sign_chart"]["points"] if re.fullmatch(r"-?[0-9]+\.[0-9]+", p)), default=None)
        if len(mine) != len(reference):
            return {**out, "verdict": "disagree", "reason": f"{len(mine)} pieces, SymPy {len(reference)}: engine {document['solution_set']}"}
        for (a_lo, a_hi, a_lc, a_hc), (b_lo, b_hi, b_lc, b_hc) in zip(mine, reference):
            if not (same_end(a_lo, b_lo, places) and same_end(a_hi, b_hi, places)):
                return {**out, "verdict": "disagree", "reason": f"piece ({sympy.N(a_lo, 15)}, {sympy.N(a_hi, 15)}) vs SymPy ({sympy.N(b_lo, 15)}, {sympy.N(b_hi, 15)})"}
            if (a_lc, a_hc) != (b_lc, b_hc):
                return {**out, "verdict": "disagree", "reason": f"closedness {(a_lc, a_hc)} vs SymPy {(b_lc, b_hc)} at ({sympy.N(a_lo, 15)}, {sympy.N(a_hi, 15)})"}
    return {**out, "verdict": "agree", "reason": f"{len(mine)} piece(s) equal by value and closedness"}


# ---------------------------------------------------------------------------------------------
# Extrema on an interval


def equal_value(a, b) -> bool:
    """Two real numbers equal to 30 significant digits (at DPS working digits)."""
    return abs(sympy.N(a - b, DPS)) <= max(abs(sympy.N(b, DPS)), 1) * sympy.Rational(10) ** -30


def check_extrema(case: grammar.Case, engine: dict, sympy_timeout: float) -> dict:
    """The engine's maximum and minimum against SymPy's `maximum`/`minimum` on the interval (by
    value at DPS digits), and the points where it says they are reached: f there must equal the
    extremum, and every candidate with that value must be listed."""
    f = to_sympy(case.input["function"]).subs(X, X_REAL)
    a, b = sympy.Rational(case.input["lower"]), sympy.Rational(case.input["upper"])
    interval = sympy.Interval(a, b)
    status, answer, seconds = sympy_call(sympy_timeout, lambda g: (sympy.maximum(g, X_REAL, interval), sympy.minimum(g, X_REAL, interval)), f)
    out = {"sympy": {"status": "solved" if status == "ok" else status, "seconds": seconds, "result": str(answer)[:300] if answer is not None else None}}
    if engine["status"] != "answered":
        return out
    document = engine["document"]
    with mpmath.workdps(DPS):
        def at(point_text):
            return sympy.N(f.subs(X_REAL, engine_value(point_text)), DPS)
        candidates = [(c["x"], engine_value(c["value"])) for c in document["candidates"]]
        for x_text, value in candidates:
            if not equal_value(value, at(x_text)):
                return {**out, "verdict": "disagree", "reason": f"f({x_text}) = {sympy.N(at(x_text), 15)}, engine {sympy.N(value, 15)}"}
        for key, pick in (("max", max), ("min", min)):
            claimed = engine_value(document[key]["value"])
            if status == "ok":
                reference = sympy.N(answer[0] if key == "max" else answer[1], DPS)
                if not equal_value(claimed, reference):
                    return {**out, "verdict": "disagree", "reason": f"{key} {sympy.N(claimed, 15)}, SymPy {sympy.N(reference, 15)}"}
            listed = set(document[key]["at"])
            expected = {x for x, v in candidates if equal_value(v, claimed)}
            if listed != expected:
                return {**out, "verdict": "disagree", "reason": f"{key} reached at {sorted(listed)}, candidates say {sorted(expected)}"}
            if not equal_value(pick((v for _, v in candidates), key=lambda v: float(v)), claimed):
                return {**out, "verdict": "disagree", "reason": f"{key} is not the {key} of the candidates"}
    if status != "ok":
        return {**out, "verdict": "agree", "reason": "values checked at every candidate; SymPy gave no extremum"}
    return {**out, "verdict": "agree", "reason": "max and min equal SymPy's by value, points checked"}


CHECKERS = {
    "extrema_on_interval": check_extrema,
    "inequality": check_inequality,
    "polynomial_equation": check_polynomial_equation,
    "derivative": check_derivative,
    "indefinite_integral": check_indefinite,
    "definite_integral": check_definite,
    "limit": check_limit,
}


def load_known_failures() -> dict:
    """known-failures.json as {(kind, canonical input JSON): reason}."""
    if not KNOWN_FAILURES.exists():
        return {}
    entries = json.loads(KNOWN_FAILURES.read_text())["failures"]
    return {(e["kind"], json.dumps(e["input"], sort_keys=True)): e["reason"] for e in entries}


def run_case(arguments: tuple) -> dict:
    """Run the engine and SymPy on one case and classify it (in a pool worker)."""
    case, binary, engine_timeout, sympy_timeout = arguments
    engine = run_engine(binary, case, engine_timeout)
    record = {"id": case.id, "kind": case.kind, "family": case.family, "input": case.input,
              "engine": {k: v for k, v in engine.items() if k != "document"}}
    if engine["status"] == "answered":
        document = engine["document"]
        record["engine"]["result"] = document.get("result")
        for key in ("decimal", "kind", "exact", "digits"):
            if key in document:
                record["engine"][key] = document[key]
    try:
        checked = CHECKERS[case.kind](case, engine, sympy_timeout)
    except Exception as error:  # a checker bug or an unparsable engine result: visible, failing
        checked = {"sympy": {"status": "not run"}, "verdict": "disagree", "reason": f"checker error: {type(error).__name__}: {error}"}
    record.update(checked)
    if record.get("verdict") == "sympy_wrong" and record["sympy"]["status"] == "solved":
        record["sympy"]["status"] = "wrong"
    if engine["status"] == "refused":
        record["verdict"] = "refused"
        record["reason"] = engine["label"]
    elif engine["status"] == "crash":
        record["verdict"] = "crash"
        record["reason"] = engine["error"]
    return record


def summarize(records: list[dict]) -> dict:
    """Per problem type: cases, engine solved, SymPy solved, and each verdict's count."""
    table = {}
    for r in records:
        row = table.setdefault(r["kind"], {"cases": 0, "engine_solved": 0, "sympy_solved": 0, "agree": 0, "refused": 0,
                                           "sympy_failed": 0, "sympy_wrong": 0, "unverified": 0, "disagree": 0,
                                           "known_failure": 0, "crash": 0, "label_note": 0,
                                           "engine_seconds": 0.0})
        row["cases"] += 1
        row["engine_solved"] += r["engine"]["status"] == "answered" and r["verdict"] not in FAILING | {"known_failure"}
        row["sympy_solved"] += r["sympy"]["status"] == "solved"
        row[r["verdict"]] += 1
        row["label_note"] += "label_note" in r
        row["engine_seconds"] += r["engine"].get("seconds", 0)
    return table


def print_table(table: dict) -> None:
    """The per-type table on standard output."""
    columns = ["cases", "engine_solved", "sympy_solved", "agree", "refused", "sympy_failed", "sympy_wrong",
               "unverified", "disagree", "known_failure", "crash", "label_note"]
    print(f"{'type':<22}" + "".join(f"{c:>14}" for c in columns))
    for kind, row in table.items():
        print(f"{kind:<22}" + "".join(f"{row[c]:>14}" for c in columns))
    print("engine_solved counts answers that were not found wrong; sympy_solved counts SymPy answers "
          "(checked by value where a reference exists).")


def markdown_table(table: dict) -> str:
    """The per-type table as Markdown, solve rates in percent (for the note)."""
    lines = ["| type | cases | engine solved | SymPy solved | agree | engine refused | SymPy failed | SymPy wrong | disagree (incl. known) | label notes |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for kind, row in table.items():
        n = row["cases"]
        lines.append(f"| {kind} | {n} | {row['engine_solved']} ({100 * row['engine_solved'] / n:.1f}%) | "
                     f"{row['sympy_solved']} ({100 * row['sympy_solved'] / n:.1f}%) | {row['agree']} | {row['refused']} | "
                     f"{row['sympy_failed']} | {row['sympy_wrong']} | {row['disagree'] + row['known_failure']} | {row['label_note']} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.environ.get("MATHFARM_BIN"), help="the mathfarm executable")
    parser.add_argument("--cases", type=int, default=int(os.environ.get("ORACLE_CASES", 60)), help="cases per problem type")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("ORACLE_SEED", 1)))
    parser.add_argument("--kinds", default=",".join(grammar.KINDS))
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("ORACLE_JOBS", os.cpu_count() or 1)))
    parser.add_argument("--engine-timeout", type=int, default=10)
    parser.add_argument("--sympy-timeout", type=float, default=float(os.environ.get("ORACLE_SYMPY_TIMEOUT", 8)))
    parser.add_argument("--report", default=os.environ.get("ORACLE_REPORT", ".build/oracle/report.json"))
    parser.add_argument("--case", action="append", help="run only this case id (kind:seed:index); repeatable")
    parser.add_argument("--verbose", action="store_true", help="print every case")
    options = parser.parse_args()
    if not options.binary:
        parser.error("no mathfarm binary: pass --binary or set MATHFARM_BIN")

    if options.case:
        cases = [grammar.generate(k, int(i), int(s)) for k, s, i in (c.split(":") for c in options.case)]
    else:
        cases = grammar.corpus(options.kinds.split(","), options.cases, options.seed)
    known = load_known_failures()
    started = time.monotonic()
    work = [(c, options.binary, options.engine_timeout, options.sympy_timeout) for c in cases]
    with multiprocessing.get_context("fork").Pool(options.jobs, maxtasksperchild=25) as pool:
        records = []
        for record in pool.imap(run_case, work):
            key = (record["kind"], json.dumps(record["input"], sort_keys=True))
            if record["verdict"] in FAILING and key in known:
                record["verdict"], record["known_reason"] = "known_failure", known[key]
            records.append(record)
            if len(records) % 100 == 0:
                print(f"... {len(records)}/{len(work)} cases, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
            if options.verbose or record["verdict"] in FAILING | {"known_failure", "sympy_wrong"}:
                print(f"[{record['verdict']}] {record['id']} {json.dumps(record['input'])}\n    engine: "
                      f"{record['engine'].get('result') or record['engine'].get('label') or record['engine'].get('error')}"
                      f" | {record.get('reason', '')}", flush=True)
    elapsed = time.monotonic() - started
    seen = {(r["kind"], json.dumps(r["input"], sort_keys=True)) for r in records if r["verdict"] == "known_failure"}
    table = summarize(records)
    print_table(table)
    print(f"{len(records)} cases in {elapsed:.1f} s (seed {options.seed}, {options.jobs} jobs)")
    report = Path(options.report)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps({"seed": options.seed, "cases_per_type": options.cases, "seconds": elapsed,
                                  "versions": {"sympy": sympy.__version__, "mpmath": mpmath.__version__},
                                  "table": table, "records": records}, indent=1, default=str))
    report.with_suffix(".md").write_text(markdown_table(table))
    print(f"report: {report} (table: {report.with_suffix('.md')})")
    failures = [r for r in records if r["verdict"] in FAILING]
    if failures:
        print(f"FAILED: {len(failures)} unexplained disagreement(s) or crash(es); see above and the report")
        return 1
    if seen:
        print(f"{len(seen)} known failure(s) still present (Tests/Oracle/known-failures.json)")
    fixed = [r["id"] for r in records if (r["kind"], json.dumps(r["input"], sort_keys=True)) in known and r["verdict"] != "known_failure"]
    if fixed:
        print(f"listed in known-failures.json but no longer failing (remove them): {', '.join(fixed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

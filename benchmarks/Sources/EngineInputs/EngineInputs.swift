import ExactMath

/// SplitMix64, reproduced bit for bit by compare.py, so Swift, SymPy and FLINT see the same
/// matrices.
public struct SplitMix64 {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An integer in low...high (modulo bias is irrelevant here; compare.py does the same).
    public mutating func integer(_ low: Int, _ high: Int) -> Int {
        low + Int(next() % UInt64(high - low + 1))
    }

    /// A signed integer of exactly `digits` digits.
    public mutating func bigInteger(digits: Int) -> BigInt {
        var text = String(integer(1, 9))
        for _ in 1..<digits { text += String(integer(0, 9)) }
        let sign = integer(0, 1) == 0 ? "-" : ""
        return BigInt(sign + text) ?? .zero
    }
}

public enum EngineInputs {
    /// n×n matrix and right-hand side with entries in [-1000, 1000] (or `digits`-digit entries).
    public static func system(n: Int, digits: Int? = nil, seed: UInt64 = 2026) -> LinearSystem {
        var random = SplitMix64(seed: seed &+ UInt64(n) &* 1000 &+ UInt64(digits ?? 0))
        func entry() -> Rational {
            if let digits { return Rational(random.bigInteger(digits: digits)) }
            return Rational(random.integer(-1000, 1000))
        }
        let matrix = (0..<n).map { _ in (0..<n).map { _ in entry() } }
        let rhs = (0..<n).map { _ in entry() }
        return LinearSystem(matrix: matrix, rhs: rhs)
    }

    /// The representative expression set (also in compare.py).
    public static let derivatives = [
        "x^3*sin(x)", "e^(2x)*cos(3x)", "ln(x^2 + 1)/x", "x^ln(x)", "atan(x/2)*sqrt(x^2 + 1)", "tan(x)^3 - sec(x)",
        "(x^2 + 1)/(x^3 - 2x + 5)", "sin(cos(tan(x)))",
    ]

    /// `k*(text)` for k = 3 … 302: one expression per request, none seen twice (also in compare.py).
    public static func distinctVariants(of text: String) -> [String] {
        (3...302).map { "\($0)*(\(text))" }
    }

    public static let integrals = [
        "x^3*e^(2x)", "(x^2 + 2x)/(x^3 + 3x^2 + 1)", "sin(x)^4*cos(x)", "1/(x^4 - 1)", "x^2*sin(x)", "e^x*sin(2x)",
        "sqrt(4 - x^2)", "sec(x)^3", "x*ln(x)", "1/(2 + cos(x))", "(3x + 5)/(x^2 + 2x - 3)", "x*atan(x)",
    ]

    /// Polynomial equations of the new `polynomial_equation` type: rational roots with
    /// multiplicities, surds, a biquadratic, Cardano's one- and three-real-root cubics, and an
    /// irreducible quintic (certified decimals). compare.py times SymPy's solveset on the same.
    public static let polynomialEquations = [
        "x^3 - 6x^2 + 11x - 6 = 0", "2x^4 - 5x^3 - 5x^2 + 5x + 3 = 0", "x^4 = 5x^2 - 4", "x^2 - x - 1 = 0",
        "(x - 1)^3*(2x + 1)^2 = 0", "x^3 - 2 = 0", "x^3 - 3x + 1 = 0", "x^4 - 10x^2 + 1 = 0",
        "x^5 - x - 1 = 0", "3x^4 + 7x^2 - 8 = 0", "x^6 - 1 = 0", "x^3 + x^2 + x + 1 = 0",
    ]

    /// Inequalities of the `inequality` type: polynomial (odd and even multiplicities, surd
    /// ends) and rational; compare.py times SymPy's solve_univariate_inequality on the same.
    public static let inequalities = [
        "x^2 - 3x + 2 > 0", "x^3 - 4x < 0", "(x - 1)/(x + 2) >= 0", "(x - 1)^2*(x + 2) >= 0", "x^2 - 2 >= 0",
        "(x^2 - 1)/(x - 1) >= 0", "x^4 - 5x^2 + 4 <= 0", "1/x < 1", "(2x + 1)/(x^2 - 4) <= 0", "x^3 - 2 > 0",
    ]

    /// Extrema on an interval (function, a, b): rational and surd critical points, a rational function.
    public static let extrema: [(String, String, String)] = [
        ("x^3 - 3x + 1", "0", "2"), ("x^4 - 2x^2 + 3", "-2", "3"), ("x^3 - 6x", "0", "3"), ("(x^2 + 3)/(x - 1)", "2", "5"),
        ("x^4 - 4x^3 + 2", "-1", "4"), ("2x^3 - 3x^2 - 12x + 1", "-2", "3"), ("x^3 - 3x^2 + 1", "-1", "3"), ("(2x + 1)/(x^2 + 2)", "-3", "3"),
    ]
}

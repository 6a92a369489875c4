import ExactMath

/// ∫ polynomials times exp, sin, cos, sinh or cosh of one polynomial p with deg p ≥ 2 —
/// decided, not guessed. By the Risch structure theorem an elementary antiderivative of q·e^p
/// can only be r·e^p with r a polynomial solving r' + p'·r = q, and one of qₛ·sin p + q꜀·cos p
/// only A·sin p + B·cos p with polynomials solving A' − p'·B = qₛ, B' + p'·A = q꜀ (sinh and
/// cosh are two exponentials). Such polynomials are found by exact linear algebra over Q or
/// shown not to exist. So (2x² + 1)·e^(x²) integrates to x·e^(x²) and cos(x²) − 2x²·sin(x²) to
/// x·cos(x²), while x²·e^(x²) is proved to have no elementary antiderivative — the claim
/// `NonElementaryIntegrands` makes for this family rests on this decision.
enum PolynomialKernelIntegration {
    /// e^p, sinh p, cosh p are the exponential family (in e^p and e^(−p)); sin p, cos p the
    /// trigonometric one.
    enum Family: Sendable, Equatable {
        case exponential, trigonometric
    }

    /// Σ of polynomial × kernel terms over one family and one p: for the exponential family
    /// `first`·e^p + `second`·e^(−p), for the trigonometric one `first`·sin p + `second`·cos p.
    struct Form {
        var family: Family
        var p: Polynomial
        var first: Polynomial
        var second: Polynomial
    }

    static let maxDegree = 24

    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        guard let form = form(of: f, integrator.variable) else { return nil }
        do { try integrator.deadline?.check() } catch { throw .timeout }
        guard let result = antiderivative(form, integrator.variable) else { return nil }
        integrator.record(.polynomialKernel, f, result)
        return result
    }

    /// The form of `f` (a product, or a sum of products, over one family and one p), deg p ≥ 2.
    static func form(of f: Expr, _ variable: String) -> Form? {
        var gathered: Form?
        for term in f.terms {
            var kernel: (ElementaryKernel, Polynomial)?
            var others: [Expr] = []
            for factor in term.factors {
                if let found = kernelOf(factor, variable) {
                    guard kernel == nil else { return nil }
                    kernel = found
                } else {
                    others.append(factor)
                }
            }
            guard let (k, p) = kernel, p.degree >= 2, let q = Polynomial.from(.mul(others), variable, maxDegree: maxDegree) else { return nil }
            var form = gathered ?? Form(family: k.family, p: p, first: .zero, second: .zero)
            guard form.family == k.family, form.p == p else { return nil }
            let half = q.scaled(Rational(1, 2))
            switch k {
            case .exp: form.first = form.first + q
            case .sinh: form.first = form.first + half; form.second = form.second - half
            case .cosh: form.first = form.first + half; form.second = form.second + half
            case .sin: form.first = form.first + q
            case .cos: form.second = form.second + q
            }
            gathered = form
        }
        return gathered
    }

    enum ElementaryKernel {
        case exp, sinh, cosh, sin, cos
        var family: Family { self == .sin || self == .cos ? .trigonometric : .exponential }
    }

    /// e^p, sin p, cos p, sinh p, cosh p with p a polynomial in x.
    static func kernelOf(_ factor: Expr, _ variable: String) -> (ElementaryKernel, Polynomial)? {
        switch factor {
        case .power(.constant(.e), let exponent):
            return Polynomial.from(exponent, variable, maxDegree: maxDegree).map { (.exp, $0) }
        case .function(let function, let argument):
            let kernel: ElementaryKernel
            switch function {
            case .sin: kernel = .sin
            case .cos: kernel = .cos
            case .sinh: kernel = .sinh
            case .cosh: kernel = .cosh
            default: return nil
            }
            return Polynomial.from(argument, variable, maxDegree: maxDegree).map { (kernel, $0) }
        default:
            return nil
        }
    }

    /// The elementary antiderivative, or nil when there is none.
    static func antiderivative(_ form: Form, _ variable: String) -> Expr? {
        let p = form.p.expression(in: variable)
        switch form.family {
        case .exponential:
            guard let up = exponentialFactor(form.first, form.p),
                  let down = exponentialFactor(form.second, form.p.scaled(Rational(-1))) else { return nil }
            if down.isZero { return up.expression(in: variable) * .exp(p) }
            if up.isZero { return down.expression(in: variable) * .exp(-p) }
            // u·e^p + d·e^(−p) = (u + d)·cosh p + (u − d)·sinh p.
            return (up + down).expression(in: variable) * .apply(.cosh, p) + (up - down).expression(in: variable) * .apply(.sinh, p)
        case .trigonometric:
            guard let (a, b) = trigFactors(sine: form.first, cosine: form.second, form.p) else { return nil }
            return a.expression(in: variable) * .apply(.sin, p) + b.expression(in: variable) * .apply(.cos, p)
        }
    }

    /// r with r' + p'·r = q (deg r ≤ deg q − deg p + 1), or nil when there is none.
    static func exponentialFactor(_ q: Polynomial, _ p: Polynomial) -> Polynomial? {
        if q.isZero { return .zero }
        let n = q.degree - p.degree + 1
        guard n >= 0 else { return nil }
        let dp = p.derivative
        let columns = (0...n).map { k in Polynomial.x.power(k).derivative + dp * Polynomial.x.power(k) }
        let rows = max(q.degree, n + dp.degree) + 1
        let matrix = (0..<rows).map { power in columns.map { $0[power] } }
        return solve(matrix: matrix, rhs: (0..<rows).map { q[$0] }).map(Polynomial.init)
    }

    /// (A, B) with (A·sin p + B·cos p)' = qₛ·sin p + q꜀·cos p, i.e. A' − p'·B = qₛ and
    /// B' + p'·A = q꜀, or nil when there are none.
    static func trigFactors(sine: Polynomial, cosine: Polynomial, _ p: Polynomial) -> (Polynomial, Polynomial)? {
        let n = max(0, max(sine.degree, cosine.degree) - p.degree + 1)
        let dp = p.derivative
        // Unknowns A₀…Aₙ then B₀…Bₙ; each column's image as (sin part, cos part).
        var sinParts: [Polynomial] = []
        var cosParts: [Polynomial] = []
        for k in 0...n {  // A = x^k: k·x^(k−1)·sin p + p'·x^k·cos p
            sinParts.append(Polynomial.x.power(k).derivative)
            cosParts.append(dp * Polynomial.x.power(k))
        }
        for k in 0...n {  // B = x^k: −p'·x^k·sin p + k·x^(k−1)·cos p
            sinParts.append((dp * Polynomial.x.power(k)).scaled(Rational(-1)))
            cosParts.append(Polynomial.x.power(k).derivative)
        }
        let rows = max(max(sine.degree, cosine.degree), n + dp.degree) + 1
        var matrix: [[Rational]] = []
        var rhs: [Rational] = []
        for power in 0..<rows {
            matrix.append(sinParts.map { $0[power] })
            rhs.append(sine[power])
        }
        for power in 0..<rows {
            matrix.append(cosParts.map { $0[power] })
            rhs.append(cosine[power])
        }
        guard let values = solve(matrix: matrix, rhs: rhs) else { return nil }
        return (Polynomial(Array(values[0...n])), Polynomial(Array(values[(n + 1)...])))
    }

    /// A solution of the exact system, or nil when it is inconsistent.
    private static func solve(matrix: [[Rational]], rhs: [Rational]) -> [Rational]? {
        guard let solution = try? LinearSystem(matrix: matrix, rhs: rhs).solve(recordSteps: false, determinant: false),
              solution.kind != .none else { return nil }
        return solution.values
    }
}

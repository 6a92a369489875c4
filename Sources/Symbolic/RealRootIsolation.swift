import ExactMath

/// The real roots of a polynomial over Q, found exactly: a Sturm sequence counts the roots in
/// any interval, bisection with rational endpoints separates them, and each is then either a
/// rational number (proved by evaluation) or an interval as narrow as asked that holds exactly
/// one irrational root. No floating point decides anything here.
public struct RealRootIsolation: Sendable {
    /// One real root of the square-free input.
    public enum Root: Sendable, Equatable {
        case rational(Rational)
        /// The root lies strictly inside (lower, upper), and nothing else of the polynomial does.
        case isolated(lower: Rational, upper: Rational)
    }

    /// The square-free part whose roots these are (p / gcd(p, p')).
    public let squareFree: Polynomial
    private let sturm: [Polynomial]

    /// Fails (nil) for the zero polynomial.
    public init?(_ p: Polynomial) {
        guard !p.isZero else { return nil }
        let gcd = Polynomial.gcd(p, p.derivative)
        let part = gcd.degree >= 1 ? p.divided(by: gcd).quotient : p
        squareFree = part.monic
        var sequence = [squareFree, squareFree.derivative]
        while let last = sequence.last, last.degree >= 1 {
            let remainder = sequence[sequence.count - 2].divided(by: last).remainder
            if remainder.isZero { break }
            sequence.append(remainder.scaled(-.one))
        }
        sturm = sequence
    }

    /// Sign changes of the Sturm sequence at `x` (zeros skipped).
    func signChanges(at x: Rational) -> Int {
        var changes = 0
        var previous = 0
        for p in sturm {
            let sign = p.evaluate(x).signum
            if sign == 0 { continue }
            if previous != 0, sign != previous { changes += 1 }
            previous = sign
        }
        return changes
    }

    /// Number of distinct real roots in (a, b].
    public func count(in a: Rational, _ b: Rational) -> Int {
        signChanges(at: a) - signChanges(at: b)
    }

    /// A bound every real root is strictly inside: 1 + max |aᵢ / aₙ| (Cauchy).
    public var bound: Rational {
        let lead = squareFree.leading
        var largest = Rational.zero
        for coefficient in squareFree.coefficients.dropLast() {
            let ratio = coefficient / lead
            let magnitude = ratio.signum < 0 ? -ratio : ratio
            if magnitude > largest { largest = magnitude }
        }
        return largest + .one
    }

    /// Every real root, ascending; an irrational one in an interval narrower than `width`.
    /// Rational roots are recognised exactly (a rational root of the primitive integer
    /// polynomial has a denominator dividing its leading coefficient, so once an interval is
    /// narrower than 1/leading it holds at most one candidate k/leading, which is tested).
    public func roots(width: Rational, deadline: Deadline? = nil) throws(DeadlineExceeded) -> [Root] {
        guard squareFree.degree >= 1 else { return [] }
        let b = bound
        var pending: [(Rational, Rational)] = [(-b, b)]
        var separated: [(Rational, Rational)] = []
        var exact: [Rational] = []
        let half = Rational(1, 2)
        while let (lower, upper) = pending.popLast() {
            try deadline?.check()
            let n = count(in: lower, upper)
            if n == 0 { continue }
            if n == 1 {
                separated.append((lower, upper))
                continue
            }
            let middle = (lower + upper) * half
            if squareFree.evaluate(middle).isZero { exact.append(middle) }
            pending.append((lower, middle))
            pending.append((middle, upper))
        }
        // Roots at an interval's upper end were counted in it; those found as midpoints are known.
        let leading = primitiveLeading
        var roots: [Root] = exact.map { .rational($0) }
        for (start, end) in separated {
            var (lower, upper) = (start, end)
            if squareFree.evaluate(upper).isZero {
                if !exact.contains(upper) { roots.append(.rational(upper)) }
                continue
            }
            let candidateWidth = Rational(BigInt.one, leading)
            var found: Rational?
            var tested = false
            while true {
                try deadline?.check()
                if !tested, upper - lower < candidateWidth {
                    // At most two k/leading fit; test them exactly.
                    tested = true
                    let scaled = lower * Rational(leading)
                    var k = scaled.numerator.floorDivided(by: scaled.denominator)
                    while Rational(k, leading) <= upper {
                        let candidate = Rational(k, leading)
                        if candidate > lower, squareFree.evaluate(candidate).isZero { found = candidate }
                        k = k + BigInt.one
                    }
                    if found != nil { break }
                }
                if tested, upper - lower < width { break }
                let middle = (lower + upper) * half
                if squareFree.evaluate(middle).isZero, middle > lower { found = middle; break }
                if count(in: lower, middle) == 1 { upper = middle } else { lower = middle }
            }
            if let found { roots.append(.rational(found)) } else { roots.append(.isolated(lower: lower, upper: upper)) }
        }
        return roots.sorted { Self.midpoint($0) < Self.midpoint($1) }
    }

    static func midpoint(_ root: Root) -> Rational {
        switch root {
        case .rational(let value): return value
        case .isolated(let lower, let upper): return (lower + upper) * Rational(1, 2)
        }
    }

    /// The leading coefficient of the primitive integer multiple of the square-free part.
    private var primitiveLeading: BigInt {
        let lcm = squareFree.coefficients.reduce(BigInt.one) { BigInt.lcm($0, $1.denominator) }
        let integers = squareFree.coefficients.map { $0.numerator * lcm.dividedExactly(by: $0.denominator) }
        let content = integers.reduce(BigInt.zero) { BigInt.gcd($0, $1) }
        let lead = (integers.last ?? .one).dividedExactly(by: content)
        return lead.signum < 0 ? -lead : lead
    }

    /// Narrows an isolating interval of an irrational root until it is narrower than `width`.
    public func refine(_ lower: Rational, _ upper: Rational, width: Rational, deadline: Deadline? = nil) throws(DeadlineExceeded) -> (Rational, Rational) {
        var (a, b) = (lower, upper)
        let half = Rational(1, 2)
        while b - a >= width {
            try deadline?.check()
            let middle = (a + b) * half
            if squareFree.evaluate(middle).isZero { return (middle, middle) }
            // Counting, not signs: an endpoint may itself be another (rational) root.
            if count(in: a, middle) == 1 { b = middle } else { a = middle }
        }
        return (a, b)
    }
}

extension Polynomial {
    /// Yun's square-free decomposition of the monic multiple: Π partᵢ^multiplicityᵢ, parts
    /// square-free, pairwise coprime, of degree ≥ 1.
    public var squareFreeFactors: [(part: Polynomial, multiplicity: Int)] {
        guard degree >= 1 else { return [] }
        // Most input is square-free already: one gcd says so.
        if Polynomial.gcd(self, derivative).degree == 0 { return [(part: monic, multiplicity: 1)] }
        return PolynomialFactorizer.squareFree(monic).map { (part: $0.0, multiplicity: $0.1) }
    }
}

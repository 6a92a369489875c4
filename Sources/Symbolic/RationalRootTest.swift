import ExactMath

/// The rational root theorem, run exactly: every rational root p/q of a primitive integer
/// polynomial has p dividing the constant term and q the leading coefficient. When both are
/// small enough to factor by trial division and the candidates are few, testing them all finds
/// every rational root far faster than isolating the real roots first; otherwise the caller
/// falls back to `RealRootIsolation` (nil here).
public enum RationalRootTest {
    /// Largest |constant| or |leading| coefficient factored (trial division to its square root).
    static let maxFactoredMagnitude = 1_000_000_000_000
    static let maxCandidates = 4_096

    /// Every distinct rational root of `p` (zero included), or nil when the test would be too costly.
    public static func roots(of p: Polynomial) -> [Rational]? {
        guard p.degree >= 1 else { return [] }
        var integers = primitiveIntegers(p)
        var roots: [Rational] = []
        // x = 0 divides out first, so the constant term below is non-zero.
        if integers.first?.isZero == true {
            roots.append(.zero)
            while integers.first?.isZero == true { integers.removeFirst() }
        }
        guard integers.count >= 2 else { return roots }
        guard let constant = (integers.first?.magnitude).flatMap({ $0.intValue }), let leading = (integers.last?.magnitude).flatMap({ $0.intValue }),
              constant <= maxFactoredMagnitude, leading <= maxFactoredMagnitude else { return nil }
        let numerators = divisors(constant), denominators = divisors(leading)
        guard numerators.count * denominators.count * 2 <= maxCandidates else { return nil }
        let degree = integers.count - 1
        var seen: Set<Rational> = []
        for q in denominators {
            for p in numerators where gcd(p, q) == 1 {
                for signed in [p, -p] {
                    let candidate = Rational(signed, q)
                    guard seen.insert(candidate).inserted else { continue }
                    // Σ aᵢ·pⁱ·q^(n−i) = 0, in integers.
                    var value = BigInt.zero
                    let bp = BigInt(signed), bq = BigInt(q)
                    var pPower = BigInt.one
                    var qPowers = [BigInt.one]
                    for _ in 0..<degree { qPowers.append(qPowers[qPowers.count - 1] * bq) }
                    for (i, a) in integers.enumerated() {
                        value = value + a * pPower * qPowers[degree - i]
                        pPower = pPower * bp
                    }
                    if value.isZero { roots.append(candidate) }
                }
            }
            if roots.count >= degree + (roots.first == .zero ? 1 : 0) { break }
        }
        return roots.sorted()
    }

    /// Every distinct rational root of a non-zero `p`, ascending: the direct test when it is
    /// cheap, else exact real-root isolation (which proves rational roots without divisors).
    public static func allRoots(of p: Polynomial, deadline: Deadline? = nil) throws(DeadlineExceeded) -> [Rational] {
        if let found = roots(of: p) { return found }
        guard let isolation = RealRootIsolation(p) else { return [] }
        return try isolation.roots(width: Rational(1, 1 << 20), deadline: deadline).compactMap { root in
            if case .rational(let value) = root { return value } else { return nil }
        }
    }

    /// The coefficients of the primitive integer multiple of p (index = power).
    static func primitiveIntegers(_ p: Polynomial) -> [BigInt] {
        let lcm = p.coefficients.reduce(BigInt.one) { BigInt.lcm($0, $1.denominator) }
        let integers = p.coefficients.map { $0.numerator * lcm.dividedExactly(by: $0.denominator) }
        let content = integers.reduce(BigInt.zero) { BigInt.gcd($0, $1) }
        return content.isZero || content == .one ? integers : integers.map { $0.dividedExactly(by: content) }
    }

    static func divisors(_ n: Int) -> [Int] {
        var small: [Int] = []
        var large: [Int] = []
        var d = 1
        while d * d <= n {
            if n % d == 0 {
                small.append(d)
                if d != n / d { large.append(n / d) }
            }
            d += 1
        }
        return small + large.reversed()
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}

import Foundation

/// Adaptive Gauss–Kronrod (7/15-point) quadrature in double precision, for definite integrals
/// without an elementary antiderivative; infinite ranges are mapped onto [0, 1).
/// The value is an approximation and is always reported as one (`exact: false`).
public enum NumericQuadrature {
    public struct Estimate: Sendable {
        public var value: Double
        public var errorEstimate: Double
    }

    static let nodes: [Double] = [
        0.991455371120812639, 0.949107912342758525, 0.864864423359769073, 0.741531185599394440,
        0.586087235467691130, 0.405845151377397167, 0.207784955007898468, 0.0,
    ]
    static let kronrodWeights: [Double] = [
        0.022935322010529225, 0.063092092629978553, 0.104790010322250184, 0.140653259715525919,
        0.169004726639267903, 0.190350578064785410, 0.204432940075298892, 0.209482141084727828,
    ]
    static let gaussWeights: [Double] = [0.129484966168869693, 0.279705391489276668, 0.381830050505118945, 0.417959183673469388]

    /// ∫ₐᵇ f; a and b may be ±infinity. nil when f is undefined somewhere in the range or the
    /// estimate does not settle.
    public static func integrate(_ f: (Double) -> Double?, from a: Double, to b: Double, tolerance: Double = 1e-13) -> Estimate? {
        if a.isInfinite || b.isInfinite {
            // x = a + t/(1 − t) on [a, ∞); x = b − t/(1 − t) on (−∞, b]; both halves for (−∞, ∞).
            if a.isInfinite && b.isInfinite {
                guard let left = integrate(f, from: -.infinity, to: 0, tolerance: tolerance),
                      let right = integrate(f, from: 0, to: .infinity, tolerance: tolerance) else { return nil }
                return Estimate(value: left.value + right.value, errorEstimate: left.errorEstimate + right.errorEstimate)
            }
            let finite = a.isInfinite ? b : a
            let sign: Double = a.isInfinite ? -1 : 1
            let mapped: (Double) -> Double? = { t in
                let x = finite + sign * t / (1 - t)
                guard let y = f(x) else { return nil }
                return y / ((1 - t) * (1 - t))
            }
            guard let estimate = adaptive(mapped, 0, 1, tolerance, depth: 0) else { return nil }
            return Estimate(value: sign * estimate.value * (a.isInfinite ? -1 : 1), errorEstimate: estimate.errorEstimate)
        }
        return adaptive(f, a, b, tolerance, depth: 0)
    }

    /// Interval halving with an absolute tolerance shared between the halves and a global budget
    /// of subintervals, so a stubborn region cannot explode into exponential work.
    private final class Budget {
        var remaining = 20_000
    }

    private static func adaptive(_ f: (Double) -> Double?, _ a: Double, _ b: Double, _ tolerance: Double, depth: Int) -> Estimate? {
        guard let (whole, gauss) = rule(f, a, b) else { return nil }
        let absolute = Swift.max(tolerance * Swift.abs(whole), 1e-15)
        return refine(f, a, b, whole, Swift.abs(whole - gauss), absolute, depth: 0, budget: Budget())
    }

    private static func refine(_ f: (Double) -> Double?, _ a: Double, _ b: Double, _ value: Double, _ error: Double, _ tolerance: Double, depth: Int, budget: Budget) -> Estimate? {
        if error <= tolerance { return Estimate(value: value, errorEstimate: error) }
        budget.remaining -= 1
        guard budget.remaining > 0, depth < 50 else {
            return error <= 1e-8 * Swift.max(1, Swift.abs(value)) ? Estimate(value: value, errorEstimate: error) : nil
        }
        let middle = (a + b) / 2
        guard let (leftK, leftG) = rule(f, a, middle), let (rightK, rightG) = rule(f, middle, b),
              let left = refine(f, a, middle, leftK, Swift.abs(leftK - leftG), tolerance / 2, depth: depth + 1, budget: budget),
              let right = refine(f, middle, b, rightK, Swift.abs(rightK - rightG), tolerance / 2, depth: depth + 1, budget: budget) else { return nil }
        return Estimate(value: left.value + right.value, errorEstimate: left.errorEstimate + right.errorEstimate)
    }

    private static func rule(_ f: (Double) -> Double?, _ a: Double, _ b: Double) -> (Double, Double)? {
        let center = (a + b) / 2
        let half = (b - a) / 2
        guard let fc = f(center) else { return nil }
        var kronrod = fc * kronrodWeights[7]
        var gauss = fc * gaussWeights[3]
        for i in 0..<7 {
            guard let f1 = f(center - half * nodes[i]), let f2 = f(center + half * nodes[i]) else { return nil }
            kronrod += kronrodWeights[i] * (f1 + f2)
            if i % 2 == 1 { gauss += gaussWeights[i / 2] * (f1 + f2) }
        }
        return (kronrod * half, gauss * half)
    }
}

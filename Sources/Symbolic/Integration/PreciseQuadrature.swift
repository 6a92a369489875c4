import CGMP
import ExactMath

/// Tanh–sinh (double-exponential) quadrature in MPFR: the numeric value of a definite integral
/// without a usable antiderivative, with only digits that are true.
///
/// The nodes cluster at the ends doubly exponentially, which copes with integrable end-point
/// singularities (x^(−1/2), ln x) provided the nodes are placed exactly: each half of the rule
/// evaluates f at (end ± r) with r = half-width·(1 − tanh v) computed as 2/(e^(2v) + 1), never as
/// a difference of nearly equal numbers, and f is rewritten around the end so x − a is r itself.
/// A half-infinite range is mapped onto [0, 1] by x = a + s/(1 − s).
///
/// Digits: the whole computation runs twice, at two working precisions and two stopping
/// tolerances, and only the decimal places on which both results agree are printed.
public enum PreciseQuadrature {
    static let maxLevels = 12
    static let helper = "__s"
    static let offset = "__r"

    public struct Value: Sendable, Equatable {
        /// The decimal, with `digits` places after the point.
        public var text: String
        public var digits: Int
    }

    /// ∫ₐᵇ f to at most `digits` places (fewer when the two runs agree on fewer), or nil when f
    /// cannot be evaluated or the estimates do not settle.
    public static func integrate(_ f: Expr, variable: String, from a: LimitPoint, to b: LimitPoint, digits: Int, deadline: Deadline?) throws(DeadlineExceeded) -> Value? {
        guard let pieces = finitePieces(f, variable: variable, from: a, to: b) else { return nil }
        let bits = Int(Double(digits) * 3.33) + 64
        guard let first = try estimate(pieces, bits: bits, digits: digits + 2, deadline: deadline),
              let second = try estimate(pieces, bits: bits + 64, digits: digits + 8, deadline: deadline) else { return nil }
        var places = digits
        while places >= 0 {
            let one = PreciseEvaluator.fixedPoint(first, digits: places, bits: bits)
            if one == PreciseEvaluator.fixedPoint(second, digits: places, bits: bits + 64) {
                return Value(text: one, digits: places)
            }
            places -= 1
        }
        return nil
    }

    /// Integrals of g(s) over finite [lo, hi] whose sum is ∫ₐᵇ f.
    static func finitePieces(_ f: Expr, variable: String, from a: LimitPoint, to b: LimitPoint) -> [(Expr, Expr, Expr)]? {
        let x = Expr.symbol(variable)
        let s = Expr.symbol(helper)
        let map = s / (.one - s)
        let jacobian = Expr.pow(.one - s, .int(-2))
        switch (a, b) {
        case (.finite(let lo), .finite(let hi)):
            return [(f.substituting(x, with: s), lo, hi)]
        case (.finite(let lo), .plusInfinity):
            return [(f.substituting(x, with: lo + map) * jacobian, .zero, .one)]
        case (.minusInfinity, .finite(let hi)):
            return [(f.substituting(x, with: hi - map) * jacobian, .zero, .one)]
        case (.minusInfinity, .plusInfinity):
            return [(f.substituting(x, with: map) * jacobian, .zero, .one), (f.substituting(x, with: -map) * jacobian, .zero, .one)]
        default:
            return nil
        }
    }

    static func estimate(_ pieces: [(Expr, Expr, Expr)], bits: Int, digits: Int, deadline: Deadline?) throws(DeadlineExceeded) -> MPFRNumber? {
        let total = MPFRNumber(bits: bits)
        mpfr_set_ui(total.pointer, 0, MPFR_RNDN)
        for (g, lo, hi) in pieces {
            guard let part = try tanhSinh(g, from: lo, to: hi, bits: bits, digits: digits, deadline: deadline) else { return nil }
            mpfr_add(total.pointer, total.pointer, part.pointer, MPFR_RNDN)
        }
        return total
    }

    /// ∫ g(s) ds over [lo, hi] by tanh–sinh, the step halved until two levels agree to `digits`.
    static func tanhSinh(_ g: Expr, from lo: Expr, to hi: Expr, bits: Int, digits: Int, deadline: Deadline?) throws(DeadlineExceeded) -> MPFRNumber? {
        guard let lower = PreciseEvaluator.evaluate(lo, bits: bits), let upper = PreciseEvaluator.evaluate(hi, bits: bits) else { return nil }
        let s = Expr.symbol(helper), r = Expr.symbol(offset)
        // g near each end, written in the distance r to that end.
        let nearLower = g.substituting(s, with: lo + r)
        let nearUpper = g.substituting(s, with: hi - r)
        let half = MPFRNumber(bits: bits)
        mpfr_sub(half.pointer, upper.pointer, lower.pointer, MPFR_RNDN)
        mpfr_div_ui(half.pointer, half.pointer, 2, MPFR_RNDN)
        let halfPi = MPFRNumber(bits: bits)
        mpfr_const_pi(halfPi.pointer, MPFR_RNDN)
        mpfr_div_ui(halfPi.pointer, halfPi.pointer, 2, MPFR_RNDN)
        // Terms below 2^-(bits) stop the sweep.
        let tolerance = MPFRNumber(bits: bits)
        mpfr_set_ui(tolerance.pointer, 1, MPFR_RNDN)
        mpfr_div_2ui(tolerance.pointer, tolerance.pointer, UInt(bits - 8), MPFR_RNDN)
        // Near an end that is not 0 (π/2), end − r must be formed without rounding r away: those
        // nodes are evaluated with as many more bits as r is below the end, up to a cap past
        // which the node is left out (its tail is below what the two-precision comparison keeps).
        let lowerZero = mpfr_zero_p(lower.pointer) != 0, upperZero = mpfr_zero_p(upper.pointer) != 0
        let lowerExponent = lowerZero ? 0 : Int(mpfr_get_exp(lower.pointer))
        let upperExponent = upperZero ? 0 : Int(mpfr_get_exp(upper.pointer))
        let maxBits = 4 * bits + 64

        /// Σ_k w(kh)·[g(lo + r_k) + g(hi − r_k)] over k = start, start + stride, …
        func sweep(step: MPFRNumber, start: Int, stride: Int, includeCenter: Bool) throws(DeadlineExceeded) -> MPFRNumber? {
            let sum = MPFRNumber(bits: bits)
            mpfr_set_ui(sum.pointer, 0, MPFR_RNDN)
            if includeCenter {
                guard let center = PreciseEvaluator.evaluate(nearLower, bits: bits, bindings: [offset: half]) else { return nil }
                mpfr_mul(center.pointer, center.pointer, halfPi.pointer, MPFR_RNDN)
                mpfr_add(sum.pointer, sum.pointer, center.pointer, MPFR_RNDN)
            }
            let t = MPFRNumber(bits: bits), sinhT = MPFRNumber(bits: bits), coshT = MPFRNumber(bits: bits)
            let v = MPFRNumber(bits: bits), weight = MPFRNumber(bits: bits), coshV = MPFRNumber(bits: bits)
            let distance = MPFRNumber(bits: bits), term = MPFRNumber(bits: bits)
            var k = start
            while k < 100_000 {
                if k % 16 == 0 { try deadline?.check() }
                mpfr_mul_ui(t.pointer, step.pointer, UInt(k), MPFR_RNDN)
                mpfr_sinh_cosh(sinhT.pointer, coshT.pointer, t.pointer, MPFR_RNDN)
                mpfr_mul(v.pointer, halfPi.pointer, sinhT.pointer, MPFR_RNDN)
                // 1 − tanh v = 2/(e^(2v) + 1), times the half-width: the distance to either end.
                mpfr_mul_2ui(distance.pointer, v.pointer, 1, MPFR_RNDN)
                mpfr_exp(distance.pointer, distance.pointer, MPFR_RNDN)
                mpfr_add_ui(distance.pointer, distance.pointer, 1, MPFR_RNDN)
                mpfr_ui_div(distance.pointer, 2, distance.pointer, MPFR_RNDN)
                mpfr_mul(distance.pointer, distance.pointer, half.pointer, MPFR_RNDN)
                if mpfr_zero_p(distance.pointer) != 0 { break }
                mpfr_cosh(coshV.pointer, v.pointer, MPFR_RNDN)
                mpfr_sqr(coshV.pointer, coshV.pointer, MPFR_RNDN)
                mpfr_mul(weight.pointer, halfPi.pointer, coshT.pointer, MPFR_RNDN)
                mpfr_div(weight.pointer, weight.pointer, coshV.pointer, MPFR_RNDN)
                mpfr_set_ui(term.pointer, 0, MPFR_RNDN)
                var unresolved = 0
                let distanceExponent = Int(mpfr_get_exp(distance.pointer))
                for (side, isZero, endExponent) in [(nearLower, lowerZero, lowerExponent), (nearUpper, upperZero, upperExponent)] {
                    let nodeBits = isZero ? bits : bits + Swift.max(0, endExponent - distanceExponent) + 8
                    if nodeBits > maxBits {
                        unresolved += 1
                        continue
                    }
                    guard let value = PreciseEvaluator.evaluate(side, bits: nodeBits, bindings: [offset: distance]) else {
                        // Only nodes of negligible weight may hit a singularity at the end itself.
                        if mpfr_cmp(weight.pointer, tolerance.pointer) < 0 { continue }
                        return nil
                    }
                    mpfr_add(term.pointer, term.pointer, value.pointer, MPFR_RNDN)
                }
                if unresolved == 2 { break }
                mpfr_mul(term.pointer, term.pointer, weight.pointer, MPFR_RNDN)
                mpfr_add(sum.pointer, sum.pointer, term.pointer, MPFR_RNDN)
                mpfr_abs(term.pointer, term.pointer, MPFR_RNDN)
                if mpfr_cmp(weight.pointer, tolerance.pointer) < 0 && mpfr_cmp(term.pointer, tolerance.pointer) < 0 { break }
                k += stride
            }
            return sum
        }

        let step = MPFRNumber(bits: bits)
        mpfr_set_ui(step.pointer, 1, MPFR_RNDN)
        guard let total = try sweep(step: step, start: 1, stride: 1, includeCenter: true) else { return nil }
        var previous: MPFRNumber?
        let difference = MPFRNumber(bits: bits), limit = MPFRNumber(bits: bits), magnitude = MPFRNumber(bits: bits)
        for level in 0..<maxLevels {
            if level > 0 {
                mpfr_div_2ui(step.pointer, step.pointer, 1, MPFR_RNDN)
                guard let odd = try sweep(step: step, start: 1, stride: 2, includeCenter: false) else { return nil }
                mpfr_add(total.pointer, total.pointer, odd.pointer, MPFR_RNDN)
            }
            // estimate = half · step · total
            let estimate = MPFRNumber(bits: bits)
            mpfr_mul(estimate.pointer, total.pointer, step.pointer, MPFR_RNDN)
            mpfr_mul(estimate.pointer, estimate.pointer, half.pointer, MPFR_RNDN)
            if let previous {
                mpfr_sub(difference.pointer, estimate.pointer, previous.pointer, MPFR_RNDN)
                mpfr_abs(difference.pointer, difference.pointer, MPFR_RNDN)
                // Settled when the change is below 10^-digits (relative to max(1, |estimate|)).
                mpfr_set_ui(limit.pointer, 10, MPFR_RNDN)
                mpfr_pow_si(limit.pointer, limit.pointer, -digits, MPFR_RNDN)
                mpfr_abs(magnitude.pointer, estimate.pointer, MPFR_RNDN)
                if mpfr_cmp_ui(magnitude.pointer, 1) > 0 { mpfr_mul(limit.pointer, limit.pointer, magnitude.pointer, MPFR_RNDN) }
                if mpfr_cmp(difference.pointer, limit.pointer) <= 0 { return estimate }
            }
            previous = estimate
        }
        return nil
    }
}

import CGMP
import ExactMath

/// Tanh–sinh (double-exponential) quadrature in MPFR for a finite interval: the numeric value of
/// a definite integral without an elementary antiderivative, to the digits asked for. The nodes
/// cluster at the ends doubly exponentially, which also copes with integrable end-point
/// singularities; the step is halved until two estimates agree past the requested digits.
/// The result stays flagged as not exact: agreement of successive estimates is evidence, not proof.
public enum PreciseQuadrature {
    static let maxLevels = 12

    /// ∫ₐᵇ f to `digits` places, or nil when f cannot be evaluated or the estimates do not settle.
    public static func integrate(_ f: Expr, variable: String, from a: Expr, to b: Expr, digits: Int, deadline: Deadline?) throws(DeadlineExceeded) -> String? {
        let bits = Int(Double(digits) * 3.33) + 64
        guard let lower = PreciseEvaluator.evaluate(a, bits: bits), let upper = PreciseEvaluator.evaluate(b, bits: bits) else { return nil }
        let half = MPFRNumber(bits: bits), middle = MPFRNumber(bits: bits)
        mpfr_sub(half.pointer, upper.pointer, lower.pointer, MPFR_RNDN)
        mpfr_div_ui(half.pointer, half.pointer, 2, MPFR_RNDN)
        mpfr_add(middle.pointer, upper.pointer, lower.pointer, MPFR_RNDN)
        mpfr_div_ui(middle.pointer, middle.pointer, 2, MPFR_RNDN)
        let halfPi = MPFRNumber(bits: bits)
        mpfr_const_pi(halfPi.pointer, MPFR_RNDN)
        mpfr_div_ui(halfPi.pointer, halfPi.pointer, 2, MPFR_RNDN)
        // Terms below 2^-(bits) relative to the sum stop the sweep.
        let tolerance = MPFRNumber(bits: bits)
        mpfr_set_ui(tolerance.pointer, 1, MPFR_RNDN)
        mpfr_div_2ui(tolerance.pointer, tolerance.pointer, UInt(bits - 8), MPFR_RNDN)

        /// Σ_k w(kh)·[f(m + h·u(kh)) + f(m − h·u(kh))] over k = start, start + stride, …
        func sweep(step: MPFRNumber, start: Int, stride: Int, includeCenter: Bool) throws(DeadlineExceeded) -> MPFRNumber? {
            let sum = MPFRNumber(bits: bits)
            mpfr_set_ui(sum.pointer, 0, MPFR_RNDN)
            if includeCenter {
                guard let center = PreciseEvaluator.evaluate(f, bits: bits, bindings: [variable: middle]) else { return nil }
                mpfr_mul(center.pointer, center.pointer, halfPi.pointer, MPFR_RNDN)
                mpfr_add(sum.pointer, sum.pointer, center.pointer, MPFR_RNDN)
            }
            let t = MPFRNumber(bits: bits), sinhT = MPFRNumber(bits: bits), coshT = MPFRNumber(bits: bits)
            let inner = MPFRNumber(bits: bits), u = MPFRNumber(bits: bits), weight = MPFRNumber(bits: bits)
            let coshInner = MPFRNumber(bits: bits), point = MPFRNumber(bits: bits), term = MPFRNumber(bits: bits)
            let oneMinusU = MPFRNumber(bits: bits)
            var k = start
            while k < 100_000 {
                if k % 16 == 0 { try deadline?.check() }
                mpfr_mul_ui(t.pointer, step.pointer, UInt(k), MPFR_RNDN)
                mpfr_sinh_cosh(sinhT.pointer, coshT.pointer, t.pointer, MPFR_RNDN)
                mpfr_mul(inner.pointer, halfPi.pointer, sinhT.pointer, MPFR_RNDN)
                mpfr_tanh(u.pointer, inner.pointer, MPFR_RNDN)
                mpfr_ui_sub(oneMinusU.pointer, 1, u.pointer, MPFR_RNDN)
                if mpfr_zero_p(oneMinusU.pointer) != 0 { break }
                mpfr_cosh(coshInner.pointer, inner.pointer, MPFR_RNDN)
                mpfr_sqr(coshInner.pointer, coshInner.pointer, MPFR_RNDN)
                mpfr_mul(weight.pointer, halfPi.pointer, coshT.pointer, MPFR_RNDN)
                mpfr_div(weight.pointer, weight.pointer, coshInner.pointer, MPFR_RNDN)
                mpfr_set_ui(term.pointer, 0, MPFR_RNDN)
                for sign in [1, -1] {
                    mpfr_mul(point.pointer, half.pointer, u.pointer, MPFR_RNDN)
                    if sign < 0 { mpfr_neg(point.pointer, point.pointer, MPFR_RNDN) }
                    mpfr_add(point.pointer, point.pointer, middle.pointer, MPFR_RNDN)
                    guard let value = PreciseEvaluator.evaluate(f, bits: bits, bindings: [variable: point]) else {
                        // Only the outermost nodes may hit an end-point singularity; their weight is negligible.
                        if mpfr_cmp(weight.pointer, tolerance.pointer) < 0 { continue }
                        return nil
                    }
                    mpfr_add(term.pointer, term.pointer, value.pointer, MPFR_RNDN)
                }
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
        let estimate = MPFRNumber(bits: bits), difference = MPFRNumber(bits: bits), limit = MPFRNumber(bits: bits)
        for level in 0..<maxLevels {
            if level > 0 {
                mpfr_div_2ui(step.pointer, step.pointer, 1, MPFR_RNDN)
                guard let odd = try sweep(step: step, start: 1, stride: 2, includeCenter: false) else { return nil }
                mpfr_add(total.pointer, total.pointer, odd.pointer, MPFR_RNDN)
            }
            // estimate = half · step · total
            mpfr_mul(estimate.pointer, total.pointer, step.pointer, MPFR_RNDN)
            mpfr_mul(estimate.pointer, estimate.pointer, half.pointer, MPFR_RNDN)
            if let previous {
                mpfr_sub(difference.pointer, estimate.pointer, previous.pointer, MPFR_RNDN)
                mpfr_abs(difference.pointer, difference.pointer, MPFR_RNDN)
                // Settled when the change is below 10^-(digits+2) (relative to max(1, |estimate|)).
                mpfr_set_ui(limit.pointer, 10, MPFR_RNDN)
                mpfr_pow_si(limit.pointer, limit.pointer, -(digits + 2), MPFR_RNDN)
                let magnitude = MPFRNumber(bits: bits)
                mpfr_abs(magnitude.pointer, estimate.pointer, MPFR_RNDN)
                if mpfr_cmp_ui(magnitude.pointer, 1) > 0 { mpfr_mul(limit.pointer, limit.pointer, magnitude.pointer, MPFR_RNDN) }
                if mpfr_cmp(difference.pointer, limit.pointer) <= 0 {
                    return PreciseEvaluator.fixedPoint(estimate, digits: digits, bits: bits)
                }
            }
            let snapshot = MPFRNumber(bits: bits)
            mpfr_set(snapshot.pointer, estimate.pointer, MPFR_RNDN)
            previous = snapshot
        }
        return nil
    }
}

import CGMP
import ExactMath

/// Limits by rewriting every case as t → 0⁺ (x = a ± t, or x = ±1/t at infinity) and then
/// evaluating bottom-up with the algebra of limits. Rational functions in t are decided exactly
/// by their lowest-order terms; the indeterminate forms 0/0, ∞/∞ and 0·∞ go through
/// L'Hôpital's rule, 1^∞, 0⁰ and ∞⁰ through u^v = e^(v·ln u), and ∞ − ∞ through a common
/// denominator. The sign of a quantity tending to 0 (which decides +∞ against −∞) is read off
/// the lowest-order coefficient when the quantity is a polynomial in t, and numerically only
/// otherwise.
public struct LimitEngine {
    public enum Failure: Error, Sendable, Equatable {
        case undetermined
        case timeout
    }

    let deadline: Deadline?
    /// Collects the rules applied, for the steps (nil: nothing recorded).
    let trace: LimitTrace?
    static let helper = "__h"
    static let maxLHopital = 8
    private var t: Expr { .symbol(Self.helper) }

    public init(deadline: Deadline? = nil, trace: LimitTrace? = nil) {
        self.deadline = deadline
        self.trace = trace
    }

    /// lim f as `variable` → point from `direction`.
    public func limit(_ f: Expr, variable: String, point: LimitPoint, direction: LimitDirection) throws(Failure) -> LimitValue {
        let x = Expr.symbol(variable)
        switch point {
        case .plusInfinity:
            return try value(of: f.substituting(x, with: .pow(t, .minusOne)))
        case .minusInfinity:
            return try value(of: f.substituting(x, with: -.pow(t, .minusOne)))
        case .finite(let a):
            let right = { () throws(Failure) -> LimitValue in try value(of: f.substituting(x, with: a + t)) }
            let left = { () throws(Failure) -> LimitValue in try value(of: f.substituting(x, with: a - t)) }
            switch direction {
            case .plus: return try right()
            case .minus: return try left()
            case .both:
                return try twoSided(f, variable: variable, at: a).value
            }
        }
    }

    /// Whether f is shown undefined by its structure on the side of the point a limit from
    /// `direction` would approach from (ln x from the left of 0, √x at −oo): then there is no
    /// such limit, and a refusal can say why instead of "unsupported". False when it cannot be
    /// shown, including for `.both` at a finite point (`twoSided` drops such a side itself).
    public func isUndefinedOnApproach(_ f: Expr, variable: String, point: LimitPoint, direction: LimitDirection) throws(Failure) -> Bool {
        let x = Expr.symbol(variable)
        switch (point, direction) {
        case (.plusInfinity, _): return try undefinedNearZero(f.substituting(x, with: .pow(t, .minusOne)))
        case (.minusInfinity, _): return try undefinedNearZero(f.substituting(x, with: -.pow(t, .minusOne)))
        case (.finite(let a), .plus): return try undefinedNearZero(f.substituting(x, with: a + t))
        case (.finite(let a), .minus): return try undefinedNearZero(f.substituting(x, with: a - t))
        case (.finite, .both): return false
        }
    }

    /// Both one-sided limits at a finite point and the two-sided verdict drawn from them.
    public struct TwoSided: Sendable, Equatable {
        /// lim from the right, nil where f is not defined right of the point.
        public var right: LimitValue?
        /// lim from the left, nil where f is not defined left of the point.
        public var left: LimitValue?
        public var value: LimitValue
    }

    /// The two-sided limit decided only from the two exact one-sided limits: equal values are
    /// the limit, different ones mean it does not exist. A side is dropped only when f is shown
    /// undefined there by its structure (ln, even roots or real powers of a quantity that is
    /// negative on that side, as for ln x, x^x or √x·ln x at 0); a side that merely could not be
    /// computed makes the whole limit undetermined, never the other side's answer.
    public func twoSided(_ f: Expr, variable: String, at a: Expr) throws(Failure) -> TwoSided {
        let x = Expr.symbol(variable)
        let rightForm = f.substituting(x, with: a + t)
        let leftForm = f.substituting(x, with: a - t)
        func side(_ g: Expr) throws(Failure) -> LimitValue? {
            do {
                return try value(of: g)
            } catch .timeout {
                throw .timeout
            } catch {
                return nil
            }
        }
        let r = try side(rightForm)
        let l = try side(leftForm)
        switch (r, l) {
        case (let r?, let l?):
            return TwoSided(right: r, left: l, value: try same(r, l) ? r : .doesNotExist)
        case (let r?, nil):
            guard try undefinedNearZero(leftForm) else { throw .undetermined }
            return TwoSided(right: r, left: nil, value: r)
        case (nil, let l?):
            guard try undefinedNearZero(rightForm) else { throw .undetermined }
            return TwoSided(right: nil, left: l, value: l)
        case (nil, nil):
            throw .undetermined
        }
    }

    /// Whether two one-sided results are the same value. Exact values may differ only in form;
    /// those are compared in 256-bit MPFR arithmetic and count as equal only when they agree to
    /// about 70 digits.
    private func same(_ r: LimitValue, _ l: LimitValue) throws(Failure) -> Bool {
        if r == l { return true }
        guard case .finite(let a) = r, case .finite(let b) = l else { return false }
        if Expansion.expand(a - b).isZero { return true }
        guard let va = PreciseEvaluator.evaluate(a, bits: 256), let vb = PreciseEvaluator.evaluate(b, bits: 256) else {
            throw .undetermined
        }
        let difference = MPFRNumber(bits: 256)
        mpfr_sub(difference.pointer, va.pointer, vb.pointer, MPFR_RNDN)
        mpfr_abs(difference.pointer, difference.pointer, MPFR_RNDN)
        let scale = MPFRNumber(bits: 256)
        mpfr_abs(scale.pointer, va.pointer, MPFR_RNDN)
        if mpfr_cmp_ui(scale.pointer, 1) < 0 { mpfr_set_ui(scale.pointer, 1, MPFR_RNDN) }
        mpfr_div_2ui(scale.pointer, scale.pointer, 232, MPFR_RNDN)
        return mpfr_cmp(difference.pointer, scale.pointer) <= 0
    }

    /// True when g(t) is not real for small t > 0 because of its structure: ln of a quantity that
    /// is negative there, or an even root / real power of one (a base that tends to a negative
    /// number or to 0 from below, or to −∞).
    func undefinedNearZero(_ g: Expr) throws(Failure) -> Bool {
        let name = Self.helper
        func negative(_ u: Expr) throws(Failure) -> Bool {
            let a: Approach
            do {
                a = try approach(u, depth: 0)
            } catch .timeout {
                throw .timeout
            } catch {
                return false
            }
            switch a {
            case .finite(let v): return v.isZero ? signNearZero(u) == -1 : sign(of: v) == -1
            case .minusInfinity: return true
            case .plusInfinity, .oscillates: return false
            }
        }
        func visit(_ e: Expr) throws(Failure) -> Bool {
            guard e.contains(name) else { return false }
            switch e {
            case .number, .constant, .symbol:
                return false
            case .sum(let items), .product(let items):
                for item in items where try visit(item) { return true }
                return false
            case .power(let base, let exponent):
                if try visit(base) { return true }
                if try visit(exponent) { return true }
                guard base.contains(name) else { return false }
                if let r = exponent.rationalValue, r.denominator.isOdd { return false }
                return try negative(base)
            case .function(let function, let argument):
                if try visit(argument) { return true }
                return function == .ln ? try negative(argument) : false
            }
        }
        return try visit(Self.rewrite(g))
    }

    /// lim g(t) as t → 0⁺.
    public func valueAtZero(_ g: Expr, helper: String) throws(Failure) -> LimitValue {
        try value(of: g.substituting(.symbol(helper), with: t))
    }

    private func value(of g: Expr) throws(Failure) -> LimitValue {
        let prepared = try resolvingAbsoluteValues(Self.factoringRadicands(Self.rewrite(g)))
        switch try approach(prepared, depth: 0) {
        case .finite(let v): return .finite(v)
        case .plusInfinity: return .plusInfinity
        case .minusInfinity: return .minusInfinity
        case .oscillates: return .doesNotExist
        }
    }

    enum Approach: Equatable {
        case finite(Expr)
        case plusInfinity
        case minusInfinity
        case oscillates

        var isZero: Bool { if case .finite(let v) = self { return v.isZero } else { return false } }
        var isInfinite: Bool { self == .plusInfinity || self == .minusInfinity }
        var isFinite: Bool { if case .finite = self { return true } else { return false } }
    }

    /// u when g is a constant times tan u, cot u, sec u or csc u as `rewrite` writes them
    /// (sin u/cos u, cos u/sin u, 1/cos u, 1/sin u).
    static func periodicQuotientArgument(_ g: Expr) -> Expr? {
        let factors = g.factors.filter { $0.contains(helper) }
        func argument(of factor: Expr, exponent: Rational) -> (ElementaryFunction, Expr)? {
            switch factor {
            case .function(let f, let u) where exponent == .one && (f == .sin || f == .cos): return (f, u)
            case .power(.function(let f, let u), .number(let e)) where e == exponent && (f == .sin || f == .cos): return (f, u)
            default: return nil
            }
        }
        switch factors.count {
        case 1:
            return argument(of: factors[0], exponent: Rational(-1))?.1
        case 2:
            for (top, bottom) in [(factors[0], factors[1]), (factors[1], factors[0])] {
                guard let (f, u) = argument(of: top, exponent: .one), let (h, v) = argument(of: bottom, exponent: Rational(-1)),
                      f != h, u == v else { continue }
                return u
            }
            return nil
        default:
            return nil
        }
    }

    /// tan, cot, sec, csc as quotients of sin and cos, so their poles are ordinary 1/0 cases.
    static func rewrite(_ e: Expr) -> Expr {
        switch e {
        case .number, .constant, .symbol: return e
        case .sum(let terms): return .add(terms.map(rewrite))
        case .product(let factors): return .mul(factors.map(rewrite))
        case .power(let base, let exponent): return .pow(rewrite(base), rewrite(exponent))
        case .function(let function, let argument):
            let u = rewrite(argument)
            switch function {
            case .tan: return .apply(.sin, u) / .apply(.cos, u)
            case .cot: return .apply(.cos, u) / .apply(.sin, u)
            case .sec: return .one / .apply(.cos, u)
            case .csc: return .one / .apply(.sin, u)
            default: return .apply(function, u)
            }
        }
    }

    func approach(_ g: Expr, depth: Int) throws(Failure) -> Approach {
        do { try deadline?.check() } catch { throw .timeout }
        let name = Self.helper
        if !g.contains(name) { return .finite(g) }
        if g == t { return .finite(.zero) }
        if let fraction = RationalFunction.from(g, name, maxDegree: 64) {
            let reduced = fraction.reduced
            if fraction.denominator.degree >= 1 && fraction.denominator[0].isZero { trace?.record(.rationalFunction, g) }
            return try rationalApproach(reduced)
        }
        switch g {
        case .sum(let terms):
            var finite: [Expr] = []
            var plus = false, minus = false
            var infinite: [(Expr, Bool)] = []
            var oscillating: [Expr] = []
            var approaches: [Approach] = []
            for term in terms {
                let approached = try approach(term, depth: depth)
                approaches.append(approached)
                switch approached {
                case .finite(let v): finite.append(v)
                case .plusInfinity: plus = true; infinite.append((term, true))
                case .minusInfinity: minus = true; infinite.append((term, false))
                case .oscillates: oscillating.append(term)
                }
            }
            if !oscillating.isEmpty {
                // A bounded term without a limit (cos 2x at ∞) cannot stop a sum that runs off
                // to ±∞; with only finite company, one such term leaves the sum without a limit.
                // Two of them may cancel (sin² + cos²), and unbounded ones may not be outgrown:
                // both are left undetermined rather than guessed.
                let allBounded = oscillating.allSatisfy { $0.factors.allSatisfy { !$0.contains(name) || Self.isBounded($0) } }
                if plus != minus {
                    guard allBounded else { throw .undetermined }
                    return plus ? .plusInfinity : .minusInfinity
                }
                guard !plus, oscillating.count == 1 else { throw .undetermined }
                return .oscillates
            }
            if plus && minus {
                // ln u − ln v = ln(u/v) (both arguments are positive where the logarithms are real).
                let mark = trace?.mark
                if let value = logarithmOrders(g, approaches) { return value }
                if let merged = Self.mergingLogarithms(g), depth < Self.maxLHopital {
                    do {
                        let value = try approach(merged, depth: depth + 1)
                        trace?.record(.mergedLogarithms, merged)
                        return value
                    } catch .timeout {
                        throw .timeout
                    } catch {
                        trace?.rewind(to: mark)
                    }
                }
                // ∞ − ∞: one fraction, then the quotient rules.
                let combined = Self.together(g)
                if combined != g, depth < Self.maxLHopital {
                    do {
                        let value = try approach(combined, depth: depth + 1)
                        trace?.record(.commonDenominator, combined)
                        return value
                    } catch .timeout {
                        throw .timeout
                    } catch {
                        trace?.rewind(to: mark)
                    }
                }
                if let dominant = try dominantApproach(g, infinite, depth: depth) { return dominant }
                throw .undetermined
            }
            if plus { return .plusInfinity }
            if minus { return .minusInfinity }
            return .finite(.add(finite))
        case .product, .power(_, .number):
            if case .power(let base, .number(let exponent)) = g, exponent.signum > 0 {
                return try powerApproach(base, exponent: .number(exponent), depth: depth)
            }
            if let argument = Self.periodicQuotientArgument(g), try !approach(argument, depth: depth).isFinite {
                // tan, cot, sec or csc of an argument that runs off or has no limit: every
                // value of a period (and its poles) again and again, so no limit (tan(tan x) at ∞).
                return .oscillates
            }
            return try quotientApproach(g, depth: depth)
        case .power(let base, let exponent):
            if !base.contains(name) {
                return try exponentialApproach(base: base, exponent: exponent, depth: depth)
            }
            if !exponent.contains(name) {
                return try powerApproach(base, exponent: exponent, depth: depth)
            }
            // u^v = e^(v·ln u)
            trace?.record(.exponentialForm, exponent * .ln(base))
            return try exponentialApproach(base: .e, exponent: exponent * .ln(base), depth: depth)
        case .function(let function, let argument):
            return try functionApproach(function, argument, depth: depth)
        default:
            throw .undetermined
        }
    }

    private func rationalApproach(_ fraction: RationalFunction) throws(Failure) -> Approach {
        let q0 = fraction.denominator[0]
        if !q0.isZero { return .finite(.number(fraction.numerator[0] / q0)) }
        let p0 = fraction.numerator[0]
        guard let order = fraction.denominator.coefficients.firstIndex(where: { !$0.isZero }) else { throw .undetermined }
        // Reduced, so p(0) ≠ 0; near 0⁺, q ≈ q_k·t^k with t^k > 0.
        let positive = (p0.signum > 0) == (fraction.denominator[order].signum > 0)
        return positive ? .plusInfinity : .minusInfinity
    }

    /// Products and quotients: numerator factors over denominator factors (negative powers).
    private func quotientApproach(_ g: Expr, depth: Int) throws(Failure) -> Approach {
        // Rational-function factors in t become one reduced fraction first, so x/(x + 2) at ∞
        // (t⁻¹·(t⁻¹ + 2)⁻¹) is 1/(1 + 2t), not a 0·∞ for the other rules.
        let name = Self.helper
        var rationalFactors: [Expr] = []
        var otherFactors: [Expr] = []
        for factor in g.factors {
            if factor.contains(name), RationalFunction.from(factor, name, maxDegree: 64) != nil {
                rationalFactors.append(factor)
            } else {
                otherFactors.append(factor)
            }
        }
        // Sums of constant multiples of powers of t that run off (surd coefficients keep them out
        // of RationalFunction): t^k·(…) with k the lowest power, so (x² − √2x + 1)/(x² + √2x + 1)
        // at ∞ has its t⁻² cancel instead of sending L'Hôpital round in circles.
        if depth < Self.maxLHopital, g.factors.count >= 2 {
            let rebuilt = Expr.mul(g.factors.map(Self.factoringLaurentSum))
            if rebuilt != g { return try approach(rebuilt, depth: depth + 1) }
        }
        if rationalFactors.count >= 2, !otherFactors.isEmpty, depth < Self.maxLHopital,
           let fraction = RationalFunction.from(.mul(rationalFactors), name, maxDegree: 64)?.reduced {
            let rebuilt = Expr.mul(otherFactors + [fraction.numerator.expression(in: name), .pow(fraction.denominator.expression(in: name), .minusOne)])
            if rebuilt != g { return try approach(rebuilt, depth: depth + 1) }
        }
        var numerator: [Expr] = []
        var denominator: [Expr] = []
        for factor in g.factors {
            let (base, exponent) = factor.baseAndExponent
            if let e = exponent.rationalValue, e.signum < 0 {
                denominator.append(.pow(base, .number(-e)))
            } else {
                numerator.append(factor)
            }
        }
        if let squeezed = try squeezeApproach(numerator, denominator, depth: depth) { return squeezed }
        var n = try productApproach(numerator, depth: depth)
        var d = try productApproach(denominator, depth: depth)
        var top = Expr.mul(numerator)
        var bottom = Expr.mul(denominator)
        // 0·∞ inside the numerator: send the vanishing factors below as reciprocals (∞/∞).
        if n == nil, denominator.isEmpty {
            var infinite: [Expr] = []
            var vanishing: [Expr] = []
            for factor in numerator {
                let a = try approach(factor, depth: depth)
                if a.isZero { vanishing.append(factor) } else { infinite.append(factor) }
            }
            top = .mul(infinite)
            bottom = .mul(vanishing.map { .pow($0, .minusOne) })
            n = try approach(top, depth: depth)
            d = try approach(bottom, depth: depth)
        }
        if n == nil || d == nil || (n?.isZero == true && d?.isZero == true) || (n?.isInfinite == true && d?.isInfinite == true) {
            let mark = trace?.mark
            if let growth = try growthApproach(numerator, denominator, depth: depth) { return growth }
            trace?.rewind(to: mark)
        }
        guard let nValue = n, let dValue = d else { throw .undetermined }
        switch (nValue, dValue) {
        case (.oscillates, _), (_, .oscillates):
            throw .undetermined
        case (.finite(let a), .finite(let b)):
            if !b.isZero { return .finite(a / b) }
            if a.isZero { return try lHopital(top, bottom, depth: depth) }
            guard let sa = sign(of: a), let sb = signNearZero(bottom) else { throw .undetermined }
            return sa * sb > 0 ? .plusInfinity : .minusInfinity
        case (.finite, _):
            return .finite(.zero)
        case (_, .finite(let b)):
            let positiveTop = nValue == .plusInfinity
            if b.isZero {
                guard let sb = signNearZero(bottom) else { throw .undetermined }
                return positiveTop == (sb > 0) ? .plusInfinity : .minusInfinity
            }
            guard let sb = sign(of: b) else { throw .undetermined }
            return positiveTop == (sb > 0) ? .plusInfinity : .minusInfinity
        default:
            return try lHopital(top, bottom, depth: depth)
        }
    }

    /// Growth rates: a product with an exponential factor e^v (v → ±∞), or a power of a logarithm
    /// that runs off, against powers and logarithms, as x^100·e^(−x) or ln(x)^10/x^(1/10) at ∞,
    /// where L'Hôpital would need a hundred (or ten) steps. With every
    /// factor of one sign near 0⁺, the product is ±e^E with E = Σ ln|numerator factor| −
    /// Σ ln|denominator factor| (ln e^v = v), and E is an ordinary sum: −∞ gives 0, +∞ gives ±∞,
    /// a finite E gives ±e^E. Nil when there is no such exponential or a sign is unknown.
    private func growthApproach(_ numerator: [Expr], _ denominator: [Expr], depth: Int) throws(Failure) -> Approach? {
        let name = Self.helper
        func exponent(of factor: Expr) -> Expr? {
            if case .power(let base, let v) = factor, !base.contains(name), v.contains(name) { return v * .ln(base) }
            return nil
        }
        /// A sum with a bare exponential term e^v, v → +∞ (e^x + x at ∞), and that term.
        func leadingExponential(of factor: Expr) -> Expr? {
            guard case .sum(let terms) = factor.baseAndExponent.0, factor.baseAndExponent.1.rationalValue?.isInteger == true else { return nil }
            let leads = terms.filter { term in
                guard let v = exponent(of: term) else { return false }
                return (try? approach(v, depth: depth)) == .plusInfinity
            }
            return leads.count == 1 ? leads.first : nil
        }
        var hasRunaway = false
        for factor in numerator + denominator {
            if leadingExponential(of: factor) != nil {
                hasRunaway = true
            } else if let v = exponent(of: factor) {
                if let a = try? approach(v, depth: depth), a.isInfinite { hasRunaway = true }
            } else if case .function(.ln, _) = factor.baseAndExponent.0, let a = try? approach(factor, depth: depth), a.isInfinite {
                // Powers of a logarithm against powers of t: ln(x)^10/x^(1/10) at ∞.
                hasRunaway = true
            }
        }
        guard hasRunaway, depth < Self.maxLHopital else { return nil }
        var negative = false
        var logarithm: [Expr] = []
        for (factors, sign) in [(numerator, Expr.one), (denominator, Expr.minusOne)] {
            for factor in factors {
                if let v = exponent(of: factor) {
                    logarithm.append(sign * v)
                    continue
                }
                // (T + rest)^k = T^k·(1 + rest/T)^k for the runaway exponential term T: ln T = its
                // exponent, and the ratio must tend to a non-zero constant.
                if let lead = leadingExponential(of: factor), let v = exponent(of: lead),
                   let k = factor.baseAndExponent.1.rationalValue {
                    let ratio = Expr.add(factor.baseAndExponent.0.terms.map { $0 / lead })
                    guard case .finite(let c)? = try? approach(ratio, depth: depth + 1), !c.isZero, let s = self.sign(of: c) else { return nil }
                    if s < 0 && k.numerator.isOdd { negative.toggle() }
                    logarithm.append(sign * .number(k) * (v + .ln(s < 0 ? -ratio : ratio)))
                    continue
                }
                let s: Int?
                switch try? approach(factor, depth: depth) {
                case .finite(let v)?: s = v.isZero ? signNearZero(factor) : self.sign(of: v)
                case .plusInfinity?: s = 1
                case .minusInfinity?: s = -1
                default: s = nil
                }
                guard let s else { return nil }
                if s < 0 { negative.toggle() }
                logarithm.append(sign * .ln(s < 0 ? -factor : factor))
            }
        }
        let total = Expr.add(logarithm)
        let exponentLimit: Approach
        do {
            exponentLimit = try approach(total, depth: depth + 1)
        } catch .timeout {
            throw .timeout
        } catch {
            return nil  // L'Hôpital may still manage (e^u/(1 + e^u)).
        }
        trace?.record(.growthRates, total)
        let result: Approach
        switch exponentLimit {
        case .minusInfinity: result = .finite(.zero)
        case .plusInfinity: result = negative ? .minusInfinity : .plusInfinity
        case .finite(let v): result = .finite(negative ? -.exp(v) : .exp(v))
        case .oscillates: return nil
        }
        return result
    }

    /// ∞ − ∞ by a dominant term: S = A·(S/A) for an infinite term A; when S/A tends to a
    /// non-zero c, S tends to ±∞ with the sign of A·c (10·ln(−ln t) + ln(t)/10 → −∞, since
    /// ln t outgrows ln(−ln t)). Nil when no term dominates this way.
    private func dominantApproach(_ g: Expr, _ infinite: [(Expr, Bool)], depth: Int) throws(Failure) -> Approach? {
        guard depth < Self.maxLHopital, infinite.count <= 3 else { return nil }
        for (term, positive) in infinite {
            let ratio = Expr.add(g.terms.map { $0 / term })
            let mark = trace?.mark
            let c: Approach
            do {
                c = try approach(ratio, depth: depth + 1)
            } catch .timeout {
                throw .timeout
            } catch {
                trace?.rewind(to: mark)
                continue
            }
            guard case .finite(let value) = c, !value.isZero, let s = sign(of: value) else {
                trace?.rewind(to: mark)
                continue
            }
            trace?.record(.dominantTerm, ratio)
            return positive == (s > 0) ? .plusInfinity : .minusInfinity
        }
        return nil
    }

    /// Σ cᵢ·ln uᵢ + (terms with finite limits), each uᵢ a rational function of t or its absolute
    /// value and each cᵢ a constant of any form (√5/20 − 1/20 from a binomial's residues): near
    /// t = 0, uᵢ = leadᵢ·t^{ordᵢ}·(1 + o(1)), so the sum is Σ cᵢ·ln|leadᵢ| + K·ln t + o(1) with
    /// K = Σ cᵢ·ordᵢ. K is decided exactly (expanded to 0) or in 256-bit MPFR away from 0; a K
    /// that is neither is left undetermined, never guessed from a double. Nil when g is not of
    /// this form. `approaches` are the terms' limits, already taken by the caller.
    private func logarithmOrders(_ g: Expr, _ approaches: [Approach]) -> Approach? {
        let name = Self.helper
        var order: [Expr] = [], constant: [Expr] = []
        var logarithms = 0
        for (term, approached) in zip(g.terms, approaches) {
            let variable = term.factors.filter { $0.contains(name) }
            let coefficient = Expr.mul(term.factors.filter { !$0.contains(name) })
            if variable.count == 1, case .function(.ln, let argument) = variable[0] {
                var inner = argument
                if case .function(.abs, let u) = argument { inner = u }
                guard let (power, lead) = leadingTerm(inner), let leadSign = sign(of: lead) else { return nil }
                // ln of a negative quantity is not real; |u| is what the antiderivatives write.
                guard leadSign > 0 || inner != argument else { return nil }
                order.append(coefficient * .int(power))
                constant.append(coefficient * .ln(leadSign < 0 ? -lead : lead))
                logarithms += 1
                continue
            }
            guard case .finite(let value) = approached else { return nil }
            constant.append(value)
        }
        guard logarithms >= 2 else { return nil }
        let k = Expansion.expand(.add(order))
        if k.isZero {
            trace?.record(.mergedLogarithms, g)
            return .finite(.add(constant))
        }
        guard let s = sign(of: k) else { return nil }
        return s > 0 ? .minusInfinity : .plusInfinity
    }

    /// u = lead·t^power·(1 + o(1)) near t = 0 for a rational function of t over Q, or for a sum of
    /// constants times integer powers of t with coefficients of any form (x² − (1 + √5)/2·x + 1
    /// at x = 1/t); nil otherwise or when the lowest coefficient's sign cannot be decided.
    private func leadingTerm(_ u: Expr) -> (power: Int, lead: Expr)? {
        let name = Self.helper
        if let fraction = RationalFunction.from(u, name, maxDegree: 64)?.reduced,
           let top = fraction.numerator.coefficients.firstIndex(where: { !$0.isZero }),
           let bottom = fraction.denominator.coefficients.firstIndex(where: { !$0.isZero }) {
            return (top - bottom, .number(fraction.numerator[top] / fraction.denominator[bottom]))
        }
        var coefficients: [Int: [Expr]] = [:]
        for term in Expansion.expand(u).terms {
            let variable = term.factors.filter { $0.contains(name) }
            guard variable.count <= 1 else { return nil }
            var power = 0
            if let factor = variable.first {
                let (base, exponent) = factor.baseAndExponent
                guard base == .symbol(name), let e = exponent.rationalValue, e.isInteger, let k = e.numerator.intValue else { return nil }
                power = k
            }
            coefficients[power, default: []].append(.mul(term.factors.filter { !$0.contains(name) }))
        }
        for power in coefficients.keys.sorted() {
            let lead = Expansion.expand(.add(coefficients[power] ?? []))
            if lead.isZero { continue }
            guard sign(of: lead) != nil else { return nil }
            return (power, lead)
        }
        return nil
    }

    /// c₁·ln u₁ + c₂·ln u₂ + … (rational cᵢ, at least two logarithms) as ln(u₁^c₁·u₂^c₂·…) plus
    /// the other terms; nil when there are fewer than two logarithms.
    static func mergingLogarithms(_ g: Expr) -> Expr? {
        var arguments: [Expr] = []
        var others: [Expr] = []
        for term in g.terms {
            let (c, rest) = term.coefficientAndRest
            if case .function(.ln, let u) = rest, u.contains(helper) {
                arguments.append(.pow(u, .number(c)))
            } else {
                others.append(term)
            }
        }
        guard arguments.count >= 2 else { return nil }
        return .add(others + [.ln(Expansion.expand(.mul(arguments)))])
    }

    /// The squeeze theorem: bounded factors without a limit (sin, cos, atan, tanh of something
    /// that oscillates or runs off, as sin(1/x) at 0 or sin x at ∞) times the rest. When the rest
    /// tends to 0 the product does too, |product| ≤ |rest|; otherwise the product has no limit.
    /// Nil when no bounded factor oscillates (the other rules apply).
    private func squeezeApproach(_ numerator: [Expr], _ denominator: [Expr], depth: Int) throws(Failure) -> Approach? {
        guard numerator.contains(where: Self.isBounded) else { return nil }
        var oscillating = false
        var rest: [Expr] = denominator.map { .pow($0, .minusOne) }
        for factor in numerator {
            if Self.isBounded(factor), try approach(factor, depth: depth) == .oscillates {
                oscillating = true
            } else {
                rest.append(factor)
            }
        }
        guard oscillating else { return nil }
        let remainder = Expr.mul(rest)
        guard try approach(remainder, depth: depth).isZero else { return .oscillates }
        trace?.record(.squeeze, remainder)
        return .finite(.zero)
    }

    /// sin, cos, atan or tanh of anything, to a positive power: |factor| ≤ a constant.
    static func isBounded(_ factor: Expr) -> Bool {
        let (base, exponent) = factor.baseAndExponent
        guard case .function(let function, _) = base, [.sin, .cos, .atan, .tanh].contains(function),
              let power = exponent.rationalValue else { return false }
        return power.signum > 0
    }

    /// The limit of a product of factors, or nil for 0·∞.
    private func productApproach(_ factors: [Expr], depth: Int) throws(Failure) -> Approach? {
        var finite: [Expr] = []
        var infinite = false
        var negative = false
        var zero = false
        for factor in factors {
            let a = try approach(factor, depth: depth)
            switch a {
            case .finite(let v):
                if v.isZero { zero = true }
                finite.append(v)
            case .plusInfinity: infinite = true
            case .minusInfinity: infinite = true; negative.toggle()
            case .oscillates: return .oscillates
            }
        }
        if zero && infinite { return nil }
        if infinite {
            let product = Expr.mul(finite)
            guard let s = sign(of: product) else { throw .undetermined }
            if s < 0 { negative.toggle() }
            return negative ? .minusInfinity : .plusInfinity
        }
        return .finite(.mul(finite))
    }

    private func lHopital(_ top: Expr, _ bottom: Expr, depth: Int) throws(Failure) -> Approach {
        guard depth < Self.maxLHopital else { throw .undetermined }
        do {
            let topDerivative = try Differentiator.derivative(top, Self.helper, deadline: deadline)
            let bottomDerivative = try Differentiator.derivative(bottom, Self.helper, deadline: deadline)
            guard !bottomDerivative.isZero else { throw Failure.undetermined }
            trace?.record(.lHopital, topDerivative / bottomDerivative)
            return try approach(Self.rewrite(topDerivative / bottomDerivative), depth: depth + 1)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .timeout
        }
    }

    private func powerApproach(_ base: Expr, exponent: Expr, depth: Int) throws(Failure) -> Approach {
        guard let e = NumericEvaluator.evaluate(exponent) else { throw .undetermined }
        switch try approach(base, depth: depth) {
        case .finite(let b):
            if b.isZero {
                // An even root or real power of a base that is negative near 0 is not real.
                if !(exponent.rationalValue?.denominator.isOdd ?? false), signNearZero(base) == -1 { throw .undetermined }
                if e > 0 { return .finite(.zero) }
                throw .undetermined
            }
            if let bv = NumericEvaluator.evaluate(b), bv < 0, !(exponent.rationalValue?.isInteger ?? false),
               !(exponent.rationalValue.map { $0.denominator.isOdd } ?? false) {
                throw .undetermined
            }
            return .finite(.pow(b, exponent))
        case .plusInfinity:
            return e > 0 ? .plusInfinity : .finite(.zero)
        case .minusInfinity:
            guard let r = exponent.rationalValue, r.isInteger else { throw .undetermined }
            if e < 0 { return .finite(.zero) }
            return r.numerator.isOdd ? .minusInfinity : .plusInfinity
        case .oscillates:
            return .oscillates
        }
    }

    private func exponentialApproach(base: Expr, exponent: Expr, depth: Int) throws(Failure) -> Approach {
        guard let b = NumericEvaluator.evaluate(base), b > 0 else { throw .undetermined }
        switch try approach(exponent, depth: depth) {
        case .finite(let v): return .finite(.pow(base, v))
        case .plusInfinity: return b > 1 ? .plusInfinity : (b < 1 ? .finite(.zero) : .finite(.one))
        case .minusInfinity: return b > 1 ? .finite(.zero) : (b < 1 ? .plusInfinity : .finite(.one))
        case .oscillates: throw .undetermined
        }
    }

    private func functionApproach(_ function: ElementaryFunction, _ argument: Expr, depth: Int) throws(Failure) -> Approach {
        let inner = try approach(argument, depth: depth)
        switch inner {
        case .finite(let value):
            switch function {
            case .ln:
                if value.isZero {
                    guard let s = signNearZero(argument), s > 0 else { throw .undetermined }
                    return .minusInfinity
                }
                guard let v = NumericEvaluator.evaluate(value), v > 0 else { throw .undetermined }
                return .finite(.ln(value))
            case .asin, .acos:
                guard let v = NumericEvaluator.evaluate(value), Swift.abs(v) <= 1 else { throw .undetermined }
                return .finite(.apply(function, value))
            default:
                return .finite(.apply(function, value))
            }
        case .plusInfinity, .minusInfinity:
            let plus = inner == .plusInfinity
            switch function {
            case .atan: return .finite(plus ? .pi / .int(2) : -.pi / .int(2))
            case .ln: if plus { return .plusInfinity } else { throw .undetermined }
            case .sinh: return plus ? .plusInfinity : .minusInfinity
            case .cosh, .abs: return .plusInfinity
            case .tanh: return .finite(plus ? .one : .minusOne)
            case .sin, .cos: return .oscillates
            default: throw .undetermined
            }
        case .oscillates:
            if function == .atan || function == .sin || function == .cos { return .oscillates }
            throw .undetermined
        }
    }

    /// Sign of a non-zero constant.
    /// The sign of a constant. A zero written in another form (2·(√5/20 − 1/20) + …) must not
    /// take the sign of a double's rounding error: it is expanded first, then evaluated in
    /// 256-bit MPFR, where a value within 2⁻²⁰⁰ of 0 counts as unknown.
    private func sign(of value: Expr) -> Int? {
        if let r = value.rationalValue { return r.signum }
        let expanded = Expansion.expand(value)
        if let r = expanded.rationalValue { return r.signum }
        guard let v = PreciseEvaluator.evaluate(expanded, bits: 256), mpfr_zero_p(v.pointer) == 0,
              mpfr_get_exp(v.pointer) > -200 else { return nil }
        return mpfr_cmp_ui(v.pointer, 0) > 0 ? 1 : -1
    }

    /// The sign of g(t) for small t > 0, where g → 0.
    private func signNearZero(_ g: Expr) -> Int? {
        if let p = Polynomial.from(g, Self.helper), let k = p.coefficients.firstIndex(where: { !$0.isZero }) {
            return p[k].signum
        }
        if let fraction = RationalFunction.from(g, Self.helper) {
            let (n, d) = (fraction.numerator, fraction.denominator)
            if let i = n.coefficients.firstIndex(where: { !$0.isZero }), let j = d.coefficients.firstIndex(where: { !$0.isZero }) {
                return n[i].signum * d[j].signum
            }
        }
        // Products and integer powers by their parts (t^100 underflows a double at t = 10⁻⁴).
        if case .product(let factors) = g {
            var product = 1
            for factor in factors {
                if !factor.contains(Self.helper) {
                    guard let s = sign(of: factor) else { return nil }
                    product *= s
                } else {
                    guard let s = signNearZeroOrLimit(factor) else { return nil }
                    product *= s
                }
            }
            return product
        }
        if case .power(let base, .number(let n)) = g, n.isInteger {
            if !n.numerator.isOdd { return 1 }
            return signNearZeroOrLimit(base)
        }
        var signs: Set<Int> = []
        for h in [1e-4, 1e-6, 1e-8] {
            guard let v = NumericEvaluator.evaluate(g, [Self.helper: h]), v != 0 else { return nil }
            signs.insert(v > 0 ? 1 : -1)
        }
        return signs.count == 1 ? signs.first : nil
    }

    /// The sign of g(t) for small t > 0: of its limit when that is not 0, else as `signNearZero`.
    private func signNearZeroOrLimit(_ g: Expr) -> Int? {
        switch try? approach(g, depth: Self.maxLHopital) {
        case .finite(let v)?: return v.isZero ? signNearZero(g) : sign(of: v)
        case .plusInfinity?: return 1
        case .minusInfinity?: return -1
        default: return nil
        }
    }

    /// For t > 0: (c₁t^k₁ + c₂t^k₂ + …)^r = t^(k·r)·(c₁t^(k₁−k) + …)^r with k the lowest exponent,
    /// so √(t⁻² + t⁻¹) becomes t⁻¹·√(1 + t) and the ∞ − ∞ that follows cancels.
    static func factoringRadicands(_ e: Expr) -> Expr {
        switch e {
        case .number, .constant, .symbol: return e
        case .sum(let terms): return .add(terms.map(factoringRadicands))
        case .product(let factors): return .mul(factors.map(factoringRadicands))
        case .function(let function, let argument): return .apply(function, factoringRadicands(argument))
        case .power(let base, let exponent):
            let inner = factoringRadicands(base)
            guard case .sum(let terms) = inner, let r = exponent.rationalValue, !r.isInteger else {
                return .pow(inner, factoringRadicands(exponent))
            }
            var lowest: Rational?
            for term in terms {
                let (_, rest) = term.coefficientAndRest
                var power = Rational.zero
                for factor in rest.factors {
                    let (b, x) = factor.baseAndExponent
                    if b == .symbol(helper), let value = x.rationalValue { power = power + value }
                }
                if let current = lowest, current <= power { continue }
                lowest = power
            }
            guard let k = lowest, !k.isZero else { return .pow(inner, exponent) }
            let t = Expr.symbol(helper)
            let scaled = Expansion.expand(inner * .pow(t, .number(-k)))
            return .pow(t, .number(k * r)) * .pow(scaled, exponent)
        }
    }

    /// (c₁t^j₁ + c₂t^j₂ + …)^n with constant cᵢ, integer n and lowest power k < 0 as
    /// t^(k·n)·(c₁t^(j₁−k) + …)^n; any other factor unchanged.
    static func factoringLaurentSum(_ factor: Expr) -> Expr {
        let (base, exponent) = factor.baseAndExponent
        guard case .sum(let terms) = base, let n = exponent.rationalValue, n.isInteger else { return factor }
        var lowest = Rational.zero
        for term in terms {
            var power = Rational.zero
            for part in term.factors {
                let (b, x) = part.baseAndExponent
                if b == .symbol(helper), let value = x.rationalValue {
                    power = power + value
                } else if part.contains(helper) {
                    return factor
                }
            }
            if power < lowest { lowest = power }
        }
        guard lowest.signum < 0 else { return factor }
        let t = Expr.symbol(helper)
        let scaled = Expansion.expand(base * .pow(t, .number(-lowest)))
        return .pow(t, .number(lowest * n)) * .pow(scaled, exponent)
    }

    /// |u| with u of one sign near t = 0⁺ is ±u, which L'Hôpital can work with.
    private func resolvingAbsoluteValues(_ e: Expr) throws(Failure) -> Expr {
        switch e {
        case .number, .constant, .symbol: return e
        case .sum(let terms):
            var result: [Expr] = []
            for term in terms { result.append(try resolvingAbsoluteValues(term)) }
            return .add(result)
        case .product(let factors):
            var result: [Expr] = []
            for factor in factors { result.append(try resolvingAbsoluteValues(factor)) }
            return .mul(result)
        case .power(let base, let exponent):
            return .pow(try resolvingAbsoluteValues(base), try resolvingAbsoluteValues(exponent))
        case .function(let function, let argument):
            let inner = try resolvingAbsoluteValues(argument)
            guard function == .abs, inner.contains(Self.helper) else { return .apply(function, inner) }
            let s: Int?
            switch try? LimitEngine(deadline: deadline).approach(inner, depth: Self.maxLHopital - 3) {
            case .finite(let v)?: s = v.isZero ? signNearZero(inner) : sign(of: v)
            case .plusInfinity?: s = 1
            case .minusInfinity?: s = -1
            default: s = nil
            }
            guard let s else { return .apply(function, inner) }
            return s > 0 ? inner : -inner
        }
    }

    /// Sums of quotients over one common denominator: a/b + c/d = (a·d + c·b)/(b·d).
    static func together(_ e: Expr) -> Expr {
        var numerator = Expr.zero
        var denominator = Expr.one
        for term in e.terms {
            var top: [Expr] = []
            var bottom: [Expr] = []
            for factor in term.factors {
                let (base, exponent) = factor.baseAndExponent
                if let r = exponent.rationalValue, r.signum < 0 {
                    bottom.append(.pow(base, .number(-r)))
                } else {
                    top.append(factor)
                }
            }
            let b = Expr.mul(bottom)
            numerator = Expansion.expand(numerator * b + .mul(top) * denominator)
            denominator = denominator * b
        }
        return numerator / denominator
    }
}

/// The rules a limit computation used, in order, each with the expression it produced (in the
/// helper variable t → 0⁺). A class so the recursive evaluation can append to one record.
public final class LimitTrace {
    public enum Rule: String, Sendable {
        case rationalFunction, lHopital, exponentialForm, commonDenominator, squeeze, growthRates, mergedLogarithms, dominantTerm
    }

    public private(set) var entries: [(rule: Rule, expression: Expr)] = []
    static let maxEntries = 24

    public init() {}

    /// The number of entries, to rewind to when an attempt is abandoned.
    var mark: Int { entries.count }

    /// Forgets what an abandoned attempt recorded, so the steps show only the path taken.
    func rewind(to mark: Int?) {
        guard let mark, entries.count > mark else { return }
        entries.removeLast(entries.count - mark)
    }

    func record(_ rule: Rule, _ expression: Expr) {
        guard entries.count < Self.maxEntries, !entries.contains(where: { $0.rule == rule && $0.expression == expression }) else { return }
        entries.append((rule, expression))
    }

    /// The helper variable the recorded expressions are written in.
    public static var variable: String { LimitEngine.helper }
}

import ExactMath
import Foundation

/// ∫ₐᵇ f dx: with an antiderivative F, the interval is cut at every point where f or F is
/// singular (poles of rational parts, zeros of cos/sin under sec/tan/csc/cot, zeros of ln's
/// argument), and each piece is lim F(b⁻) − lim F(a⁺) through `LimitEngine`; an infinite piece
/// makes the integral divergent. The exact value is cross-checked against numeric quadrature
/// when one is available, so a branch jump in F can never produce a wrong exact answer.
/// Without an antiderivative the value is numeric and says so.
public struct DefiniteIntegrator {
    public enum Outcome: Sendable, Equatable {
        case exact(Expr)
        case divergent(at: [String])
        case numeric(Double)
    }

    public struct Result: Sendable {
        public var outcome: Outcome
        public var antiderivative: Expr?
        public var breakpoints: [Expr]
        public var steps: [IntegrationStep]

        public init(outcome: Outcome, antiderivative: Expr?, breakpoints: [Expr], steps: [IntegrationStep]) {
            self.outcome = outcome
            self.antiderivative = antiderivative
            self.breakpoints = breakpoints
            self.steps = steps
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        case unsupported
        case undefinedOnInterval
        case timeout
    }

    let variable: String
    let deadline: Deadline?

    public init(variable: String, deadline: Deadline? = nil) {
        self.variable = variable
        self.deadline = deadline
    }

    public func integrate(_ f: Expr, from lower: LimitPoint, to upper: LimitPoint) throws(Failure) -> Result {
        let a = numericValue(lower)
        let b = numericValue(upper)
        guard a.isNaN == false, b.isNaN == false else { throw .unsupported }
        if a == b { return Result(outcome: .exact(.zero), antiderivative: nil, breakpoints: [], steps: []) }
        if a > b {
            var flipped = try integrate(f, from: upper, to: lower)
            if case .exact(let value) = flipped.outcome { flipped.outcome = .exact(-value) }
            if case .numeric(let value) = flipped.outcome { flipped.outcome = .numeric(-value) }
            return flipped
        }
        if let value = dirichlet(f, from: lower, to: upper) {
            let step = IntegrationStep(rule: .dirichletIntegral, integrand: f, result: value)
            return Result(outcome: .exact(value), antiderivative: nil, breakpoints: [], steps: [step])
        }
        switch trigBeta(f, from: lower, to: upper) {
        case .value(let value):
            let step = IntegrationStep(rule: .trigBeta, integrand: f, result: value)
            return Result(outcome: .exact(value), antiderivative: nil, breakpoints: [], steps: [step])
        case .divergent(let points):
            return Result(outcome: .divergent(at: points.map(\.ascii)), antiderivative: nil, breakpoints: [], steps: [])
        case nil:
            break
        }
        let integrator = Integrator(variable: variable, deadline: deadline)
        let antiderivative: Expr?
        do {
            antiderivative = try integrator.antiderivative(f)
        } catch .timeout {
            throw .timeout
        } catch {
            antiderivative = nil
        }
        let singular = try breakpoints(of: f, a: a, b: b)
        let numeric = quadrature(f, a, b, avoiding: singular.map(\.1))

        guard let F = antiderivative else {
            // No antiderivative: the comparison test may still show the integral diverges.
            let divergent = try comparisonDivergence(f, lower: lower, upper: upper, singular: singular.map(\.0))
            if !divergent.isEmpty {
                return Result(outcome: .divergent(at: divergent), antiderivative: nil, breakpoints: singular.map(\.0), steps: integrator.steps)
            }
            guard singular.isEmpty else { throw .unsupported }
            guard let numeric else { throw .undefinedOnInterval }
            return Result(outcome: .numeric(numeric), antiderivative: nil, breakpoints: [], steps: integrator.steps)
        }
        let cuts: [(Expr, Double)]
        do {
            cuts = try breakpoints(of: F, a: a, b: b)
        } catch .unsupported {
            // F breaks where we cannot locate exactly (ln|x − √2|); a divergence of f there still shows.
            let divergent = try comparisonDivergence(f, lower: lower, upper: upper, singular: singular.map(\.0))
            if !divergent.isEmpty {
                return Result(outcome: .divergent(at: divergent), antiderivative: F, breakpoints: singular.map(\.0), steps: integrator.steps)
            }
            throw .unsupported
        }
        var points = singular
        for cut in cuts where !points.contains(where: { Swift.abs($0.1 - cut.1) < 1e-12 * Swift.max(1, Swift.abs(cut.1)) }) {
            points.append(cut)
        }
        points.sort { $0.1 < $1.1 }
        var knots: [LimitPoint] = [lower]
        knots += points.map { LimitPoint.finite($0.0) }
        knots.append(upper)
        var total: [Expr] = []
        var divergentAt: [String] = []
        let engine = LimitEngine(deadline: deadline)
        for index in 0..<(knots.count - 1) {
            let (left, right) = (knots[index], knots[index + 1])
            let top: LimitValue
            let bottom: LimitValue
            do {
                top = try engine.limit(F, variable: variable, point: right, direction: .minus)
                bottom = try engine.limit(F, variable: variable, point: left, direction: .plus)
            } catch .timeout {
                throw .timeout
            } catch {
                let divergent = try comparisonDivergence(f, lower: lower, upper: upper, singular: singular.map(\.0))
                if !divergent.isEmpty {
                    return Result(outcome: .divergent(at: divergent), antiderivative: F, breakpoints: points.map(\.0), steps: integrator.steps)
                }
                guard let numeric, singular.isEmpty else { throw .unsupported }
                return Result(outcome: .numeric(numeric), antiderivative: F, breakpoints: points.map(\.0), steps: integrator.steps)
            }
            switch (top, bottom) {
            case (.finite(let t), .finite(let s)):
                total.append(t - s)
            default:
                if case .finite = top {} else { divergentAt.append(right.ascii) }
                if case .finite = bottom {} else { divergentAt.append(left.ascii) }
            }
        }
        if !divergentAt.isEmpty {
            var unique: [String] = []
            for point in divergentAt where !unique.contains(point) { unique.append(point) }
            return Result(outcome: .divergent(at: unique), antiderivative: F, breakpoints: points.map(\.0), steps: integrator.steps)
        }
        let value = Expr.add(total)
        // Cross-check: an exact value must agree with the quadrature when both exist.
        if let numeric, let exactValue = NumericEvaluator.evaluate(value),
           Swift.abs(exactValue - numeric) > 1e-7 * Swift.max(1, Swift.abs(numeric)) {
            return Result(outcome: .numeric(numeric), antiderivative: nil, breakpoints: points.map(\.0), steps: integrator.steps)
        }
        return Result(outcome: .exact(value), antiderivative: F, breakpoints: points.map(\.0), steps: integrator.steps)
    }

    /// Whether f is not a real number on a stretch inside the interval (√(x² − 4) on [−2, 1],
    /// ln x on [−2, 0]): at least two consecutive interior sample points where a logarithm's
    /// argument is negative, an even root's radicand is negative or asin/acos leave [−1, 1].
    /// Only a refusal's label depends on it (`undefined_on_interval` rather than `unsupported`),
    /// never a value.
    public static func notRealInside(_ f: Expr, variable: String, from lower: LimitPoint, to upper: LimitPoint) -> Bool {
        func bound(_ point: LimitPoint, _ infinite: Double) -> Double? {
            switch point {
            case .finite(let value): return NumericEvaluator.evaluate(value)
            case .plusInfinity: return infinite
            case .minusInfinity: return -infinite
            }
        }
        guard let a0 = bound(lower, 1e6), let b0 = bound(upper, 1e6), a0 != b0 else { return false }
        let (a, b) = (Swift.min(a0, b0), Swift.max(a0, b0))
        var previous = false
        for k in 1..<128 {
            let x = a + (b - a) * Double(k) / 128
            let bad = domainViolation(f, [variable: x])
            if bad && previous { return true }
            previous = bad
        }
        return false
    }

    /// A real-domain violation somewhere in e at the given point (not a pole or an overflow).
    static func domainViolation(_ e: Expr, _ bindings: [String: Double]) -> Bool {
        switch e {
        case .number, .constant, .symbol:
            return false
        case .sum(let items), .product(let items):
            return items.contains { domainViolation($0, bindings) }
        case .power(let base, let exponent):
            if domainViolation(base, bindings) || domainViolation(exponent, bindings) { return true }
            if let r = exponent.rationalValue, r.denominator.isOdd { return false }
            let value = NumericEvaluator.raw(base, bindings)
            return value.isFinite && value < 0
        case .function(let function, let argument):
            if domainViolation(argument, bindings) { return true }
            let value = NumericEvaluator.raw(argument, bindings)
            guard value.isFinite else { return false }
            switch function {
            case .ln: return value < 0
            case .asin, .acos: return Swift.abs(value) > 1
            default: return false
            }
        }
    }

    /// c·sin(ax)/x over [0, ∞): sgn(a)·c·π/2 (the Dirichlet integral; over (−∞, ∞) twice that).
    /// sin x/x has no elementary antiderivative and the integral converges only conditionally, so
    /// neither the antiderivative route nor quadrature can give it.
    func dirichlet(_ f: Expr, from lower: LimitPoint, to upper: LimitPoint) -> Expr? {
        let factor: Rational
        switch (lower, upper) {
        case (.finite(let a), .plusInfinity) where a.isZero: factor = Rational(1, 2)
        case (.minusInfinity, .plusInfinity): factor = .one
        default: return nil
        }
        var constants: [Expr] = []
        var rate: Rational?
        var reciprocal = false
        for part in f.factors {
            if !part.contains(variable) {
                constants.append(part)
            } else if case .function(.sin, let u) = part, rate == nil, let p = Polynomial.from(u, variable, maxDegree: 1), p.degree == 1, p[0].isZero {
                rate = p[1]
            } else if part == .pow(.symbol(variable), .minusOne), !reciprocal {
                reciprocal = true
            } else {
                return nil
            }
        }
        guard let rate, reciprocal else { return nil }
        return .mul(constants) * .number(Rational(rate.signum) * factor) * .pi
    }

    /// The limit comparison test against ∫dx/|x − c| (∫dx/x at an infinite end): where
    /// (x − c)·f, or x·f at ±∞, tends to a non-zero number or to ±∞ from inside the interval, f
    /// keeps one sign near c and |f| ≥ k/|x − c| there, so the integral diverges. A limit of 0 or
    /// none at all proves nothing; those points are left to the other rules.
    func comparisonDivergence(_ f: Expr, lower: LimitPoint, upper: LimitPoint, singular: [Expr]) throws(Failure) -> [String] {
        let engine = LimitEngine(deadline: deadline)
        let x = Expr.symbol(variable)
        func diverges(at point: LimitPoint, from direction: LimitDirection) throws(Failure) -> Bool {
            let g: Expr
            switch point {
            case .finite(let c): g = (x - c) * f
            case .plusInfinity, .minusInfinity: g = x * f
            }
            let value: LimitValue
            do {
                value = try engine.limit(g, variable: variable, point: point, direction: direction)
            } catch .timeout {
                throw .timeout
            } catch {
                return false
            }
            switch value {
            case .plusInfinity, .minusInfinity: return true
            case .doesNotExist: return false
            case .finite(let v):
                if v.isZero { return false }
                if let r = v.rationalValue { return !r.isZero }
                guard let d = NumericEvaluator.evaluate(v) else { return false }
                return Swift.abs(d) > 1e-9
            }
        }
        var found: [String] = []
        if try diverges(at: lower, from: .plus) { found.append(lower.ascii) }
        for point in singular {
            let inside = LimitPoint.finite(point)
            if try diverges(at: inside, from: .minus) {
                found.append(inside.ascii)
            } else if try diverges(at: inside, from: .plus) {
                found.append(inside.ascii)
            }
        }
        if try diverges(at: upper, from: .minus) { found.append(upper.ascii) }
        return found
    }

    private func numericValue(_ point: LimitPoint) -> Double {
        switch point {
        case .plusInfinity: return .infinity
        case .minusInfinity: return -.infinity
        case .finite(let value): return NumericEvaluator.evaluate(value) ?? .nan
        }
    }

    /// ∫ numerically, split at the singular points (nil when f misbehaves or the points are poles).
    private func quadrature(_ f: Expr, _ a: Double, _ b: Double, avoiding points: [Double]) -> Double? {
        guard points.isEmpty else { return nil }
        let name = variable
        let estimate = NumericQuadrature.integrate({ x in NumericEvaluator.evaluate(f, [name: x]) }, from: a, to: b)
        return estimate?.value
    }

    /// Points strictly inside (a, b) where `g` (or a piece of it) has a pole or a log singularity,
    /// exactly, with their numeric positions.
    func breakpoints(of g: Expr, a: Double, b: Double) throws(Failure) -> [(Expr, Double)] {
        var found: [(Expr, Double)] = []
        func add(_ point: Expr) {
            guard let v = NumericEvaluator.evaluate(point), v > a, v < b else { return }
            if found.contains(where: { Swift.abs($0.1 - v) < 1e-12 * Swift.max(1, Swift.abs(v)) }) { return }
            found.append((point, v))
        }
        for zeroOf in Self.vanishingParts(LimitEngine.rewrite(g), variable) {
            do { try deadline?.check() } catch { throw .timeout }
            if let p = Polynomial.from(zeroOf, variable, maxDegree: PolynomialFactorizer.maxDegree), p.degree >= 1 {
                guard let (_, factors) = PolynomialFactorizer.factor(p) else {
                    // Roots we cannot write exactly: if one is inside, refuse rather than guess.
                    if NumericRoots.roots(of: p).contains(where: { Swift.abs($0.imaginary) < 1e-9 && $0.real > a && $0.real < b }) {
                        throw .unsupported
                    }
                    continue
                }
                for factor in factors {
                    let poly = factor.polynomial
                    if poly.degree == 1 {
                        add(.number(-poly[0]))
                    } else {
                        let discriminant = poly[1] * poly[1] - Rational(4) * poly[0]
                        if discriminant.signum > 0 {
                            let root = Expr.sqrt(.number(discriminant))
                            add((.number(-poly[1]) + root) / .int(2))
                            add((.number(-poly[1]) - root) / .int(2))
                        }
                    }
                }
            } else if case .function(let function, let u) = zeroOf, function == .sin || function == .cos,
                      let p = Polynomial.from(u, variable, maxDegree: 1), p.degree == 1 {
                // sin(u) = 0 at u = kπ; cos(u) = 0 at u = π/2 + kπ; x = (u − p₀)/p₁.
                let offset = function == .cos ? 0.5 : 0.0
                let slope = p[1].doubleValue, intercept = p[0].doubleValue
                let ends = [(a * slope + intercept) / Double.pi - offset, (b * slope + intercept) / Double.pi - offset]
                guard ends.allSatisfy(\.isFinite) else { throw .unsupported }
                let low = Int(Swift.min(ends[0], ends[1]).rounded(.down)), high = Int(Swift.max(ends[0], ends[1]).rounded(.up))
                guard high - low <= 1000 else { throw .unsupported }
                for k in low...high {
                    let u = Expr.pi * (Expr.int(k) + .number(Rational(function == .cos ? 1 : 0, 2)))
                    add((u - .number(p[0])) / .number(p[1]))
                }
            } else if zeroOf.contains(variable) {
                // A denominator we cannot solve: refuse if it vanishes inside (sampled). A zero
                // at an end is fine: the one-sided limit there decides (x·√(x + 1) at 0).
                if a.isFinite && b.isFinite {
                    var previous: Double?
                    for k in 0...400 {
                        let x = a + (b - a) * Double(k) / 400
                        guard let v = NumericEvaluator.evaluate(zeroOf, [variable: x]) else { continue }
                        if v == 0 {
                            if k == 0 || k == 400 { continue }
                            throw .unsupported
                        }
                        if let previous, previous * v < 0 { throw .unsupported }
                        previous = v
                    }
                }
            }
        }
        return found
    }

    /// Sub-expressions whose zeros make `g` singular: bases of negative powers, ln arguments.
    static func vanishingParts(_ g: Expr, _ variable: String) -> [Expr] {
        var parts: [Expr] = []
        func visit(_ e: Expr) {
            switch e {
            case .power(let base, let exponent):
                if let r = exponent.rationalValue, r.signum < 0, base.contains(variable), !parts.contains(base) { parts.append(base) }
                visit(base)
                visit(exponent)
            case .function(let function, let argument):
                if function == .ln, argument.contains(variable), !parts.contains(argument) {
                    // ln|u| and ln u are singular where u = 0.
                    if case .function(.abs, let inner) = argument { parts.append(inner) } else { parts.append(argument) }
                }
                visit(argument)
            case .sum(let items), .product(let items):
                items.forEach(visit)
            default:
                break
            }
        }
        visit(g)
        return parts
    }
}

import CGMP
import ExactMath

/// Decimal values of exact constant expressions to any number of digits, through MPFR with
/// guard bits beyond the digits asked for: the decimal of `pi/4 + ln(2)/2` is derived from the
/// exact value, never from a double.
public enum PreciseEvaluator {
    /// `value` to `digits` places after the point, or nil when it is not a real number
    /// (or contains a variable).
    public static func decimal(_ value: Expr, digits: Int) -> String? {
        if let rational = value.rationalValue { return DecimalApproximation.of(rational, digits: digits) }
        guard value.symbols.isEmpty else { return nil }
        let bits = Int(Double(digits) * 3.33) + 96
        guard let number = evaluate(value, bits: bits) else { return nil }
        return fixedPoint(number, digits: digits, bits: bits)
    }

    /// An MPFR number written with exactly `digits` places, rounded to nearest.
    static func fixedPoint(_ number: MPFRNumber, digits: Int, bits: Int) -> String {
        let scaled = MPFRNumber(bits: bits + 16)
        let ten = MPFRNumber(bits: bits + 16)
        mpfr_set_ui(ten.pointer, 10, MPFR_RNDN)
        mpfr_pow_ui(ten.pointer, ten.pointer, UInt(digits), MPFR_RNDN)
        mpfr_mul(scaled.pointer, number.pointer, ten.pointer, MPFR_RNDN)
        let negative = mpfr_sgn(scaled.pointer) < 0
        mpfr_abs(scaled.pointer, scaled.pointer, MPFR_RNDN)
        let integer = BigInt.make { mpfr_get_z($0, scaled.pointer, MPFR_RNDN) }
        return DecimalApproximation.format(integer, negative: negative, digits: digits)
    }

    static func evaluate(_ e: Expr, bits: Int, bindings: [String: MPFRNumber] = [:]) -> MPFRNumber? {
        let result = MPFRNumber(bits: bits)
        let r = result.pointer
        switch e {
        case .number(let value):
            let denominator = MPFRNumber(bits: bits)
            value.numerator.withMPZ { _ = mpfr_set_z(r, $0, MPFR_RNDN) }
            value.denominator.withMPZ { _ = mpfr_set_z(denominator.pointer, $0, MPFR_RNDN) }
            mpfr_div(r, r, denominator.pointer, MPFR_RNDN)
        case .constant(.pi):
            mpfr_const_pi(r, MPFR_RNDN)
        case .constant(.e):
            mpfr_set_ui(r, 1, MPFR_RNDN)
            mpfr_exp(r, r, MPFR_RNDN)
        case .symbol(let name):
            guard let value = bindings[name] else { return nil }
            mpfr_set(r, value.pointer, MPFR_RNDN)
        case .sum(let terms):
            mpfr_set_ui(r, 0, MPFR_RNDN)
            for term in terms {
                guard let v = evaluate(term, bits: bits, bindings: bindings) else { return nil }
                mpfr_add(r, r, v.pointer, MPFR_RNDN)
            }
        case .product(let factors):
            mpfr_set_ui(r, 1, MPFR_RNDN)
            for factor in factors {
                guard let v = evaluate(factor, bits: bits, bindings: bindings) else { return nil }
                mpfr_mul(r, r, v.pointer, MPFR_RNDN)
            }
        case .power(let base, let exponent):
            if base == .e {
                guard let v = evaluate(exponent, bits: bits, bindings: bindings) else { return nil }
                mpfr_exp(r, v.pointer, MPFR_RNDN)
                break
            }
            guard let b = evaluate(base, bits: bits, bindings: bindings) else { return nil }
            if let q = exponent.rationalValue, let n = q.numerator.intValue, let d = q.denominator.intValue, d <= 64 {
                // Real roots of negative bases for odd d.
                if d > 1 {
                    if mpfr_sgn(b.pointer) < 0 && d % 2 == 0 { return nil }
                    mpfr_rootn_ui(b.pointer, b.pointer, UInt(d), MPFR_RNDN)
                }
                if mpfr_zero_p(b.pointer) != 0 && n < 0 { return nil }
                mpfr_pow_si(r, b.pointer, n, MPFR_RNDN)
            } else {
                guard let x = evaluate(exponent, bits: bits, bindings: bindings), mpfr_sgn(b.pointer) > 0 else { return nil }
                mpfr_pow(r, b.pointer, x.pointer, MPFR_RNDN)
            }
        case .function(let function, let argument):
            guard let a = evaluate(argument, bits: bits, bindings: bindings) else { return nil }
            let x = a.pointer
            switch function {
            case .sin: mpfr_sin(r, x, MPFR_RNDN)
            case .cos: mpfr_cos(r, x, MPFR_RNDN)
            case .tan: mpfr_tan(r, x, MPFR_RNDN)
            case .cot: mpfr_cot(r, x, MPFR_RNDN)
            case .sec: mpfr_sec(r, x, MPFR_RNDN)
            case .csc: mpfr_csc(r, x, MPFR_RNDN)
            case .asin: mpfr_asin(r, x, MPFR_RNDN)
            case .acos: mpfr_acos(r, x, MPFR_RNDN)
            case .atan: mpfr_atan(r, x, MPFR_RNDN)
            case .sinh: mpfr_sinh(r, x, MPFR_RNDN)
            case .cosh: mpfr_cosh(r, x, MPFR_RNDN)
            case .tanh: mpfr_tanh(r, x, MPFR_RNDN)
            case .ln:
                guard mpfr_sgn(x) > 0 else { return nil }
                mpfr_log(r, x, MPFR_RNDN)
            case .abs: mpfr_abs(r, x, MPFR_RNDN)
            }
        }
        guard mpfr_number_p(r) != 0 else { return nil }
        return result
    }
}

/// One MPFR floating-point number, cleared when released.
final class MPFRNumber {
    let pointer: UnsafeMutablePointer<__mpfr_struct>

    init(bits: Int) {
        pointer = .allocate(capacity: 1)
        mpfr_init2(pointer, mpfr_prec_t(bits))
    }

    deinit {
        mpfr_clear(pointer)
        pointer.deallocate()
    }
}

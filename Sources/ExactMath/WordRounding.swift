/// `DecimalApproximation`'s roundings in 128-bit machine words, for the common case of
/// word-sized inputs and a few dozen digits: the same results without a heap allocation.
///
/// Every function answers nil when a value would not fit in 128 bits, or (for surds) when the
/// guard digits cannot decide the rounding; the caller then takes the BigInt path. So this is a
/// shortcut, never a second opinion.
enum WordRounding {
    /// Guard digits of the surd shortcut: enough to decide all but about one rounding in a
    /// thousand, few enough that 15–16 digits of a small surd fit in 128 bits.
    static let guardDigits = 3

    /// 10⁰ … 10³⁸, every power of ten below 2^128.
    private static let powersOfTen: [UInt128] = (0...38).reduce(into: []) { table, exponent in
        table.append(exponent == 0 ? 1 : table[exponent - 1] * 10)
    }

    /// 10^exponent, or nil past 10^38.
    static func powerOfTen(_ exponent: Int) -> UInt128? {
        powersOfTen.indices.contains(exponent) ? powersOfTen[exponent] : nil
    }

    /// |numerator / denominator|·10^shift rounded half away from zero.
    static func rounded(numerator: Int128, denominator: UInt128, shift: Int) -> UInt128? {
        guard denominator > 0, let scale = powerOfTen(shift) else { return nil }
        return roundedQuotient(numerator.magnitude, times: scale, over: denominator, unit: 1)
    }

    /// ⌊(2·|value|·factor + denominator·unit) / (2·denominator·unit)⌋: |value|·factor/denominator
    /// rounded half away from zero to a multiple of `unit`, counted in units.
    private static func roundedQuotient(_ magnitude: UInt128, times factor: UInt128, over denominator: UInt128, unit: UInt128) -> UInt128? {
        let (scaled, o1) = magnitude.multipliedReportingOverflow(by: factor)
        let (twice, o2) = scaled.multipliedReportingOverflow(by: 2)
        let (divisorUnit, o3) = denominator.multipliedReportingOverflow(by: unit)
        let (sum, o4) = twice.addingReportingOverflow(divisorUnit)
        let (divisor, o5) = divisorUnit.multipliedReportingOverflow(by: 2)
        guard !(o1 || o2 || o3 || o4 || o5) else { return nil }
        return sum / divisor
    }

    /// `(p + q·√m) / r` to `digits` places, as `DecimalApproximation.ofSurd` computes it.
    static func surd(p: BigInt, q: BigInt, m: BigInt, r: BigInt, digits: Int) -> String? {
        guard let p = p.intValue, let q = q.intValue, let m = m.intValue, let r = r.intValue,
              let bracket = SurdBracket(p: p, q: q.magnitude, m: m, r: r, digits: digits) else { return nil }
        return bracket.rounded(sign: q < 0 ? -1 : 1)
    }

    /// `(p − q·√m) / r` and `(p + q·√m) / r` (q > 0), sharing the square root: the two roots
    /// of a quadratic.
    static func surdPair(p: BigInt, q: BigInt, m: BigInt, r: BigInt, digits: Int) -> (minus: String, plus: String)? {
        guard let p = p.intValue, let q = q.intValue, q > 0, let m = m.intValue, let r = r.intValue,
              let bracket = SurdBracket(p: p, q: q.magnitude, m: m, r: r, digits: digits),
              let minus = bracket.rounded(sign: -1), let plus = bracket.rounded(sign: 1) else { return nil }
        return (minus, plus)
    }

    /// ⌊|q|·√m·10^(digits+g)⌋ and p·10^(digits+g) in machine words, from which either sign's
    /// rounding is read.
    private struct SurdBracket {
        let root: Int128
        let base: Int128
        let r: Int
        let unit: UInt128
        let digits: Int

        init?(p: Int, q: UInt, m: Int, r: Int, digits: Int) {
            guard r > 0, m > 0, let scale = powerOfTen(digits + guardDigits), let unit = powerOfTen(guardDigits) else { return nil }
            // q²·m·scale², whose floor square root brackets |q|·√m·scale between root and root + 1.
            let limit: UInt128 = 1 << 126  // keeps Newton's sums below 2^128
            guard let squared = product(UInt128(q), UInt128(q), below: limit),
                  let timesM = product(squared, UInt128(m), below: limit),
                  let once = product(timesM, scale, below: limit),
                  let radicand = product(once, scale, below: limit)
            else { return nil }
            let (base, overflow) = Int128(p).multipliedReportingOverflow(by: Int128(scale))
            guard !overflow, base.magnitude < (1 << 125) else { return nil }
            (self.root, self.base, self.r, self.unit, self.digits) = (Int128(squareRootFloor(radicand)), base, r, unit, digits)
        }

        /// The rounding of (p + sign·|q|·√m)/r, or nil when the guard digits cannot decide it.
        func rounded(sign: Int) -> String? {
            let (low, high) = sign < 0 ? (base - root - 1, base - root) : (base + root, base + root + 1)
            guard let lower = roundedQuotient(low.magnitude, times: 1, over: UInt128(r), unit: unit),
                  let upper = roundedQuotient(high.magnitude, times: 1, over: UInt128(r), unit: unit),
                  lower == upper, (low < 0) == (high < 0) || lower == 0
            else { return nil }
            return DecimalApproximation.format(lower, negative: low < 0, digits: digits)
        }
    }

    private static func product(_ a: UInt128, _ b: UInt128, below limit: UInt128) -> UInt128? {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow || value >= limit ? nil : value
    }

    /// ⌊√n⌋ for n < 2^126. A floating-point square root is only the starting guess (within
    /// about 2^10 of the root); one Newton step in integers brings it within one, and integer
    /// comparisons settle the result, so it is exact whatever the guess was.
    static func squareRootFloor(_ n: UInt128) -> UInt128 {
        guard n > 1 else { return n }
        let approximate = Double(UInt64(truncatingIfNeeded: n >> 64)) * 0x1p64 + Double(UInt64(truncatingIfNeeded: n))
        let guess = approximate.squareRoot()
        var x = guess < 0x1p63 ? UInt128(max(1, UInt64(guess))) : UInt128(1) << 63
        x = (x + n / x) / 2
        func squareExceeds(_ value: UInt128) -> Bool {
            let (square, overflow) = value.multipliedReportingOverflow(by: value)
            return overflow || square > n
        }
        while squareExceeds(x) { x -= 1 }
        while !squareExceeds(x + 1) { x += 1 }
        return x
    }
}

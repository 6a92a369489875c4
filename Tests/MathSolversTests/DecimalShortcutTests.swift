@testable import ExactMath
import Testing

/// The machine-word shortcut of `DecimalApproximation` must give exactly what the BigInt path
/// gives, or stand aside (nil): checked on seeded random inputs, and on the near-ties where the
/// shortcut's three guard digits cannot decide.
@Suite("Decimal roundings in machine words")
struct DecimalShortcutTests {
    @Test func surdsAgreeWithTheBigIntegerPath() {
        var random = SeededGenerator(seed: 20261126)
        var answered = 0
        for _ in 0..<20_000 {
            let p = BigInt(Int.random(in: -1_000_000...1_000_000, using: &random))
            let q = BigInt(Int.random(in: -5_000...5_000, using: &random))
            let m = BigInt(Int.random(in: 2...100_000, using: &random))
            let r = BigInt(Int.random(in: 1...10_000, using: &random))
            let digits = Int.random(in: 0...20, using: &random)
            let exact = DecimalApproximation.surdInBigIntegers(p: p, q: q, m: m, r: r, digits: digits)
            if let word = WordRounding.surd(p: p, q: q, m: m, r: r, digits: digits) {
                answered += 1
                #expect(word == exact, "(\(p) + \(q)·√\(m))/\(r) to \(digits)")
            }
            #expect(DecimalApproximation.ofSurd(p: p, q: q, m: m, r: r, digits: digits) == exact)
            if q.signum > 0 {
                let pair = DecimalApproximation.ofSurdPair(p: p, q: q, m: m, r: r, digits: digits)
                #expect(pair.plus == exact)
                #expect(pair.minus == DecimalApproximation.surdInBigIntegers(p: p, q: -q, m: m, r: r, digits: digits))
            }
        }
        #expect(answered > 10_000)  // the shortcut does take the common case
    }

    @Test func rationalsAgreeWithTheBigIntegerPath() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let numerator = Int.random(in: -Int(Int32.max)...Int(Int32.max), using: &random) * (Bool.random(using: &random) ? 1 : 1 << 20)
            let denominator = Int.random(in: 1...1_000_000, using: &random)
            let value = Rational(BigInt(numerator), BigInt(denominator))
            let digits = Int.random(in: 0...40, using: &random)
            #expect(DecimalApproximation.of(value, digits: digits) == DecimalApproximation.rationalInBigIntegers(value, digits: digits))
        }
        // Exact ties round away from zero on both paths.
        #expect(DecimalApproximation.of(Rational(BigInt(-1), BigInt(8)), digits: 2) == "-0.13")
        #expect(DecimalApproximation.of(Rational(BigInt(5), BigInt(2)), digits: 0) == "3")
    }

    /// The machine-word formatter splits values at 10^19: either side of the split, zero and
    /// the largest value read as their decimal text does.
    @Test func wordFormattingAgreesWithTheDigitText() {
        let tenToThe19: UInt128 = 10_000_000_000_000_000_000
        for value in [0, 7, tenToThe19 - 1, tenToThe19, tenToThe19 + 5, tenToThe19 * 10 + 3, UInt128(UInt64.max), .max] as [UInt128] {
            for digits in [0, 3, 19, 20, 45] {
                for negative in [false, true] {
                    #expect(DecimalApproximation.format(value, negative: negative, digits: digits)
                        == DecimalApproximation.format(String(value), negative: negative, digits: digits), "\(value), \(digits)")
                }
            }
        }
        #expect(DecimalApproximation.format(tenToThe19 + 5, negative: true, digits: 3) == "-10000000000000000.005")
    }

    @Test func nearTiesAndRationalSurdsFallBackCorrectly() {
        // √(N² − 1)/r with N = 1.0005·r: 2·10^−12 below the tie 1.0005, which at three places
        // and three guard digits leaves the bracket straddling it — the shortcut must stand aside.
        let r = BigInt(500_000), n = BigInt(500_250)
        let m = n * n - BigInt(1)
        #expect(WordRounding.surd(p: 0, q: 1, m: m, r: r, digits: 3) == nil)
        #expect(DecimalApproximation.ofSurd(p: 0, q: 1, m: m, r: r, digits: 3) == "1.000")
        #expect(DecimalApproximation.ofSurd(p: 0, q: -1, m: m, r: r, digits: 3) == "-1.000")
        #expect(DecimalApproximation.ofSurd(p: 0, q: 1, m: m, r: r, digits: 12) == "1.000499999998")
        // A perfect-square radicand is a rational value, ties included: (0 + √1)/2 = 0.5 → 1.
        #expect(DecimalApproximation.ofSurd(p: 0, q: 1, m: 1, r: 2, digits: 0) == "1")
        #expect(DecimalApproximation.surdInBigIntegers(p: 0, q: -3, m: 4, r: 4, digits: 0) == "-2")
        // Large inputs skip the shortcut and still round.
        let big = BigInt.tenToThe(30)
        #expect(WordRounding.surd(p: big, q: 1, m: 2, r: 1, digits: 5) == nil)
        #expect(DecimalApproximation.ofSurd(p: big, q: 1, m: 2, r: 1, digits: 5) == "1" + String(repeating: "0", count: 29) + "1.41421")
    }

    @Test func squareRootsInWordsAreFloors() {
        var random = SeededGenerator(seed: 99)
        for _ in 0..<5_000 {
            let n = UInt128(UInt64.random(in: 0...UInt64.max, using: &random)) << UInt128(Int.random(in: 0...61, using: &random))
                + UInt128(UInt64.random(in: 0...UInt64.max, using: &random))
            let root = WordRounding.squareRootFloor(n)
            #expect(root * root <= n && (root + 1) * (root + 1) > n)
        }
        for n: UInt128 in [0, 1, 2, 3, 4, 15, 16, 17, (1 << 126) - 1] {
            let root = WordRounding.squareRootFloor(n)
            #expect(root * root <= n && (root + 1) * (root + 1) > n)
        }
    }
}

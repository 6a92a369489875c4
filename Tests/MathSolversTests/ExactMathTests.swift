import CGMP
import ExactMath
import Testing

@Suite("GMP integers and rationals")
struct ExactMathTests {
    @Test func bigIntegerArithmeticIsExact() throws {
        let a = try #require(BigInt("123456789012345678901234567890"))
        let b = try #require(BigInt("-987654321098765432109876543210"))
        #expect((a * b).description == "-121932631137021795226185032733622923332237463801111263526900")
        #expect((a + b).description == "-864197532086419753208641975320")
        #expect((a - b).description == "1111111110111111111011111111100")
        let (q, r) = b.quotientAndRemainder(dividingBy: a)
        #expect(q.description == "-8" && r.description == "-9000000000900000000090")
        #expect(BigInt.gcd(BigInt(84), BigInt(-36)) == BigInt(12))
        #expect(BigInt.tenToThe(40).description == "1" + String(repeating: "0", count: 40))
    }

    @Test func valueSemanticsSurviveSharing() {
        let a = BigInt(7)
        var b = a
        b = b + BigInt(1)
        #expect(a == BigInt(7) && b == BigInt(8))
    }

    @Test func hugeNumbersRoundTrip() throws {
        let digits = String(repeating: "9", count: 5000)
        let big = try #require(BigInt(digits))
        #expect(big.description == digits)
        #expect((big + .one).description == "1" + String(repeating: "0", count: 5000))
        #expect(BigInt("12a") == nil && BigInt("") == nil && BigInt("-") == nil && BigInt("1.5") == nil)
    }

    @Test func rationalsStayReduced() throws {
        let x = Rational(BigInt(6), BigInt(-8))
        #expect(x.description == "-3/4")
        #expect((x + Rational(BigInt(3), BigInt(4))).description == "0")
        #expect((Rational(BigInt(1), BigInt(3)) * Rational(3)).isInteger)
        #expect(Rational(BigInt(-1), BigInt(2)).latex == "-\\frac{1}{2}")
    }

    @Test func parsesIntegersDecimalsAndFractions() throws {
        #expect(try ExactNumberParser.parse("-12").description == "-12")
        #expect(try ExactNumberParser.parse("1.25").description == "5/4")
        #expect(try ExactNumberParser.parse("-0.5").description == "-1/2")
        #expect(try ExactNumberParser.parse("3/4").description == "3/4")
        #expect(try ExactNumberParser.parse(" -6/-8 ").description == "3/4")
        #expect(throws: ExactNumberParser.Failure.zeroDenominator) { try ExactNumberParser.parse("1/0") }
        // Issue 13: the forms a student types, scientific notation exactly.
        #expect(try ExactNumberParser.parse("1e5").description == "100000")
        #expect(try ExactNumberParser.parse(".5").description == "1/2")
        #expect(try ExactNumberParser.parse("5.").description == "5")
        #expect(try ExactNumberParser.parse("+3").description == "3")
        #expect(try ExactNumberParser.parse("  -.25 ").description == "-1/4")
        #expect(try ExactNumberParser.parse("1e-3").description == "1/1000")
        #expect(try ExactNumberParser.parse("2.5E-4").description == "1/4000")
        #expect(try ExactNumberParser.parse("-1.5e+2").description == "-150")
        for bad in [".", "e3", "1e", "1e-", "1.2.3", "+-3", "1e99999", "1 e3", "0x10"] {
            #expect(throws: ExactNumberParser.Failure.self, "\(bad)") { try ExactNumberParser.parse(bad) }
        }
        #expect(throws: ExactNumberParser.Failure.tooManyDigits) { try ExactNumberParser.parse(String(repeating: "1", count: 1200)) }
    }

    @Test func decimalsAreRoundedFromTheExactValue() {
        #expect(DecimalApproximation.of(Rational(BigInt(1), BigInt(3)), digits: 5) == "0.33333")
        #expect(DecimalApproximation.of(Rational(BigInt(2), BigInt(3)), digits: 5) == "0.66667")
        #expect(DecimalApproximation.of(Rational(BigInt(-5), BigInt(2)), digits: 0) == "-3")
        #expect(DecimalApproximation.of(Rational(BigInt(-1), BigInt(1000)), digits: 2) == "0.00")
        #expect(DecimalApproximation.of(Rational(7), digits: 3) == "7.000")
        // (1 + √5)/2 to 30 places.
        #expect(DecimalApproximation.ofSurd(p: 1, q: 1, m: 5, r: 2, digits: 30) == "1.618033988749894848204586834366")
        #expect(DecimalApproximation.ofSurd(p: 1, q: -1, m: 5, r: 2, digits: 10) == "-0.6180339887")
        #expect(DecimalApproximation.ofSurd(p: 0, q: 1, m: 2, r: 1, digits: 50) == "1.41421356237309504880168872420969807856967187537695")
    }

    @Test func squaresComeOutOfRadicals() throws {
        #expect(try Surd.extractSquares(BigInt(72)) == (BigInt(6), BigInt(2)))
        #expect(try Surd.extractSquares(BigInt(49)) == (BigInt(7), BigInt(1)))
        #expect(try Surd.extractSquares(BigInt(30)) == (BigInt(1), BigInt(30)))
        // 10007 is prime and above the trial-division bound: its square stays only if not detected.
        #expect(try Surd.extractSquares(BigInt(10007) * BigInt(10007) * BigInt(3)).inside == BigInt(10007) * BigInt(10007) * BigInt(3))
        #expect(try Surd.extractSquares(BigInt(10007) * BigInt(10007)) == (BigInt(10007), BigInt(1)))
    }
}

/// The inline machine-word representation must be invisible: results across the word boundary
/// agree with GMP's, and equal values are equal and hash alike whatever path built them.
@Suite("BigInt word/GMP boundary")
struct BigIntBoundaryTests {
    let max = BigInt(Int.max)
    let min = BigInt(Int.min)

    @Test func arithmeticCrossesTheWordBoundary() throws {
        let beyond = try #require(BigInt("9223372036854775808"))
        #expect(max + 1 == beyond)
        #expect(beyond - 1 == max)
        #expect((beyond - 1).intValue == Int.max)
        #expect(-min == beyond)
        #expect(min - 1 == BigInt("-9223372036854775809"))
        #expect(max * max == BigInt("85070591730234615847396907784232501249"))
        #expect((max * max).dividedExactly(by: max) == max)
        #expect(min.magnitude == beyond)
        #expect(min.quotientAndRemainder(dividingBy: BigInt(-1)).quotient == beyond)
        #expect(min.floorDivided(by: BigInt(-1)) == beyond)
        #expect(BigInt.gcd(min, BigInt(0)) == beyond)
        #expect(BigInt(2).power(63) == beyond)
        #expect(BigInt(2).power(62).intValue == 1 << 62)
        #expect(BigInt(-3).power(3) == BigInt(-27))
        #expect(BigInt(-7).floorDivided(by: BigInt(2)) == BigInt(-4))
        #expect(BigInt(7).floorDivided(by: BigInt(-2)) == BigInt(-4))
        #expect(BigInt(-7).quotientAndRemainder(dividingBy: BigInt(2)) == (BigInt(-3), BigInt(-1)))
        #expect(BigInt(-7).remainder(modulo: 5) == 3)
        #expect(min.isDivisible(by: BigInt(-1)))
        #expect(BigInt(0).bitWidth == 0 && BigInt(-8).bitWidth == 4 && beyond.bitWidth == 64)
        #expect(BigInt(-12).description == "-12")
        #expect((beyond * beyond).description == "85070591730234615865843651857942052864")
    }

    @Test func equalValuesHashAlikeWhateverBuiltThem() throws {
        let viaGMP = (max * BigInt(3)).dividedExactly(by: BigInt(3))
        #expect(viaGMP == max)
        #expect(viaGMP.hashValue == max.hashValue)
        let parsed = try #require(BigInt("000123"))
        #expect(parsed == BigInt(123) && Set([parsed, BigInt(123)]).count == 1)
    }

    @Test func gmpViewsOfSmallValues() {
        #expect(BigInt(-5).withMPZ { __gmpz_get_si($0) } == -5)
        #expect(BigInt(0).withMPZ { __gmpz_sgn_helper($0) } == 0)
    }
}

private func __gmpz_sgn_helper(_ value: UnsafePointer<__mpz_struct>) -> Int32 {
    value.pointee._mp_size == 0 ? 0 : (value.pointee._mp_size > 0 ? 1 : -1)
}

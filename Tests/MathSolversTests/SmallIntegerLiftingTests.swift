@testable import ExactMath
import Testing

/// The machine-word check A·N = D·b of Dixon's answers must accept exactly the solutions:
/// differences hidden in a higher limb (2^64, 2^128 apart) and sign slips are refused.
@Suite("Dixon's exact check in machine words")
struct SmallIntegerLiftingTests {
    @Test func acceptsSolutionsAndRefusesNearMisses() throws {
        // [[2, 1], [1, 3]]·(4, 7)/5 = (3, 5); the rows may be augmented (only n columns are read).
        let a: [[BigInt]] = [[2, 1, 3], [1, 3, 5]]
        let b: [BigInt] = [3, 5]
        let lifting = try #require(SmallIntegerLifting(a, b, p: ModularArithmetic.primes[0]))
        #expect(lifting.isSolution(numerators: [4, 7], denominator: 5))
        #expect(lifting.isSolution(numerators: [-4, -7], denominator: -5))
        #expect(!lifting.isSolution(numerators: [4, 8], denominator: 5))
        #expect(!lifting.isSolution(numerators: [-4, 7], denominator: 5))
        // Scaled by c = 2^70 + 3, the solution spans two limbs; then one limb higher.
        let c = BigInt(2).power(70) + BigInt(3)
        #expect(lifting.isSolution(numerators: [4 * c, 7 * c], denominator: 5 * c))
        let limb = BigInt(2).power(64)
        #expect(!lifting.isSolution(numerators: [4 * c + limb, 7 * c], denominator: 5 * c))
        #expect(!lifting.isSolution(numerators: [4 * c, 7 * c], denominator: 5 * c + limb * limb))
        let wide = c * c * c  // ~2^210: four limbs
        #expect(lifting.isSolution(numerators: [4 * wide, 7 * wide], denominator: 5 * wide))
        #expect(!lifting.isSolution(numerators: [4 * wide, 7 * wide - limb * limb * limb], denominator: 5 * wide))
    }

    /// Entries at the limits of the machine-word path (|A| < 2^31, |b| < 2^60) and a three-limb
    /// denominator: N = y·D solves A·N = D·(A·y) exactly; one numerator moved by 1 or by a
    /// whole limb does not.
    @Test func agreesAtTheLimits() throws {
        var random = SeededGenerator(seed: 99)
        let n = 12
        var checked = 0
        for _ in 0..<200 {
            let a = (0..<n).map { _ in (0..<n).map { _ in BigInt(Int.random(in: -(1 << 31) + 1 ... (1 << 31) - 1, using: &random)) } }
            let y = (0..<n).map { _ in BigInt(Int.random(in: -(1 << 24) ... (1 << 24), using: &random)) }
            let b = (0..<n).map { i in (0..<n).reduce(BigInt.zero) { $0 + a[i][$1] * y[$1] } }
            let lifting = try #require(SmallIntegerLifting(a, b, p: 1_000_003))
            let d = BigInt(Int.random(in: 1 ... Int.max, using: &random)) * BigInt(2).power(UInt(Int.random(in: 0...80, using: &random))) + .one
            let numerators = y.map { $0 * d }
            #expect(lifting.isSolution(numerators: numerators, denominator: d))
            var moved = numerators
            let j = Int.random(in: 0..<n, using: &random)
            let step = BigInt(2).power(UInt(64 * Int.random(in: 0...2, using: &random)))
            moved[j] = Bool.random(using: &random) ? moved[j] + step : moved[j] - step
            #expect(!lifting.isSolution(numerators: moved, denominator: d))
            checked += 1
        }
        #expect(checked == 200)
    }
}

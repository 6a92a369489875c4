@testable import ExactMath
import Testing

/// Lehmer's rounds must walk exactly the remainder sequence of the plain half-extended Euclidean
/// algorithm and stop at the same remainder: checked against that algorithm, written out here in
/// BigInt arithmetic, on seeded random residues (most have no small pair: both must say nil) and
/// on residues of known fractions (both must find them).
@Suite("Rational reconstruction")
struct RationalReconstructionTests {
    /// The textbook algorithm: the first remainder below the limit and its cofactor.
    static func reference(_ u: BigInt, modulus m: BigInt, limit: BigInt) -> (BigInt, BigInt)? {
        var (a, b) = (m, u)
        var (s, t) = (BigInt.zero, BigInt.one)
        while b.magnitude >= limit {
            let q = a.floorDivided(by: b)
            (a, b) = (b, a - q * b)
            (s, t) = (t, s - q * t)
            if b.isZero { return nil }
        }
        if t.isZero { return nil }
        return t.isNegative ? (-b, -t) : (b, t)
    }

    @Test func lehmerRoundsAgreeWithTheTextbookAlgorithm() throws {
        var random = SeededGenerator(seed: 2026_12_06)
        let p = BigInt(2_147_483_647)
        var found = 0
        for round in 0..<3_000 {
            let k = UInt(Int.random(in: 1...40, using: &random))
            let m = p.power(k)
            let limitBits = UInt(Swift.max(1, (m.bitWidth - 1) / 2 - Int.random(in: 0...3, using: &random)))
            let limit = BigInt(2).power(limitBits)
            func below(_ bound: BigInt) -> BigInt {
                // A random integer in [0, bound) from 64-bit pieces.
                var value = BigInt.zero
                for _ in 0...(bound.bitWidth / 64) { value = value * BigInt(2).power(64) + BigInt(Int.random(in: 0...Int.max, using: &random)) }
                return value - value.floorDivided(by: bound) * bound
            }
            let u: BigInt
            if round % 2 == 0 {
                u = below(m)
            } else {
                // The residue of n/d with |n|, d below the limit (d prime to p).
                let n = below(limit) * BigInt(Bool.random(using: &random) ? 1 : -1)
                var d = below(limit) + .one
                if d.remainder(modulo: UInt(2_147_483_647)) == 0 { d = d + .one }
                let inverse = try #require(Self.inverse(d, modulo: m))
                let product = n * inverse
                u = product - product.floorDivided(by: m) * m
            }
            let reconstruction = RationalReconstruction(modulus: m, limit: limit)
            reconstruction.setResidue(u)
            let lehmer = reconstruction.reconstruct()
            let plain = Self.reference(u, modulus: m, limit: limit)
            #expect(lehmer?.0 == plain?.0 && lehmer?.1 == plain?.1, "u = \(u) mod \(m), limit 2^\(limitBits)")
            if plain != nil { found += 1 }
        }
        #expect(found >= 1_500)  // the known fractions are all found
    }

    static func inverse(_ d: BigInt, modulo m: BigInt) -> BigInt? {
        var (a, b) = (m, d - d.floorDivided(by: m) * m)
        var (s, t) = (BigInt.zero, BigInt.one)
        while !b.isZero {
            let q = a.floorDivided(by: b)
            (a, b) = (b, a - q * b)
            (s, t) = (t, s - q * t)
        }
        guard a == .one else { return nil }
        return s - s.floorDivided(by: m) * m
    }
}

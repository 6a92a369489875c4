import ExactMath
import Testing

@Suite("exact linear systems")
struct LinearSystemTests {
    func rationals(_ rows: [[Int]]) -> [[Rational]] { rows.map { $0.map { Rational($0) } } }

    @Test func uniqueSmallSystemWithDeterminant() throws {
        // 2x + y − z = 8, −3x − y + 2z = −11, −2x + y + 2z = −3 → (2, 3, −1), det = −1.
        let system = LinearSystem(matrix: rationals([[2, 1, -1], [-3, -1, 2], [-2, 1, 2]]), rhs: [8, -11, -3].map { Rational($0) })
        let solution = try system.solve(recordSteps: true)
        #expect(solution.kind == .unique)
        #expect(solution.values == [2, 3, -1].map { Rational($0) })
        #expect(solution.determinant == Rational(-1))
        #expect(!solution.steps.isEmpty)
    }

    @Test func fractionsAndInfiniteSolutions() throws {
        // x + 2y = 3, 2x + 4y = 6 → rank 1, one free parameter.
        let system = LinearSystem(matrix: [[Rational(1, 2), 1], [1, 2]], rhs: [Rational(3, 2), 3])
        let solution = try system.solve(recordSteps: true)
        #expect(solution.kind == .infinite)
        #expect(solution.rank == 1)
        #expect(solution.freeColumns == [1])
        #expect(solution.determinant == .zero)
        let particular = try #require(solution.values)
        #expect(system.apply(particular) == system.rhs)
        for vector in solution.nullSpace { #expect(system.apply(vector).allSatisfy { $0.isZero }) }
    }

    @Test func inconsistentSystem() throws {
        let system = LinearSystem(matrix: rationals([[1, 1], [2, 2]]), rhs: [1, 3].map { Rational($0) })
        let solution = try system.solve(recordSteps: false)
        #expect(solution.kind == .none)
        #expect(solution.inconsistentRow == 1)
    }

    @Test func rectangularSystems() throws {
        // 3 equations, 2 unknowns, consistent; and 2 equations, 3 unknowns.
        let tall = try LinearSystem(matrix: rationals([[1, 1], [1, -1], [2, 0]]), rhs: [3, 1, 4].map { Rational($0) }).solve(recordSteps: false)
        #expect(tall.kind == .unique)
        #expect(tall.values == [2, 1].map { Rational($0) })
        #expect(tall.determinant == nil)
        let wide = try LinearSystem(matrix: rationals([[1, 1, 1], [0, 1, 2]]), rhs: [6, 5].map { Rational($0) }).solve(recordSteps: false)
        #expect(wide.kind == .infinite)
        #expect(wide.rank == 2)
    }

    /// Seeded random systems: the modular (Dixon) path and fraction-free elimination must agree,
    /// and A·x = b must hold exactly.
    @Test(arguments: [8, 12, 25, 40])
    func dixonAgreesWithEliminationAndVerifies(n: Int) throws {
        var generator = SeededGenerator(seed: UInt64(n) * 7919)
        let matrix = (0..<n).map { _ in (0..<n).map { _ in Rational(Int.random(in: -1000...1000, using: &generator)) } }
        let rhs = (0..<n).map { _ in Rational(Int.random(in: -1000...1000, using: &generator), Int.random(in: 1...9, using: &generator)) }
        let exact = try expectDixonAgreesWithElimination(LinearSystem(matrix: matrix, rhs: rhs))
        #expect(exact.method == "fraction_free")
    }

    /// Solves by Dixon and by fraction-free elimination (with steps): Dixon must answer (not
    /// fall back after its exact check), both must agree, and A·x = b must hold exactly.
    @discardableResult
    func expectDixonAgreesWithElimination(_ system: LinearSystem) throws -> LinearSystem.Solution {
        let modular = try system.solve(recordSteps: false)
        let exact = try system.solve(recordSteps: true)
        #expect(modular.method == "dixon")
        #expect(modular.values == exact.values)
        #expect(modular.determinant == exact.determinant)
        let values = try #require(modular.values)
        #expect(system.apply(values) == system.rhs)
        return exact
    }

    /// Each coordinate needs a new factor in the common denominator (x_j = ±1/p_j, then mixed
    /// with a dense row so the system is not triangular): rational reconstruction runs once per
    /// coordinate and the earlier numerators are rescaled each time.
    @Test func dixonGrowsTheCommonDenominator() throws {
        let primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
        let n = primes.count
        var matrix = (0..<n).map { i in (0..<n).map { j in Rational(i == j ? primes[i] : 0) } }
        let rhs = (0..<n).map { Rational($0 % 2 == 0 ? 1 : -1) }
        matrix[n - 1] = (0..<n).map { Rational($0 + 1) }
        let exact = try expectDixonAgreesWithElimination(LinearSystem(matrix: matrix, rhs: rhs))
        #expect(exact.values?.first == Rational(1, 2))
    }

    /// Entries of one to four 64-bit limbs (the limb-plane lifting) and beyond (the general loop,
    /// 100 digits), mixed with zeros, small and negative entries and values at the limb
    /// boundaries: Dixon must answer (not fall back after its exact check) and agree with
    /// fraction-free elimination.
    @Test(arguments: [(9, 30), (12, 20), (10, 60), (11, 76), (8, 100)])
    func dixonWithMultiLimbEntriesAgreesWithElimination(n: Int, digits: Int) throws {
        var generator = SeededGenerator(seed: UInt64(n * 1000 + digits))
        let boundaries = [BigInt(2).power(64) - .one, -BigInt(2).power(64), BigInt(2).power(128) + .one, -(BigInt(2).power(63)), BigInt(Int.max)]
        func entry() -> Rational {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: return .zero
            case 1: return Rational(Int.random(in: -9...9, using: &generator))
            case 2: return Rational(boundaries[Int.random(in: 0..<boundaries.count, using: &generator)])
            default:
                let length = Int.random(in: 1...digits, using: &generator)
                let text = (0..<length).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
                return Rational(BigInt(text) ?? .one) * Rational(Bool.random(using: &generator) ? 1 : -1)
            }
        }
        let matrix = (0..<n).map { _ in (0..<n).map { _ in entry() } }
        let rhs = (0..<n).map { _ in entry() }
        try expectDixonAgreesWithElimination(LinearSystem(matrix: matrix, rhs: rhs))
    }

    @Test func bigEntriesAndSingularLargeSystems() throws {
        var generator = SeededGenerator(seed: 42)
        let n = 10
        func big() -> Rational {
            let digits = (0..<30).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            return Rational(BigInt("1" + digits)!) * Rational(Bool.random(using: &generator) ? 1 : -1)
        }
        let matrix = (0..<n).map { _ in (0..<n).map { _ in big() } }
        let rhs = (0..<n).map { _ in big() }
        let solution = try LinearSystem(matrix: matrix, rhs: rhs).solve(recordSteps: false)
        #expect(solution.method == "dixon")
        let values = try #require(solution.values)
        #expect(LinearSystem(matrix: matrix, rhs: rhs).apply(values) == rhs)
        // A singular 9×9 (last row = sum of the others): the modular path declines, elimination decides.
        var singular = (0..<9).map { _ in (0..<9).map { _ in Rational(Int.random(in: -9...9, using: &generator)) } }
        singular[8] = (0..<9).map { j in singular[0..<8].reduce(Rational.zero) { $0 + $1[j] } }
        let b = (0..<9).map { i in i < 8 ? Rational(i) : Rational((0..<8).reduce(0, +)) }
        let result = try LinearSystem(matrix: singular, rhs: b).solve(recordSteps: false)
        #expect(result.kind == .infinite)
        #expect(result.determinant == .zero)
    }
}

/// A small deterministic generator (SplitMix64) so random property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import CGMP
import ExactMath
import Foundation
import MathSolvers
import Testing

/// Counts GMP's live heap blocks per thread, by routing GMP's allocator through counting
/// wrappers of malloc/realloc/free. Per-thread, so other tests using GMP in parallel do not
/// disturb a measurement made synchronously on one thread.
enum GMPAllocationCounter {
    nonisolated(unsafe) static var key = pthread_key_t()

    static let installed: Void = {
        pthread_key_create(&key, nil)
        __gmp_set_memory_functions(
            { size in
                GMPAllocationCounter.adjust(1)
                return malloc(size)
            },
            { pointer, _, newSize in realloc(pointer, newSize) },
            { pointer, _ in
                GMPAllocationCounter.adjust(-1)
                free(pointer)
            }
        )
    }()

    static func adjust(_ delta: Int) {
        let current = Int(bitPattern: pthread_getspecific(key))
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: current + delta))
    }

    /// Live GMP blocks allocated minus freed on this thread while `body` ran.
    static func liveBlocks(during body: () -> Void) -> Int {
        _ = installed
        let before = Int(bitPattern: pthread_getspecific(key))
        body()
        return Int(bitPattern: pthread_getspecific(key)) - before
    }
}

@Suite("GMP wrapper memory")
struct GMPLeakTests {
    @Test func everyOperationFreesWhatItAllocates() {
        // One warm-up round first: lazily created constants (BigInt.one, Rational.zero) live
        // for the whole process by design and must not count as leaks.
        exercise(rounds: 1)
        let live = GMPAllocationCounter.liveBlocks { exercise(rounds: 500) }
        #expect(live == 0)
    }

    func exercise(rounds: Int) {
        let solver = QuadraticSolver()
        let deadline = Deadline(after: .seconds(60))
        for round in 0..<rounds {
            _ = try? solver.solve(json: Data(#"{"a": "\#(round + 1)/3", "b": -7, "c": "-\#(round).5", "digits": 30}"#.utf8), deadline: deadline)
            let a = BigInt("12345678901234567890123456789\(round)") ?? .zero
            let b = BigInt(-98765) * a + BigInt(round)
            _ = (a * b).description
            _ = a.quotientAndRemainder(dividingBy: BigInt(7))
            _ = BigInt.gcd(a, b).power(3).squareRootFloor.magnitude
            _ = (a * a).isPerfectSquare
            _ = a.removingFactor(BigInt(3))
            let r = Rational(a, BigInt(round + 1)) / Rational(b, BigInt(3)) - Rational(1)
            _ = DecimalApproximation.of(r, digits: 40)
            _ = DecimalApproximation.ofSurd(p: a, q: BigInt(2), m: BigInt(7), r: BigInt(3), digits: 30)
            _ = try? Surd.extractSquares(BigInt(72 * (round + 1)))
            _ = try? ExactNumberParser.parse("-\(round).25")
        }
    }

    /// The measurement itself can fail: a GMP integer initialised and never cleared shows up.
    @Test func aDeliberateLeakIsSeen() {
        let leaked = UnsafeMutablePointer<__mpz_struct>.allocate(capacity: 1)
        let live = GMPAllocationCounter.liveBlocks {
            __gmpz_init_set_si(leaked, 1)
            __gmpz_mul_2exp(leaked, leaked, 4096)
        }
        #expect(live == 1)
        __gmpz_clear(leaked)
        leaked.deallocate()
    }
}

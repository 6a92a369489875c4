import Foundation
import CGMP

/// A mutable GMP integer for the inner loops of the modular solvers, where allocating a fresh
/// `BigInt` per multiply-add would dominate the running time. Never escapes this module.
final class IntegerAccumulator {
    let value = GMPInteger()

    init(_ initial: BigInt = .zero) {
        initial.withMPZ { __gmpz_set(value.pointer, $0) }
    }

    func set(_ other: BigInt) { other.withMPZ { __gmpz_set(value.pointer, $0) } }
    func setZero() { __gmpz_set_ui(value.pointer, 0) }
    /// self -= a·k
    func subtractProduct(_ a: BigInt, _ k: UInt) { a.withMPZ { __gmpz_submul_ui(value.pointer, $0, k) } }
    /// self += a·b
    func addProduct(_ a: BigInt, _ b: BigInt) { a.withMPZ { x in b.withMPZ { __gmpz_addmul(value.pointer, x, $0) } } }
    /// self -= a·b
    func subtractProduct(_ a: BigInt, _ b: BigInt) { a.withMPZ { x in b.withMPZ { __gmpz_submul(value.pointer, x, $0) } } }
    func divideExactly(by k: UInt) { __gmpz_divexact_ui(value.pointer, value.pointer, k) }
    func multiply(by k: UInt) { __gmpz_mul_ui(value.pointer, value.pointer, k) }
    func add(_ k: UInt) { __gmpz_add_ui(value.pointer, value.pointer, k) }
    func residue(_ p: UInt) -> UInt { UInt(__gmpz_fdiv_ui(value.pointer, p)) }
    /// log₂ of the value (−∞ for zero), from GMP's mantissa and exponent.
    var log2: Double {
        var exponent: Int = 0
        let mantissa = __gmpz_get_d_2exp(&exponent, value.pointer)
        return mantissa == 0 ? -.infinity : Foundation.log2(Swift.abs(mantissa)) + Double(exponent)
    }

    var isZero: Bool { value.pointer.pointee._mp_size == 0 }
    var snapshot: BigInt { BigInt.make { __gmpz_set($0, value.pointer) } }
}

import CGMP

/// An exact sum of signed 128-bit values placed at 64-bit limb offsets, Σ vₜ·2^(64·kₜ), kept in
/// two's complement limbs: how the limb-plane loops add their machine-word row sums without a
/// GMP call per term.
struct SignedLimbSum {
    private(set) var limbs: [UInt64]

    /// Room for values placed at offsets up to `limbCount − 2` (a 128-bit value spans two limbs,
    /// and one more limb holds the sign).
    init(limbCount: Int) {
        limbs = [UInt64](repeating: 0, count: limbCount)
    }

    mutating func reset() {
        for index in limbs.indices { limbs[index] = 0 }
    }

    /// self += value·2^(64·offset).
    mutating func add(_ value: Int128, atLimb offset: Int) {
        let bits = UInt128(bitPattern: value)
        let signExtension: UInt64 = value < 0 ? .max : 0
        var carry: UInt64 = 0
        for index in offset..<limbs.count {
            let word: UInt64 = switch index - offset {
            case 0: UInt64(truncatingIfNeeded: bits)
            case 1: UInt64(truncatingIfNeeded: bits >> 64)
            default: signExtension
            }
            let (partial, overflow1) = limbs[index].addingReportingOverflow(word)
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            limbs[index] = sum
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
    }

    var isZero: Bool { limbs.allSatisfy { $0 == 0 } }

    /// target = the sum.
    func store(into target: IntegerAccumulator) {
        let negative = (limbs[limbs.count - 1] >> 63) == 1
        var magnitude = limbs
        if negative {
            var carry: UInt64 = 1
            for index in magnitude.indices {
                let (sum, overflow) = (~magnitude[index]).addingReportingOverflow(carry)
                magnitude[index] = sum
                carry = overflow ? 1 : 0
            }
        }
        magnitude.withUnsafeBufferPointer { words in
            __gmpz_import(target.value.pointer, words.count, -1, 8, 0, 0, words.baseAddress)
        }
        if negative { __gmpz_neg(target.value.pointer, target.value.pointer) }
    }
}

extension BigInt {
    /// 64-bit limbs of the magnitude (0 for zero).
    var limbCount: Int { withMPZ { Int(Swift.abs($0.pointee._mp_size)) } }

    /// Writes limb t of the magnitude to `planes[t·stride + offset]`, the layout the limb-plane
    /// loops read (one plane per limb position); answers whether the value is negative.
    func writeLimbs(into planes: inout [UInt64], offset: Int, stride: Int) -> Bool {
        withMPZ { z in
            let size = Int(z.pointee._mp_size)
            for t in 0..<Swift.abs(size) { planes[t * stride + offset] = UInt64(z.pointee._mp_d[t]) }
            return size < 0
        }
    }
}

import ExactMath

/// Builds a solver's result texts (step sentences, LaTeX, root forms) in one scratch buffer that
/// every text of a solve reuses, each finished text copied out into a string allocated once at
/// its final size.
///
/// Why: a quadratic's answer is about twenty short texts of many pieces, and `+` chains or
/// interpolation grew each string several times and paid String's per-append bookkeeping (the
/// profile was String appends, reallocation and reference counting, over half the solve).
/// Literals are `StaticString`s (no reference counting) and small integers are written as
/// digits straight into the buffer.
struct TextBuilder: ~Copyable {
    private var bytes: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int = 512) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
    }

    deinit { bytes.deallocate() }

    /// The text written since the last `take()`, as a string; the buffer starts over.
    mutating func take() -> String {
        let length = count
        count = 0
        let source = UnsafePointer(bytes)
        return String(unsafeUninitializedCapacity: length) { target in
            target.baseAddress?.update(from: source, count: length)
            return length
        }
    }

    @inline(__always)
    mutating func write(_ literal: StaticString) {
        let length = literal.utf8CodeUnitCount
        reserve(length)
        (bytes + count).update(from: literal.utf8Start, count: length)
        count += length
    }

    @inline(__always)
    mutating func write(string text: String) {
        var text = text
        text.withUTF8 { utf8 in
            reserve(utf8.count)
            if let base = utf8.baseAddress { (bytes + count).update(from: base, count: utf8.count) }
            count += utf8.count
        }
    }

    mutating func write(_ value: BigInt) {
        guard let word = value.intValue else { return write(string: value.description) }
        reserve(20)
        if word < 0 {
            bytes[count] = UInt8(ascii: "-")
            count += 1
        }
        var magnitude = word.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var index = count + digits
        repeat {
            index -= 1
            bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        count += digits
    }

    /// `"3/4"`, `"-5"`: as `Rational.description` (of |value| when `absolute`).
    mutating func write(_ value: Rational, absolute: Bool = false) {
        write(absolute ? value.numerator.magnitude : value.numerator)
        if value.denominator.intValue != 1 {
            write("/")
            write(value.denominator)
        }
    }

    /// `\frac{3}{4}`, `-\frac{3}{4}`, `-5`: as `Rational.latex` (of |value| when `absolute`).
    mutating func writeLatex(_ value: Rational, absolute: Bool = false) {
        guard value.denominator.intValue != 1 else { return write(absolute ? value.numerator.magnitude : value.numerator) }
        write(value.numerator.isNegative && !absolute ? "-\\frac{" : "\\frac{")
        write(value.numerator.magnitude)
        write("}{")
        write(value.denominator)
        write("}")
    }

    /// A step's sentence in Vietnamese and in English: `body` writes one language per call.
    mutating func sentences(_ body: (_ text: inout TextBuilder, _ vietnamese: Bool) -> Void) -> (vi: String, en: String) {
        body(&self, true)
        let vi = take()
        body(&self, false)
        return (vi, take())
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        let grown = max(capacity * 2, needed)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        fresh.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = fresh
        capacity = grown
    }
}

/// A JSON text parsed strictly, once, at the edge: RFC 8259 grammar over valid UTF-8, with the
/// rules a lenient parser lets through refused before any value reaches a service.
///
/// - invalid UTF-8 (a lone surrogate in a `\u` escape too) → `.invalidEncoding`;
/// - a NUL character in any string or key, raw or escaped → `.nulCharacter(path)`: PostgreSQL
///   cannot store it in text (SQLSTATE 22021) and no field of ours has a use for it;
/// - the same key twice in one object → `.duplicateKey(path)`: which one wins differs between
///   parsers, so a signature checked over one and a value read from the other could disagree;
/// - nesting deeper than `maximumDepth`, a number longer than `maximumNumberLength`.
///
/// Numbers keep their text, so an integer field can be range-checked exactly and a 1,000-digit
/// input number survives untouched.
public indirect enum StrictJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text as written (already checked against the JSON number grammar).
    case number(String)
    case string(String)
    case array([StrictJSON])
    /// Members in document order (keys unique).
    case object([(String, StrictJSON)])

    public static let maximumDepth = 64
    public static let maximumNumberLength = 4_096

    public enum ParseError: Error, Equatable, Sendable {
        case invalidEncoding
        case syntax(offset: Int, reason: String)
        case nulCharacter(path: String)
        case duplicateKey(path: String)
        case tooDeep
        case numberTooLong(path: String)
    }

    public static func == (lhs: StrictJSON, rhs: StrictJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Parses a whole JSON text (surrounding whitespace allowed, nothing else).
    public static func parse(_ bytes: some Collection<UInt8>) throws -> StrictJSON {
        let buffer = Array(bytes)
        // Validating the whole text up front lets the parser slice strings without re-checking.
        guard String(validating: buffer, as: UTF8.self) != nil else { throw ParseError.invalidEncoding }
        var parser = Parser(bytes: buffer)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0, path: [])
        parser.skipWhitespace()
        guard parser.index == buffer.count else { throw ParseError.syntax(offset: parser.index, reason: "unexpected data after the JSON value") }
        return value
    }

    /// A dotted path for messages: `permissions[2]`, `input.matrix[0][1]`.
    static func describe(_ path: [PathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? "body" : text
    }

    enum PathComponent {
        case key(String)
        case index(Int)
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        func fail(_ reason: String) -> ParseError {
            .syntax(offset: index, reason: reason)
        }

        mutating func value(depth: Int, path: [PathComponent]) throws -> StrictJSON {
            guard depth <= StrictJSON.maximumDepth else { throw ParseError.tooDeep }
            guard index < bytes.count else { throw fail("unexpected end of the body") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth, path: path)
            case UInt8(ascii: "["): return try array(depth: depth, path: path)
            case UInt8(ascii: "\""): return .string(try string(path: path))
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number(path: path))
            }
        }

        mutating func literal(_ word: String) throws {
            for byte in word.utf8 {
                guard index < bytes.count, bytes[index] == byte else { throw fail("invalid literal") }
                index += 1
            }
        }

        mutating func object(depth: Int, path: [PathComponent]) throws -> StrictJSON {
            index += 1
            var members: [(String, StrictJSON)] = []
            var seen = Set<String>()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let key = try string(path: path)
                guard seen.insert(key).inserted else {
                    throw ParseError.duplicateKey(path: StrictJSON.describe(path + [.key(key)]))
                }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                skipWhitespace()
                members.append((key, try value(depth: depth + 1, path: path + [.key(key)])))
                skipWhitespace()
                guard index < bytes.count else { throw fail("unexpected end of the body") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw fail("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int, path: [PathComponent]) throws -> StrictJSON {
            index += 1
            var elements: [StrictJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth + 1, path: path + [.index(elements.count)]))
                skipWhitespace()
                guard index < bytes.count else { throw fail("unexpected end of the body") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                throw fail("expected ',' or ']'")
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw fail("invalid \\u escape")
                }
                value = value * 16 + digit
                index += 1
            }
            return value
        }

        mutating func string(path: [PathComponent]) throws -> String {
            index += 1  // opening quote
            var scalars = String.UnicodeScalarView()
            var runStart = index
            func flush(_ end: Int) {
                if end > runStart {
                    // The whole text was validated as UTF-8 and a run never splits a sequence.
                    scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
                }
            }
            while true {
                guard index < bytes.count else { throw fail("unterminated string") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    flush(index)
                    index += 1
                    return String(scalars)
                }
                if byte == 0 { throw ParseError.nulCharacter(path: StrictJSON.describe(path)) }
                if byte < 0x20 { throw fail("control character in a string (escape it)") }
                if byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                flush(index)
                index += 1
                guard index < bytes.count else { throw fail("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw ParseError.invalidEncoding
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw ParseError.invalidEncoding }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw ParseError.invalidEncoding }
                    if scalar.value == 0 { throw ParseError.nulCharacter(path: StrictJSON.describe(path)) }
                    scalars.append(scalar)
                default:
                    throw fail("invalid escape")
                }
                runStart = index
            }
        }

        mutating func number(path: [PathComponent]) throws -> String {
            let start = index
            func digits() -> Int {
                let from = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                return index - from
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { throw fail("invalid value") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                guard digits() > 0 else { throw fail("invalid value") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw fail("invalid number") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw fail("invalid number") }
            }
            guard index - start <= StrictJSON.maximumNumberLength else {
                throw ParseError.numberTooLong(path: StrictJSON.describe(path))
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }
}

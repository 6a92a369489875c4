import Foundation

/// Writes a result document as JSON in one pass, members in declaration order, slashes
/// unescaped: what `JSONEncoder` with `.withoutEscapingSlashes` writes, without building an
/// intermediate tree first. Every solve on a worker ends here; Foundation's encoder was close to
/// half of a polynomial equation's time. A container is closed when the `encode(to:)` that
/// opened it returns, so containers must be written one after another, never interleaved, as
/// synthesized conformances (all result types) write them. `ResultJSONWriterTests` compares it
/// with Foundation on every problem type's results.
struct ResultJSONWriter {
    func encode(_ value: some Encodable) throws -> Data {
        let sink = Sink()
        try sink.value(value, codingPath: [])
        return Data(sink.bytes)
    }
}

private final class Sink {
    enum Kind { case object, array }

    var bytes: [UInt8] = []
    /// Open containers, innermost last, with whether a member was written yet.
    var open: [(kind: Kind, hasMembers: Bool)] = []

    init() {
        bytes.reserveCapacity(2048)
    }

    /// Writes one value; closes whatever containers its `encode(to:)` opened.
    func value<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        switch value {
        case let text as String: string(text)
        case let flag as Bool: append(flag ? "true" : "false")
        case let number as Int: append(String(number))
        case let number as Int64: append(String(number))
        case let number as Double:
            guard number.isFinite else { throw EncodingError.invalidValue(number, .init(codingPath: codingPath, debugDescription: "not finite")) }
            append(number == number.rounded() && Swift.abs(number) < 1e15 ? String(Int64(number)) : "\(number)")
        default:
            let depth = open.count
            let before = bytes.count
            try value.encode(to: SinkEncoder(sink: self, codingPath: codingPath))
            close(to: depth)
            if bytes.count == before { append("{}") }  // a value that wrote nothing, as JSONEncoder writes it
        }
    }

    func close(to depth: Int) {
        while open.count > depth, let last = open.popLast() {
            bytes.append(last.kind == .object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    func openContainer(_ kind: Kind) {
        bytes.append(kind == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        open.append((kind, false))
    }

    /// The separator before a member of the innermost container (at `depth`).
    func member(at depth: Int) {
        close(to: depth + 1)
        if open[depth].hasMembers { bytes.append(UInt8(ascii: ",")) }
        open[depth].hasMembers = true
    }

    func key(_ key: String, at depth: Int) {
        member(at: depth)
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    func string(_ text: String) {
        // Most strings need no escape: one append (per-byte appends to a class's array pay an
        // exclusivity check each).
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        var escaped: [UInt8] = [UInt8(ascii: "\"")]
        escaped.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                escaped.append(UInt8(ascii: "\\"))
                escaped.append(byte)
            case 0x0A: escaped += Array("\\n".utf8)
            case 0x0D: escaped += Array("\\r".utf8)
            case 0x09: escaped += Array("\\t".utf8)
            case 0x08: escaped += Array("\\b".utf8)
            case 0x0C: escaped += Array("\\f".utf8)
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                escaped += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: escaped.append(byte)
            }
        }
        escaped.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: escaped)
    }
}

private struct SinkEncoder: Encoder {
    let sink: Sink
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        sink.openContainer(.object)
        return KeyedEncodingContainer(SinkKeyed<Key>(sink: sink, depth: sink.open.count - 1, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        sink.openContainer(.array)
        return SinkUnkeyed(sink: sink, depth: sink.open.count - 1, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SinkSingle(sink: sink, codingPath: codingPath)
    }
}

private struct SinkKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: Sink
    let depth: Int
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        sink.key(key.stringValue, at: depth)
        sink.append("null")
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        sink.key(key.stringValue, at: depth)
        sink.string(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        sink.key(key.stringValue, at: depth)
        sink.append(String(value))
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        sink.key(key.stringValue, at: depth)
        sink.append(value ? "true" : "false")
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        sink.key(key.stringValue, at: depth)
        try sink.value(value, codingPath: codingPath + [key])
    }

    // A nil optional member is left out, as JSONEncoder leaves it out.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value, forKey: key)
    }

    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value, forKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        sink.key(key.stringValue, at: depth)
        return SinkEncoder(sink: sink, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        sink.key(key.stringValue, at: depth)
        return SinkEncoder(sink: sink, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        sink.key("super", at: depth)
        return SinkEncoder(sink: sink, codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        sink.key(key.stringValue, at: depth)
        return SinkEncoder(sink: sink, codingPath: codingPath + [key])
    }
}

private struct SinkUnkeyed: UnkeyedEncodingContainer {
    let sink: Sink
    let depth: Int
    let codingPath: [any CodingKey]
    var count = 0

    mutating func encodeNil() throws {
        sink.member(at: depth)
        sink.append("null")
        count += 1
    }

    mutating func encode(_ value: String) throws {
        sink.member(at: depth)
        sink.string(value)
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        sink.member(at: depth)
        try sink.value(value, codingPath: codingPath)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        sink.member(at: depth)
        count += 1
        return SinkEncoder(sink: sink, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        sink.member(at: depth)
        count += 1
        return SinkEncoder(sink: sink, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        sink.member(at: depth)
        count += 1
        return SinkEncoder(sink: sink, codingPath: codingPath)
    }
}

private struct SinkSingle: SingleValueEncodingContainer {
    let sink: Sink
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws {
        sink.append("null")
    }

    mutating func encode(_ value: String) throws {
        sink.string(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try sink.value(value, codingPath: codingPath)
    }
}

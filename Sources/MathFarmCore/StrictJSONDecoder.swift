import Foundation

/// Decodes a `Decodable` from a `StrictJSON` tree, exactly and without coercion, and reports the
/// object members the type never asked for.
///
/// - Integers come from the number's text: `1.0`, `1e3` or a value outside the type's range is a
///   `dataCorrupted` error naming the field (so an `Int32` column never sees 2^31).
/// - Strings are strings, numbers numbers: no `"1"` for an `Int`.
/// - A keyed container remembers the keys it was asked about; members it was not asked about
///   are undeclared fields (`unknownFields`), unless the type walked `allKeys` (a dictionary or
///   `JSONValue`: free-form by design).
/// - `Date` is an ISO 8601 string, `Decimal` the number's text, `URL` a string.
public struct StrictJSONDecoder {
    public init() {}

    /// The decoded value and the dotted paths of members nothing read.
    public func decode<T: Decodable>(_ type: T.Type, from root: StrictJSON) throws -> (value: T, unknownFields: [String]) {
        let usage = KeyUsage()
        let decoder = NodeDecoder(node: root, codingPath: [], usage: usage)
        let value = try T(from: decoder)
        return (value, usage.unknownFields())
    }
}

/// Which object members were read, per object (identified by its coding path).
private final class KeyUsage {
    struct Visit {
        var path: [any CodingKey]
        var keys: [String]
        var read: Set<String> = []
        var open = false
    }
    var visits: [String: Visit] = [:]

    static func id(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    func visit(_ path: [any CodingKey], keys: [String]) {
        let id = Self.id(path)
        if visits[id] == nil { visits[id] = Visit(path: path, keys: keys) }
    }

    func read(_ key: String, at path: [any CodingKey]) {
        visits[Self.id(path)]?.read.insert(key)
    }

    func open(_ path: [any CodingKey]) {
        visits[Self.id(path)]?.open = true
    }

    func unknownFields() -> [String] {
        var fields: [String] = []
        for visit in visits.values where !visit.open {
            for key in visit.keys where !visit.read.contains(key) {
                fields.append(JSONBody.path(visit.path, adding: AnyKey(key)))
            }
        }
        return fields.sorted()
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init(index: Int) {
        stringValue = String(index)
        intValue = index
    }

    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}

private struct NodeDecoder: Decoder {
    let node: StrictJSON
    let codingPath: [any CodingKey]
    let usage: KeyUsage
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = node else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "expected an object"))
        }
        usage.visit(codingPath, keys: members.map(\.0))
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(members: members, codingPath: codingPath, usage: usage))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = node else {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "expected an array"))
        }
        return UnkeyedNodeContainer(elements: elements, codingPath: codingPath, usage: usage)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath, usage: usage)
    }
}

/// The scalar conversions every container shares.
private enum Scalar {
    static func mismatch<T>(_ type: T.Type, _ path: [any CodingKey], _ expected: String) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(expected)"))
    }

    static func bool(_ node: StrictJSON, _ path: [any CodingKey]) throws -> Bool {
        guard case .bool(let value) = node else { throw mismatch(Bool.self, path, "true or false") }
        return value
    }

    static func string(_ node: StrictJSON, _ path: [any CodingKey]) throws -> String {
        guard case .string(let value) = node else { throw mismatch(String.self, path, "a string") }
        return value
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ node: StrictJSON, _ path: [any CodingKey]) throws -> T {
        guard case .number(let text) = node else { throw mismatch(type, path, "an integer") }
        guard !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "expected an integer, got \(text.prefix(40))"))
        }
        guard let value = T(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "\(text.prefix(40)) is outside \(T.min)...\(T.max)"))
        }
        return value
    }

    static func double(_ node: StrictJSON, _ path: [any CodingKey]) throws -> Double {
        guard case .number(let text) = node else { throw mismatch(Double.self, path, "a number") }
        guard let value = Double(text), value.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "number out of range"))
        }
        return value
    }

    /// Types JSON has no native form for, decoded the way the API documents them.
    static func special<T: Decodable>(_ type: T.Type, _ node: StrictJSON, _ path: [any CodingKey]) throws -> T? {
        if type == Decimal.self {
            guard case .number(let text) = node, let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw mismatch(type, path, "a number")
            }
            return value as? T
        }
        if type == Date.self {
            let text = try string(node, path)
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "expected an ISO 8601 date and time"))
            }
            return date as? T
        }
        if type == URL.self {
            let text = try string(node, path)
            guard let url = URL(string: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "expected a URL"))
            }
            return url as? T
        }
        return nil
    }

    static func decode<T: Decodable>(_ type: T.Type, _ node: StrictJSON, _ path: [any CodingKey], _ usage: KeyUsage) throws -> T {
        if let value = try special(type, node, path) { return value }
        return try T(from: NodeDecoder(node: node, codingPath: path, usage: usage))
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [(String, StrictJSON)]
    let codingPath: [any CodingKey]
    let usage: KeyUsage

    var allKeys: [Key] {
        // A type that enumerates the keys takes any member: it is free-form.
        usage.open(codingPath)
        return members.compactMap { Key(stringValue: $0.0) }
    }

    func contains(_ key: Key) -> Bool {
        usage.read(key.stringValue, at: codingPath)
        return members.contains { $0.0 == key.stringValue }
    }

    private func node(_ key: Key) throws -> StrictJSON {
        usage.read(key.stringValue, at: codingPath)
        guard let member = members.first(where: { $0.0 == key.stringValue }) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return member.1
    }

    private func notNull(_ key: Key) throws -> StrictJSON {
        let value = try node(key)
        if case .null = value {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath + [key], debugDescription: "null"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try node(key) { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Scalar.bool(notNull(key), codingPath + [key]) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try Scalar.string(notNull(key), codingPath + [key]) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Scalar.double(notNull(key), codingPath + [key]) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try Scalar.double(notNull(key), codingPath + [key])) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Scalar.integer(type, notNull(key), codingPath + [key]) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Scalar.integer(type, notNull(key), codingPath + [key]) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Scalar.integer(type, notNull(key), codingPath + [key]) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Scalar.integer(type, notNull(key), codingPath + [key]) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Scalar.integer(type, notNull(key), codingPath + [key]) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try Scalar.integer(type, notNull(key), codingPath + [key]) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try Scalar.integer(type, notNull(key), codingPath + [key]) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try Scalar.integer(type, notNull(key), codingPath + [key]) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try Scalar.integer(type, notNull(key), codingPath + [key]) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try Scalar.integer(type, notNull(key), codingPath + [key]) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try Scalar.decode(type, try node(key), codingPath + [key], usage)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(node: try node(key), codingPath: codingPath + [key], usage: usage).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try NodeDecoder(node: try node(key), codingPath: codingPath + [key], usage: usage).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        NodeDecoder(node: .object(members), codingPath: codingPath, usage: usage)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        NodeDecoder(node: try node(key), codingPath: codingPath + [key], usage: usage)
    }
}

private struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let elements: [StrictJSON]
    let codingPath: [any CodingKey]
    let usage: KeyUsage
    var currentIndex = 0

    init(elements: [StrictJSON], codingPath: [any CodingKey], usage: KeyUsage) {
        self.elements = elements
        self.codingPath = codingPath
        self.usage = usage
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var key: AnyKey { AnyKey(index: currentIndex) }

    private mutating func next() throws -> StrictJSON {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath + [key], debugDescription: "the array ends here"))
        }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    private mutating func nextNotNull() throws -> (StrictJSON, [any CodingKey]) {
        let path = codingPath + [key]
        let value = try next()
        if case .null = value { throw DecodingError.valueNotFound(Any.self, .init(codingPath: path, debugDescription: "null")) }
        return (value, path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if case .null = elements[currentIndex] {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { let (v, p) = try nextNotNull(); return try Scalar.bool(v, p) }
    mutating func decode(_ type: String.Type) throws -> String { let (v, p) = try nextNotNull(); return try Scalar.string(v, p) }
    mutating func decode(_ type: Double.Type) throws -> Double { let (v, p) = try nextNotNull(); return try Scalar.double(v, p) }
    mutating func decode(_ type: Float.Type) throws -> Float { let (v, p) = try nextNotNull(); return Float(try Scalar.double(v, p)) }
    mutating func decode(_ type: Int.Type) throws -> Int { let (v, p) = try nextNotNull(); return try Scalar.integer(type, v, p) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { let (v, p) = try nextNotNull(); return try Scalar.integer(type, v, p) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { let (v, p) = try nextNotNull(); return try Scalar.integer(type, v, p) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { let (v, p) = try nextNotNull(); return try Scalar.integer(type, v, p) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let (v, p) = try nextNotNull(); return try Scalar.integer(type, v, p) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { let (v, p) = try nextNotNull(); return try Scalar.integer(type, v, p) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { let (v, p) = try nextNotNull(); return try Scalar.integer(type, v, p) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { let (v, p) = try nextNotNull(); return try Scalar.integer(type, v, p) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { let (v, p) = try nextNotNull(); return try Scalar.integer(type, v, p) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { let (v, p) = try nextNotNull(); return try Scalar.integer(type, v, p) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let path = codingPath + [key]
        return try Scalar.decode(type, try next(), path, usage)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let path = codingPath + [key]
        return try NodeDecoder(node: try next(), codingPath: path, usage: usage).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let path = codingPath + [key]
        return try NodeDecoder(node: try next(), codingPath: path, usage: usage).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let path = codingPath + [key]
        return NodeDecoder(node: try next(), codingPath: path, usage: usage)
    }
}

private struct SingleNodeContainer: SingleValueDecodingContainer {
    let node: StrictJSON
    let codingPath: [any CodingKey]
    let usage: KeyUsage

    private func notNull() throws -> StrictJSON {
        if case .null = node { throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "null")) }
        return node
    }

    func decodeNil() -> Bool {
        if case .null = node { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try Scalar.bool(notNull(), codingPath) }
    func decode(_ type: String.Type) throws -> String { try Scalar.string(notNull(), codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try Scalar.double(notNull(), codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try Scalar.double(notNull(), codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try Scalar.integer(type, notNull(), codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Scalar.integer(type, notNull(), codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Scalar.integer(type, notNull(), codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Scalar.integer(type, notNull(), codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Scalar.integer(type, notNull(), codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Scalar.integer(type, notNull(), codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Scalar.integer(type, notNull(), codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Scalar.integer(type, notNull(), codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Scalar.integer(type, notNull(), codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Scalar.integer(type, notNull(), codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Scalar.decode(type, node, codingPath, usage)
    }
}

import Foundation
import MathFarmCore

/// Writes a JSON document as block-style YAML 1.2: mappings and sequences indented by two
/// spaces, every string and key as a JSON-escaped double-quoted scalar (valid YAML, and no
/// scalar can be misread as a number, a boolean or null), keys sorted like the JSON form.
enum YAMLEmitter {
    static func emit(_ value: JSONValue) -> String {
        var lines: [String] = []
        write(value, indent: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The one-line form of a scalar or an empty collection; nil for a non-empty collection.
    static func inline(_ value: JSONValue) -> String? {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return "\(number)"
        case .string(let text): return quoted(text)
        case .array(let items): return items.isEmpty ? "[]" : nil
        case .object(let fields): return fields.isEmpty ? "{}" : nil
        }
    }

    static func write(_ value: JSONValue, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let fields) where !fields.isEmpty:
            for key in fields.keys.sorted() {
                let child = fields[key] ?? .null
                if let scalar = inline(child) {
                    lines.append("\(pad)\(quoted(key)): \(scalar)")
                } else {
                    lines.append("\(pad)\(quoted(key)):")
                    write(child, indent: indent + 2, into: &lines)
                }
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                if let scalar = inline(item) {
                    lines.append("\(pad)- \(scalar)")
                } else {
                    // The item's block starts on the dash line: "- " then the first line's text.
                    var block: [String] = []
                    write(item, indent: indent + 2, into: &block)
                    if let first = block.first {
                        lines.append("\(pad)- " + first.dropFirst(indent + 2))
                        lines.append(contentsOf: block.dropFirst())
                    }
                }
            }
        default:
            lines.append(pad + (inline(value) ?? "null"))
        }
    }
}

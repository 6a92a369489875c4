import Logging

/// A log handler that escapes what a request can put into a log line before the wrapped handler
/// writes it, so that a field such as `vnp_TxnRef=x%0A2026-01-01 ... critical: forged` cannot
/// start a line of its own or hide itself with terminal control sequences.
///
/// Control characters (C0, DEL, C1), the Unicode line and paragraph separators and the backslash
/// itself are written as escapes (`\n`, `\u{1B}`, `\\`), in the message and in every metadata
/// value, nested ones included. Keys are ours and left alone.
public struct EscapingLogHandler: LogHandler {
    var wrapped: any LogHandler

    public init(wrapping handler: any LogHandler) {
        self.wrapped = handler
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue.mapValues(Self.escape) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue.map(Self.escape) }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = "\(Self.escape(event.message.description))"
        event.metadata = event.metadata?.mapValues(Self.escape)
        // An error's description can quote input (a decoding error, a database message).
        if let error = event.error {
            var metadata = event.metadata ?? [:]
            if metadata["error"] == nil { metadata["error"] = .string(Self.escape(String(describing: error))) }
            event.metadata = metadata
            event.error = nil
        }
        wrapped.log(event: event)
    }

    static func escape(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): return .string(escape(text))
        case .stringConvertible(let convertible): return .string(escape(convertible.description))
        case .array(let values): return .array(values.map(escape))
        case .dictionary(let values): return .dictionary(values.mapValues(escape))
        }
    }

    /// `text` with every character that could end or rewrite a log line escaped.
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                escaped.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case "\\": escaped += "\\\\"
            default: escaped += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return escaped
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\\"
            || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}

import Foundation

/// Splits a SQL script into single statements.
///
/// postgres-nio speaks only the extended query protocol, which takes one statement per
/// message, so migration files are split here. The splitter understands what can hide a
/// semicolon: single-quoted strings (with '' escapes), double-quoted identifiers, line and
/// block comments, and dollar-quoted bodies (`$$ ... $$`, `$tag$ ... $tag$`) of functions.
public enum SQLScript {
    public static func statements(_ script: String) -> [String] {
        let chars = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty, !isOnlyComments(text) { statements.append(text) }
            current = String.UnicodeScalarView()
        }

        while index < chars.count {
            let char = chars[index]
            let next: Unicode.Scalar? = index + 1 < chars.count ? chars[index + 1] : nil
            switch char {
            case "'", "\"":
                let end = closing(of: char, in: chars, from: index + 1)
                current.append(contentsOf: chars[index..<end])
                index = end
            case "-" where next == "-":
                var end = index
                while end < chars.count, chars[end] != "\n" { end += 1 }
                current.append(contentsOf: chars[index..<end])
                index = end
            case "/" where next == "*":
                var end = index + 2
                while end + 1 < chars.count, !(chars[end] == "*" && chars[end + 1] == "/") { end += 1 }
                end = min(chars.count, end + 2)
                current.append(contentsOf: chars[index..<end])
                index = end
            case "$":
                if let tagEnd = dollarTagEnd(in: chars, from: index) {
                    let tag = Array(chars[index...tagEnd])
                    var end = tagEnd + 1
                    while end < chars.count, !(chars[end] == "$" && Array(chars[end..<min(chars.count, end + tag.count)]) == tag) {
                        end += 1
                    }
                    end = min(chars.count, end + tag.count)
                    current.append(contentsOf: chars[index..<end])
                    index = end
                } else {
                    current.append(char)
                    index += 1
                }
            case ";":
                flush()
                index += 1
            default:
                current.append(char)
                index += 1
            }
        }
        flush()
        return statements
    }

    /// Index just past the closing quote (a doubled quote is an escaped one).
    private static func closing(of quote: Unicode.Scalar, in chars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < chars.count {
            if chars[index] == quote {
                if index + 1 < chars.count, chars[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return chars.count
    }

    /// If `$tag$` (tag: letters, digits, underscores, not starting with a digit) starts at
    /// `start`, the index of its closing `$`.
    private static func dollarTagEnd(in chars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        while index < chars.count {
            let char = chars[index]
            if char == "$" { return index }
            let isTagChar = char.properties.isAlphabetic || char == "_" || (index > start + 1 && ("0"..."9").contains(char))
            guard isTagChar else { return nil }
            index += 1
        }
        return nil
    }

    private static func isOnlyComments(_ text: String) -> Bool {
        text.split(separator: "\n").allSatisfy { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty || trimmed.hasPrefix("--")
        }
    }
}

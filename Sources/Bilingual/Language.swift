import Foundation

/// The two languages MathFarm speaks. Error messages, steps and content come in both.
public enum Language: String, Sendable, Codable, CaseIterable {
    case vi
    case en

    /// Picks the language from `?lang=` first, then the first supported `Accept-Language` entry.
    public static func negotiate(query: String?, acceptLanguage: String?, default fallback: Language) -> Language {
        if let query, let language = Language(tag: query) { return language }
        guard let header = acceptLanguage else { return fallback }
        let ranked = header.split(separator: ",").compactMap { part -> (Language, Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, let language = Language(tag: tag) else { return nil }
            var weight = 1.0
            for piece in pieces.dropFirst() where piece.hasPrefix("q=") {
                weight = Double(piece.dropFirst(2)) ?? 0
            }
            return weight > 0 ? (language, weight) : nil
        }
        // Stable: among equal weights the header order wins.
        return ranked.enumerated().max { lhs, rhs in
            lhs.element.1 < rhs.element.1 || (lhs.element.1 == rhs.element.1 && lhs.offset > rhs.offset)
        }?.element.0 ?? fallback
    }

    init?(tag: some StringProtocol) {
        let primary = tag.lowercased().split(separator: "-").first.map(String.init) ?? ""
        self.init(rawValue: primary)
    }
}

/// A text in both languages.
public struct LocalizedText: Sendable, Codable, Equatable {
    public var vi: String
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    public func text(in language: Language) -> String {
        switch language {
        case .vi: return vi
        case .en: return en
        }
    }
}

/// What students paste from a textbook, a word processor or a phone keyboard where the grammar
/// expects ASCII: a typographic minus (`x − 1`), a dot or cross for times (`2·x`, `3×x`), an
/// obelus (`1÷x`), superscript exponents (`x² − 3x`), π. Every parser of student input asks this
/// one table, so they all accept the same spellings.
///
/// Operators map one character to one, so an error position still counts the characters the
/// student typed.
public enum StudentNotation {
    /// The ASCII character a typographic one stands for; any other character is returned as is.
    public static func ascii(_ character: Character) -> Character {
        // Most input is ASCII already: skip the Character comparisons (string compares) then.
        if character.isASCII { return character }
        switch character {
        case "\u{2212}", "\u{2013}", "\u{FE63}", "\u{FF0D}": return "-"  // minus sign, en dash, small and full-width hyphen-minus
        case "\u{00B7}", "\u{22C5}", "\u{00D7}", "\u{2217}", "\u{2219}": return "*"  // middle dot, dot operator, ×, asterisk and bullet operators
        case "\u{00F7}", "\u{2215}": return "/"  // obelus, division slash
        case "\u{FF0B}": return "+"
        case "\u{00A0}", "\u{2009}", "\u{202F}", "\u{3000}": return " "  // no-break, thin and ideographic spaces
        default: return character
        }
    }

    /// The digit a superscript digit stands for (`x²` is `x^2`), or nil.
    public static func superscriptDigit(_ character: Character) -> Character? {
        if character.isASCII { return nil }
        switch character {
        case "\u{2070}": return "0"
        case "\u{00B9}": return "1"
        case "\u{00B2}": return "2"
        case "\u{00B3}": return "3"
        case "\u{2074}": return "4"
        case "\u{2075}": return "5"
        case "\u{2076}": return "6"
        case "\u{2077}": return "7"
        case "\u{2078}": return "8"
        case "\u{2079}": return "9"
        default: return nil
        }
    }

    /// The superscript minus of `x⁻¹`.
    public static let superscriptMinus: Character = "\u{207B}"

    /// The constant π written as itself.
    public static let pi: Character = "\u{03C0}"
}

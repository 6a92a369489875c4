import Foundation

/// The one shape of every equation's and inequality's answer (published in each result
/// schema): `kind`, then the points (ascending), intervals or families that make up the set.
/// Values are strings in the syntax the API accepts as input (`(1 + sqrt(5))/2`, `-oo`).
public struct SolutionSet: Encodable, Sendable, Equatable {
    public enum Kind: String, Encodable, Sendable {
        case empty, finite, intervals, allReals = "all_reals", families
    }

    public struct Interval: Encodable, Sendable, Equatable {
        public let lower: String
        public let upper: String
        public let lowerClosed: Bool
        public let upperClosed: Bool

        enum CodingKeys: String, CodingKey {
            case lower, upper
            case lowerClosed = "lower_closed"
            case upperClosed = "upper_closed"
        }
    }

    /// x = base + k·period, k ∈ ℤ.
    public struct Family: Encodable, Sendable, Equatable {
        public let base: String
        public let period: String
    }

    public let kind: Kind
    public var points: [String] = []
    public var intervals: [Interval] = []
    public var families: [Family] = []

    public static let empty = SolutionSet(kind: .empty)
    public static let allReals = SolutionSet(kind: .allReals)

    public static func finite(_ points: [String]) -> SolutionSet {
        points.isEmpty ? .empty : SolutionSet(kind: .finite, points: points)
    }

    /// Schema of the `solution_set` member, written once for every result that has one.
    static let schema = #"""
{
      "type": "object",
      "required": ["kind"],
      "properties": {
        "kind": {"enum": ["empty", "finite", "intervals", "all_reals", "families"]},
        "points": {"type": "array", "items": {"type": "string"}, "description": "finite: ascending; intervals: isolated points also in the set"},
        "intervals": {"type": "array", "items": {"type": "object", "required": ["lower", "upper", "lower_closed", "upper_closed"],
          "properties": {"lower": {"type": "string"}, "upper": {"type": "string"}, "lower_closed": {"type": "boolean"}, "upper_closed": {"type": "boolean"}}}},
        "families": {"type": "array", "items": {"type": "object", "required": ["base", "period"],
          "properties": {"base": {"type": "string"}, "period": {"type": "string"}}}, "description": "x = base + k·period, k ∈ ℤ"}
      }
    }
"""#
}

import Foundation

/// What the harness submits: a weighted mix of problem kinds, each with seeded inputs, so two
/// farms (or two runs) get the same jobs.
///
///     quadratic                       every job a quadratic with integer coefficients ≤ 10⁶
///     quadratic:70,derivative:20,linear5:10
///
/// Kinds: `quadratic`, `linearN` (an N×N system, entries in [−9, 9]), `derivative`,
/// `integral`, `definite`, `limit`.
struct JobMix: Sendable {
    struct Part: Sendable {
        var kind: String
        var weight: Int
    }

    let parts: [Part]

    init(parsing spec: String) throws {
        var parts: [Part] = []
        for item in spec.split(separator: ",") {
            let pieces = item.split(separator: ":")
            let kind = String(pieces[0]).trimmingCharacters(in: .whitespaces)
            let weight = pieces.count > 1 ? Int(pieces[1]) ?? 0 : 1
            guard Self.problem(of: kind) != nil, weight > 0 else { throw HarnessError("unknown mix part '\(item)'") }
            parts.append(Part(kind: kind, weight: weight))
        }
        guard !parts.isEmpty else { throw HarnessError("empty mix") }
        self.parts = parts
    }

    /// The catalog code a kind is submitted as.
    static func problem(of kind: String) -> String? {
        switch kind {
        case "quadratic": return "quadratic_equation"
        case "derivative": return "derivative"
        case "integral": return "indefinite_integral"
        case "definite": return "definite_integral"
        case "limit": return "limit"
        default:
            guard kind.hasPrefix("linear"), let n = Int(kind.dropFirst(6)), (1...200).contains(n) else { return nil }
            return "system_equations"
        }
    }

    /// `count` jobs: (problem code, input JSON), in a seeded order.
    func jobs(count: Int, seed: UInt64) -> [(problem: String, input: String)] {
        var random = SplitMix64(seed: seed)
        let total = parts.reduce(0) { $0 + $1.weight }
        return (0..<count).map { _ in
            var pick = Int(random.next() % UInt64(total))
            var kind = parts[0].kind
            for part in parts {
                if pick < part.weight { kind = part.kind; break }
                pick -= part.weight
            }
            return (Self.problem(of: kind) ?? "quadratic_equation", Self.input(kind: kind, random: &random))
        }
    }

    static let derivatives = ["x^3*sin(x)", "e^(2*x)*cos(x)", "ln(x^2+1)", "sqrt(1+x^2)/x", "tan(x)^2", "x^x", "atan(x)/(1+x)", "sin(x)^3*cos(x)"]
    static let integrals = ["x^2*e^x", "1/(x^2+4)", "x*sin(x)", "sin(x)^2", "1/(x*(x+1))", "ln(x)", "e^x*cos(x)", "x/(x^2+1)"]
    static let definites = [("x^2", "0", "1"), ("sin(x)", "0", "pi"), ("1/(1+x^2)", "0", "1"), ("e^(-x)", "0", "oo"), ("x*e^x", "0", "1")]
    static let limits = [("sin(x)/x", "0"), ("(1+1/x)^x", "oo"), ("(e^x-1)/x", "0"), ("x*ln(x)", "0"), ("(x^2-1)/(x-1)", "1")]

    static func input(kind: String, random: inout SplitMix64) -> String {
        switch kind {
        case "quadratic":
            let bound: UInt64 = 1_000_000
            var a = Int64(random.next() % bound) + 1
            if random.next() % 2 == 0 { a = -a }
            let b = Int64(random.next() % (2 * bound + 1)) - Int64(bound)
            let c = Int64(random.next() % (2 * bound + 1)) - Int64(bound)
            return #"{"a": \#(a), "b": \#(b), "c": \#(c)}"#
        case "derivative":
            return #"{"expression": "\#(derivatives[Int(random.next() % UInt64(derivatives.count))])", "variable": "x"}"#
        case "integral":
            return #"{"expression": "\#(integrals[Int(random.next() % UInt64(integrals.count))])", "variable": "x"}"#
        case "definite":
            let (f, a, b) = definites[Int(random.next() % UInt64(definites.count))]
            return #"{"expression": "\#(f)", "variable": "x", "lower": "\#(a)", "upper": "\#(b)"}"#
        case "limit":
            let (f, point) = limits[Int(random.next() % UInt64(limits.count))]
            return #"{"expression": "\#(f)", "variable": "x", "point": "\#(point)", "direction": "both"}"#
        default:
            let n = Int(kind.dropFirst(6)) ?? 2
            let row = { (random: inout SplitMix64) -> String in
                (0..<n).map { _ in String(Int(random.next() % 19) - 9) }.joined(separator: ", ")
            }
            let matrix = (0..<n).map { _ in "[" + row(&random) + "]" }.joined(separator: ", ")
            return #"{"matrix": [\#(matrix)], "rhs": [\#(row(&random))]}"#
        }
    }
}

/// A small, fast, seedable generator (the same one `EngineInputs` uses).
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

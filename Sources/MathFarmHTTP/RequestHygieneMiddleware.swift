import Hummingbird
import MathFarmCore

/// Refuses, before any route or rule sees them, paths that are not written canonically and
/// query strings that are not clean text.
///
/// The router treats `/api/v1/solutions/`, `/api/v1//solutions` and `/api/v1/solutions` as one
/// route, while a rule that compares paths (maintenance mode) sees three. Rather than teach
/// every rule every spelling, only the canonical spelling exists: a path with an empty segment
/// (`//`, a trailing `/`), a dot segment, or a percent-escape of a character that needs none
/// (`%73olutions`, `%2F`) is 404. A percent-escape that is malformed or decodes to invalid UTF-8,
/// and a NUL anywhere in the path or query, is 400: such text must not reach a log line or a
/// PostgreSQL text parameter (which refuses NUL).
struct RequestHygieneMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if let problem = Self.pathProblem(path) { throw problem }
        if let query = request.uri.query, let problem = Self.queryProblem(query) { throw problem }
        return try await next(request, context)
    }

    /// Characters that never need an escape in a path (RFC 3986 unreserved), plus `/`.
    static func escapeIsNeedless(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-._~/".utf8.contains(byte)
    }

    static func pathProblem(_ path: String) -> APIError? {
        guard path != "/" else { return nil }
        guard path.hasPrefix("/"), !path.hasSuffix("/") else { return .noSuchRoute }
        for segment in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty || segment == "." || segment == ".." { return .noSuchRoute }
        }
        switch PercentDecoding.decode(Substring(path), plusIsSpace: false) {
        case .failure(let error): return error
        case .success(let decoded):
            if decoded.escapedBytes.contains(where: escapeIsNeedless) { return .noSuchRoute }
            return nil
        }
    }

    static func queryProblem(_ query: String) -> APIError? {
        for pair in query.split(separator: "&") {
            if case .failure(let error) = PercentDecoding.decode(pair, plusIsSpace: true) { return error }
        }
        return nil
    }
}

/// Percent-decoding that reports what it found instead of guessing.
enum PercentDecoding {
    struct Decoded {
        var text: String
        /// The bytes that were written as `%XX`.
        var escapedBytes: [UInt8]
    }

    static func decode(_ text: Substring, plusIsSpace: Bool) -> Result<Decoded, APIError> {
        var bytes: [UInt8] = []
        var escaped: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard iterator.count >= 2, let high = hex(iterator[iterator.startIndex]), let low = hex(iterator[iterator.startIndex + 1]) else {
                    return .failure(.malformed("invalid percent-encoding in the URL"))
                }
                iterator = iterator.dropFirst(2)
                bytes.append(high << 4 | low)
                escaped.append(high << 4 | low)
            } else if plusIsSpace, byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else {
                bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { return .failure(.invalidEncoding) }
        guard !bytes.contains(0) else { return .failure(.nulCharacter("url")) }
        return .success(Decoded(text: decoded, escapedBytes: escaped))
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

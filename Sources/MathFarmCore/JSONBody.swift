import HTTPTypes
import Foundation
import Hummingbird
import NIOCore

/// Reading and writing JSON bodies with the API's error conventions.
public enum JSONBody {
    /// The raw body, refused with 413 past `limit` (by default `AppRequestContext.maxBodyBytes`).
    public static func bytes(of request: Request, limit: Int = AppRequestContext.maxBodyBytes) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge
        }
    }

    /// Decodes `T` from a request body, once, strictly (`StrictJSON`, `StrictJSONDecoder`):
    /// 400 for broken JSON, invalid UTF-8 or a repeated key; 422 naming the field for a NUL
    /// character, a missing, mistyped or out-of-range value, or a member `T` does not declare.
    /// `allowingUnknownFields` is for documents others define (gateway notifications), where
    /// new fields appear without notice.
    public static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer, allowingUnknownFields: Bool = false) throws -> T {
        try decode(type, from: try parse(buffer), allowingUnknownFields: allowingUnknownFields)
    }

    /// Decodes `T` from an already parsed body.
    public static func decode<T: Decodable>(_ type: T.Type, from root: StrictJSON, allowingUnknownFields: Bool = false) throws -> T {
        do {
            let (value, unknown) = try StrictJSONDecoder().decode(T.self, from: root)
            if !allowingUnknownFields, let field = unknown.first { throw APIError.unknownField(field) }
            return value
        } catch let error as DecodingError {
            throw translate(error)
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = AppRequestContext.maxBodyBytes) async throws -> T {
        try decode(type, from: try await bytes(of: request, limit: limit))
    }

    /// The body as a `StrictJSON` tree, or the API error for what is wrong with it.
    public static func parse(_ buffer: ByteBuffer) throws -> StrictJSON {
        do {
            return try StrictJSON.parse(buffer.readableBytesView)
        } catch let error as StrictJSON.ParseError {
            switch error {
            case .invalidEncoding: throw APIError.invalidEncoding
            case .syntax(let offset, let reason): throw APIError.malformed("body is not valid JSON (\(reason) at byte \(offset))")
            case .nulCharacter(let path): throw APIError.nulCharacter(path)
            case .duplicateKey(let path): throw APIError.duplicateKey(path)
            case .tooDeep: throw APIError.malformed("JSON nested deeper than \(StrictJSON.maximumDepth) levels")
            case .numberTooLong(let path): throw APIError.tooLong(path, limit: StrictJSON.maximumNumberLength)
            }
        }
    }

    static func path(_ codingPath: [any CodingKey], adding key: (any CodingKey)? = nil) -> String {
        let keys = codingPath + (key.map { [$0] } ?? [])
        let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return text.isEmpty ? "body" : text.replacingOccurrences(of: ".[", with: "[")
    }

    static func translate(_ error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(path(context.codingPath, adding: key))
        case .valueNotFound(_, let context):
            return .missingField(path(context.codingPath))
        case .typeMismatch(_, let context):
            let field = path(context.codingPath)
            return .invalidField(field, vi: "Trường '\(field)' sai kiểu dữ liệu.", en: "The field '\(field)' has the wrong type.")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .malformed("body is not valid JSON")
            }
            let field = path(context.codingPath)
            return .invalidField(
                field, vi: "Giá trị của trường '\(field)' không hợp lệ.",
                en: "The field '\(field)' is invalid: \(context.debugDescription)"
            )
        @unknown default:
            return .malformed("body could not be decoded")
        }
    }

    /// The API's JSON encoding: ISO 8601 dates, sorted keys (stable bodies for idempotent replays).
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// A JSON response with the given status.
    public static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        rawResponse(try encode(value), status: status, headers: headers)
    }

    public static func rawResponse(_ data: Data, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

import HTTPTypes
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Turns every error into the documented error body
/// `{"error": {"code", "message", "details"?}}` in the request's language.
///
/// Expected failures arrive as `APIError`; Hummingbird's own (`HTTPError`: unknown route, body
/// too large) are mapped to codes; anything else is logged with the request id and answered
/// with a generic 500 that leaks nothing.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.response(for: error, language: context.language)
        } catch let error as HTTPError {
            return Self.response(for: Self.translate(error), language: context.language)
        } catch is NIOTooManyBytesError {
            return Self.response(for: .payloadTooLarge, language: context.language)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Self.response(for: .internalError, language: context.language)
        }
    }

    static func translate(_ error: HTTPError) -> APIError {
        switch error.status {
        case .notFound:
            return APIError(.notFound, code: "not_found", vi: "Không tìm thấy đường dẫn.", en: "No such route.")
        case .methodNotAllowed:
            return APIError(.methodNotAllowed, code: "method_not_allowed", vi: "Phương thức không được hỗ trợ.", en: "Method not allowed.")
        case .contentTooLarge:
            return .payloadTooLarge
        case .unauthorized:
            return .unauthorized
        default:
            if error.status.code >= 500 { return .internalError }
            return APIError(
                error.status, code: "malformed_request",
                vi: "Yêu cầu không hợp lệ.", en: error.body ?? "Malformed request."
            )
        }
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let details: [String: String]?
        }
        let error: Detail
    }

    public static func response(for error: APIError, language: Language) -> Response {
        let body = Body(error: .init(code: error.code, message: error.message.text(in: language), details: error.details))
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"code":"internal_error","message":"error"}}"#.utf8)
        var headers = error.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLanguage] = language.rawValue
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

import HTTPTypes
import Foundation
import Hummingbird
import Logging

/// Gives every request an id (the caller's `X-Request-ID` when it is sane, else a new UUID),
/// puts it in the logger metadata so it follows the work through the logs, returns it in the
/// response header, and negotiates the response language.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public static let header = HTTPField.Name("X-Request-ID")!

    let defaultLanguage: Language

    public init(defaultLanguage: Language) {
        self.defaultLanguage = defaultLanguage
    }

    public func handle(
        _ request: Request, context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let supplied = request.headers[Self.header]
        let id: String
        if let supplied, (1...128).contains(supplied.count),
           supplied.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) {
            id = supplied
        } else {
            id = UUID().uuidString.lowercased()
        }
        context.requestID = id
        context.logger[metadataKey: "request_id"] = "\(id)"
        context.language = Language.negotiate(
            query: request.uri.queryParameters.get("lang"),
            acceptLanguage: request.headers[.acceptLanguage],
            default: defaultLanguage
        )
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }
}

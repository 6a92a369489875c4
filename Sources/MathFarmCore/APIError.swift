import HTTPTypes

/// An error a client is meant to see: an HTTP status, a machine-readable snake_case code and a
/// message in Vietnamese and English (ARCHITECTURE.md section 4).
///
/// Services throw these for every expected failure; anything else becomes a logged 500 with no
/// internals leaked.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: LocalizedText
    public var details: [String: String]?
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, code: String, vi: String, en: String,
        details: [String: String]? = nil, headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.message = LocalizedText(vi: vi, en: en)
        self.details = details
        self.headers = headers
    }

    public static let paymentRequired = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")

    public static func malformed(_ reason: String) -> APIError {
        APIError(.badRequest, code: "malformed_request", vi: "Yêu cầu không hợp lệ: \(reason)", en: "Malformed request: \(reason)")
    }

    /// 422 naming the offending field.
    public static func invalidField(_ field: String, vi: String, en: String) -> APIError {
        APIError(.unprocessableContent, code: "invalid_field", vi: vi, en: en, details: ["field": field])
    }

    public static func missingField(_ field: String) -> APIError {
        APIError(
            .unprocessableContent, code: "missing_field",
            vi: "Thiếu trường bắt buộc '\(field)'.", en: "The required field '\(field)' is missing.",
            details: ["field": field]
        )
    }

    public static func tooLong(_ field: String, limit: Int) -> APIError {
        APIError(
            .unprocessableContent, code: "field_too_long",
            vi: "Trường '\(field)' dài quá \(limit) ký tự.", en: "The field '\(field)' is longer than \(limit) characters.",
            details: ["field": field, "limit": String(limit)]
        )
    }

    public static let unauthorized = APIError(
        .unauthorized, code: "unauthorized",
        vi: "Cần đăng nhập (thiếu hoặc sai mã truy cập).", en: "Authentication required (missing or invalid access token).",
        headers: [.wwwAuthenticate: "Bearer"]
    )

    public static func forbidden(permission: String) -> APIError {
        APIError(
            .forbidden, code: "forbidden",
            vi: "Bạn không có quyền '\(permission)'.", en: "You lack the permission '\(permission)'.",
            details: ["permission": permission]
        )
    }

    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", vi: "Không tìm thấy \(what).", en: "\(what.capitalized) not found.")
    }

    public static let insufficientFunds = APIError(
        paymentRequired, code: "insufficient_balance",
        vi: "Số dư không đủ.", en: "Insufficient balance."
    )

    public static let payloadTooLarge = APIError(
        .contentTooLarge, code: "payload_too_large",
        vi: "Nội dung yêu cầu quá lớn.", en: "The request body is too large."
    )

    /// The body (or a path or query parameter) is not valid UTF-8.
    public static let invalidEncoding = APIError(
        .badRequest, code: "invalid_encoding",
        vi: "Yêu cầu không phải UTF-8 hợp lệ.", en: "The request is not valid UTF-8."
    )

    /// A NUL character in a text field: nothing we store can hold it.
    public static func nulCharacter(_ field: String) -> APIError {
        APIError(
            .unprocessableContent, code: "invalid_characters",
            vi: "Trường '\(field)' chứa ký tự NUL không hợp lệ.", en: "The field '\(field)' contains a NUL character.",
            details: ["field": field]
        )
    }

    /// The same JSON key twice in one object.
    public static func duplicateKey(_ field: String) -> APIError {
        APIError(
            .badRequest, code: "duplicate_key",
            vi: "Khoá '\(field)' xuất hiện hai lần.", en: "The key '\(field)' appears twice.",
            details: ["field": field]
        )
    }

    /// A member the endpoint does not declare (a typo would otherwise be silently ignored).
    public static func unknownField(_ field: String) -> APIError {
        APIError(
            .unprocessableContent, code: "unknown_field",
            vi: "Trường '\(field)' không được hỗ trợ.", en: "The field '\(field)' is not accepted here.",
            details: ["field": field]
        )
    }

    /// The gateway has no credentials here (production without them): it is switched off.
    public static let gatewayDisabled = APIError(
        .serviceUnavailable, code: "gateway_disabled",
        vi: "Cổng thanh toán này chưa được bật.", en: "This payment gateway is not enabled."
    )

    /// A path spelled other than canonically (`//`, a trailing `/`, `%2F`, `/./`).
    public static let noSuchRoute = APIError(.notFound, code: "not_found", vi: "Không tìm thấy đường dẫn.", en: "No such route.")

    public static let internalError = APIError(
        .internalServerError, code: "internal_error",
        vi: "Lỗi hệ thống. Vui lòng thử lại sau.", en: "Internal error. Please try again later."
    )
}

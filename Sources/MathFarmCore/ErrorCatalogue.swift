/// Every machine-readable error code the API answers with (`{"error": {"code", …}}`) or a job
/// ends with (`solutions.error.code`), and what it means. The messages themselves (vi/en) are
/// built next to the code's `APIError`; this list is what the OpenAPI document publishes as the
/// `code` enumeration, and `ErrorCatalogueTests` checks that every `code: "…"` in the sources
/// is listed here, so a new code cannot ship undocumented.
public enum ErrorCatalogue {
    public static let requestErrors: [String: String] = [
        "malformed_request": "400: the body is not valid JSON, or a parameter is malformed",
        "invalid_encoding": "400: the body, path or query is not valid UTF-8",
        "duplicate_key": "400: the same JSON key twice in one object",
        "invalid_idempotency_key": "400: Idempotency-Key is not 1–255 printable ASCII characters",
        "unauthorized": "401: missing, invalid or expired access token",
        "invalid_credentials": "401: wrong email/username or password",
        "invalid_refresh_token": "401: unknown or expired refresh token",
        "refresh_token_reused": "401: a rotated refresh token was presented again; the session is revoked",
        "forbidden": "403: the staff account lacks the permission named in details",
        "cannot_deactivate_self": "409: a super admin cannot deactivate their own account",
        "insufficient_balance": "402: the balance does not cover the price",
        "not_found": "404: no such route or resource",
        "method_not_allowed": "405",
        "refresh_token_superseded": "409: the refresh token was rotated a moment ago by the same client; use the newest tokens",
        "email_taken": "409: an account with this email exists",
        "staff_exists": "409: a staff account with this username or email exists",
        "slug_taken": "409: the slug is used by another page or category",
        "category_in_use": "409: the category still has children, pages or FAQs",
        "invalid_transition": "409: the page cannot move to that status from its current one",
        "not_cancellable": "409: the job already started",
        "not_rerunnable": "409: only failed or timed-out jobs can be re-run",
        "deposit_not_pending": "409: the deposit is no longer pending",
        "deposit_not_refundable": "409: only a completed deposit can be refunded",
        "not_a_bank_transfer": "409: only bank transfers are confirmed by hand",
        "refund_exceeds_balance": "409: the available balance does not cover the refund",
        "reference_conflict": "409: the reference is used by another movement",
        "idempotency_in_progress": "409: a request with this Idempotency-Key is still running",
        "idempotency_key_abandoned": "409: the first request under this Idempotency-Key was abandoned; use a new key",
        "payload_too_large": "413: the request body is over its limit",
        "input_too_large": "413: the solve input is over its limit",
        "missing_field": "422: a required field is missing (details.field)",
        "invalid_field": "422: a field has the wrong type or an invalid value (details.field)",
        "field_too_long": "422: a field is longer than its limit (details.field, details.limit)",
        "unknown_field": "422: a field the endpoint does not accept (details.field)",
        "invalid_characters": "422: a NUL character in a field (details.field)",
        "weak_password": "422: the password does not meet the policy",
        "wrong_password": "422: the current password given to change it is wrong (the website's account page)",
        "idempotency_key_reused": "422: the Idempotency-Key was used with a different body",
        "unknown_problem": "422: no such problem code",
        "unknown_payment_method": "422: the payment method is not available",
        "unknown_reference": "422: the parent category or category does not exist",
        "category_cycle": "422: a category cannot sit under its own descendant",
        "invalid_setting": "422: the value does not fit the setting's type or rules",
        "invalid_input": "422 at submission, or a failed job: the solve input is invalid (details.field)",
        "syntax_error": "422 at submission, or a failed job: an expression does not parse (position in the message)",
        "too_many_login_attempts": "429: too many failed logins; wait Retry-After seconds",
        "internal_error": "500: an unexpected error (logged with the request id)",
        "gateway_refused": "502: the payment gateway refused",
        "gateway_unavailable": "502: the payment gateway could not be reached",
        "maintenance": "503: new solves and deposits are paused",
        "gateway_disabled": "503: the gateway has no credentials on this server",
    ]

    /// Codes a finished job can carry in `error.code` (the charge is refunded).
    public static let jobErrors: [String: String] = [
        "timeout": "the solver ran out of time",
        "cancelled": "cancelled by the customer while queued",
        "dead_letter": "the job crashed its worker too often",
        "expired": "the job waited in the queue too long",
        "unsupported": "outside what the engine supports",
        "no_elementary_antiderivative": "the integrand has no elementary antiderivative",
        "undefined_on_interval": "the integrand is not defined on the whole interval",
        "undefined_near_point": "the function is not defined on the side the limit approaches from",
        "result_too_large": "the result is too large to present",
        "invalid_input": "the input is invalid",
        "syntax_error": "an expression does not parse",
        "internal_error": "the solver failed its own exact check",
        "unknown_problem": "no such problem",
    ]

    public static var allCodes: [String] {
        Array(Set(requestErrors.keys).union(jobErrors.keys)).sorted()
    }
}

import AdminService
import ContentService
import Foundation
import MathFarmCore
import MathSolvers
import PaymentService
import SolverService
import UserService
import WebSite

/// The OpenAPI 3.1 document of the JSON API, served at `/openapi.json` and `/openapi.yaml`.
///
/// Written in Swift rather than as a YAML file so that every limit, enumeration and error code
/// in it is the constant the code enforces (`AccountValidation`, `ContentStore`, `Money`,
/// `StaffPermission`, `ErrorCatalogue`, …): the document cannot drift from the checks.
/// `OpenAPITests` compares its operations with the router's routes, and CI validates it with
/// `openapi-spec-validator` and fuzzes the running API against it with schemathesis.
public enum OpenAPIDocument {
    static let statuses = ["queued", "processing", "completed", "failed", "timeout", "cancelled"]
    static let transactionTypes = ["deposit", "solve_charge", "refund", "adjustment"]
    static let transactionStatuses = ["pending", "completed", "failed", "refunded", "cancelled", "expired"]
    static let methodCodes = ["vnpay", "momo", "zalopay", "bank_transfer", "qr_code"]
    static let slug = Schema.string(min: 1, max: ContentStore.maxSlugLength, pattern: "^[a-z0-9-]+$")

    /// The document as JSON text (sorted keys, stable across runs).
    public static func json(registry: SolverRegistry = SolverRegistry(diagnosticsEnabled: false)) throws -> Data {
        try JSONBody.encode(document(registry: registry))
    }

    /// The same document as YAML.
    public static func yaml(registry: SolverRegistry = SolverRegistry(diagnosticsEnabled: false)) -> String {
        YAMLEmitter.emit(document(registry: registry))
    }

    static func operations(registry: SolverRegistry) -> [OpenAPIOperation] {
        system + auth + money + solving(registry: registry) + content + admin + gateways
    }

    /// Every documented operation as "METHOD /path/{param}" (for the route-coverage test).
    public static var operationKeys: [String] {
        operations(registry: SolverRegistry(diagnosticsEnabled: false)).map { "\($0.method.uppercased()) \($0.path)" }
    }

    /// The document for the problem types of `registry`: each type's input and result schema
    /// is a component (`ProblemInput.<code>`, `ProblemResult.<code>`), taken from its entry.
    public static func document(registry: SolverRegistry) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations(registry: registry) {
            paths[operation.path, default: [:]][operation.method] = operation.json
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("MathFarm API"),
                "version": .string("1"),
                "description": .string("""
                    Exact step-by-step math solving paid from a prepaid VND balance. Errors are \
                    {"error": {"code", "message", "details"?}}, the message in Vietnamese or English \
                    (?lang=vi|en or Accept-Language). Request bodies are JSON objects that may not \
                    repeat a key, contain NUL characters or carry members the operation does not \
                    declare. Money is a decimal string with two decimals.
                    """),
            ]),
            "servers": .array([.object(["url": .string("/")])]),
            "tags": .array(["system", "auth", "money", "solving", "content", "admin", "gateways"].map { .object(["name": .string($0)]) }),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": components(registry: registry),
        ])
    }

    // MARK: Components

    static func components(registry: SolverRegistry) -> JSONValue {
        .object([
            "securitySchemes": .object([
                "customerToken": .object(["type": .string("http"), "scheme": .string("bearer"), "bearerFormat": .string("JWT"), "description": .string("Access token from /api/v1/auth/login (audience mathfarm-api)")]),
                "staffToken": .object(["type": .string("http"), "scheme": .string("bearer"), "bearerFormat": .string("JWT"), "description": .string("Access token from /api/v1/admin/auth/login (audience mathfarm-admin)")]),
                "metricsToken": .object(["type": .string("http"), "scheme": .string("bearer"), "description": .string("MATHFARM_METRICS_TOKEN; in production without it /metrics is not served")]),
            ]),
            "parameters": .object([
                "lang": .object(["name": .string("lang"), "in": .string("query"), "required": .bool(false), "schema": Schema.string(oneOf: ["vi", "en"]), "description": .string("Language of messages and content")]),
                "IdempotencyKey": .object([
                    "name": .string("Idempotency-Key"), "in": .string("header"), "required": .bool(false),
                    "schema": Schema.string(min: 1, max: IdempotencyStore.maxKeyLength, pattern: "^[!-~]+$"),
                    "description": .string("Replays the first response for the same body; 422 idempotency_key_reused for another body"),
                ]),
            ]),
            "responses": .object([
                "Error": .object([
                    "description": .string("An error: see ErrorCode for the codes"),
                    "content": .object(["application/json": .object(["schema": Schema.ref("Error")])]),
                ]),
            ]),
            "schemas": .object(schemas.merging(problemSchemas(registry), uniquingKeysWith: { first, _ in first })),
        ])
    }

    /// Each problem type's input and result document, as its registry entry publishes them
    /// (`$schema` left out: the document's own dialect applies).
    static func problemSchemas(_ registry: SolverRegistry) -> [String: JSONValue] {
        var schemas: [String: JSONValue] = [:]
        for entry in registry.productEntries {
            for (kind, text) in [("ProblemInput", entry.inputSchema.text), ("ProblemResult", entry.outputSchema)] {
                guard case .object(var schema)? = JSONValue(text: text) else { continue }
                schema["$schema"] = nil
                schema["title"] = .string(entry.manifest.name.en)
                schema["description"] = .string(entry.manifest.help.en)
                schemas["\(kind).\(entry.code)"] = .object(schema)
            }
        }
        return schemas
    }

    static var schemas: [String: JSONValue] {
        [
            "ErrorCode": Schema.string(oneOf: ErrorCatalogue.allCodes),
            "Error": Schema.object([
                "error": Schema.object([
                    "code": Schema.ref("ErrorCode"),
                    "message": Schema.string(),
                    "details": Schema.object([:]),
                ], required: ["code", "message"]),
            ], required: ["error"]),
            "User": Schema.object([
                "id": Schema.uuid, "email": Schema.string(), "full_name": Schema.string(), "phone": Schema.nullable(Schema.string()),
                "role": Schema.string(), "is_active": Schema.boolean, "is_verified": Schema.boolean,
                "last_login": Schema.nullable(Schema.dateTime), "created_at": Schema.dateTime,
            ], required: ["id", "email", "full_name", "role", "is_active", "created_at"]),
            "Tokens": Schema.object([
                "access_token": Schema.string(), "refresh_token": Schema.string(), "token_type": Schema.string(oneOf: ["Bearer"]),
                "expires_in": Schema.integer(min: 1),
            ], required: ["access_token", "refresh_token", "token_type", "expires_in"]),
            "Auth": Schema.object([
                "user": Schema.ref("User"), "access_token": Schema.string(), "refresh_token": Schema.string(),
                "token_type": Schema.string(oneOf: ["Bearer"]), "expires_in": Schema.integer(min: 1),
            ], required: ["user", "access_token", "refresh_token", "token_type", "expires_in"]),
            "Balance": Schema.object([
                "available": Schema.moneyOut, "held": Schema.moneyOut, "total_deposited": Schema.moneyOut, "total_spent": Schema.moneyOut,
                "currency": Schema.string(oneOf: ["VND"]),
            ], required: ["available", "held", "total_deposited", "total_spent", "currency"]),
            "Transaction": Schema.object([
                "id": Schema.uuid, "type": Schema.string(oneOf: transactionTypes), "status": Schema.string(oneOf: transactionStatuses),
                "amount": Schema.moneyOut, "fee_amount": Schema.moneyOut, "net_amount": Schema.moneyOut,
                "reference_code": Schema.nullable(Schema.string()), "description": Schema.nullable(Schema.string()),
                "created_at": Schema.dateTime, "updated_at": Schema.dateTime,
            ], required: ["id", "type", "status", "amount", "created_at"]),
            "TransactionPage": page(of: Schema.ref("Transaction")),
            "Problem": Schema.object([
                "id": Schema.uuid, "code": Schema.string(), "name": Schema.string(), "description": Schema.nullable(Schema.string()),
                "input_schema": Schema.any, "output_schema": Schema.any, "price": Schema.moneyOut, "premium_price": Schema.moneyOut,
                "difficulty": Schema.string(), "timeout_seconds": Schema.integer(min: 1), "is_active": Schema.boolean,
            ], required: ["code", "name", "input_schema", "price", "premium_price", "timeout_seconds"]),
            "Solution": Schema.object([
                "id": Schema.uuid, "problem": Schema.string(), "status": Schema.string(oneOf: statuses), "input": Schema.any,
                "result": Schema.any, "error": Schema.nullable(Schema.object(["code": Schema.string(), "message": Schema.string()])),
                "cost": Schema.moneyOut, "processing_time_ms": Schema.nullable(Schema.integer(min: 0)),
                "created_at": Schema.dateTime, "updated_at": Schema.dateTime,
            ], required: ["id", "problem", "status", "cost", "created_at", "updated_at"]),
            "SolutionPage": page(of: Schema.ref("Solution")),
            "Preview": Schema.object([
                "problem": Schema.string(), "input": Schema.anyObject, "latex": Schema.nullable(Schema.string()),
                "text": Schema.nullable(Schema.string()), "message": Schema.string(),
            ], required: ["problem", "input", "message"]),
            "Submitted": Schema.object([
                "id": Schema.uuid, "status": Schema.string(oneOf: statuses), "cost": Schema.moneyOut, "poll": Schema.string(),
            ], required: ["id", "status", "cost", "poll"]),
            "PaymentMethod": Schema.object([
                "code": Schema.string(oneOf: methodCodes), "name": Schema.string(), "fee_percentage": Schema.string(),
                "min_amount": Schema.moneyOut, "max_amount": Schema.moneyOut, "config": Schema.any,
            ], required: ["code", "name", "min_amount", "max_amount"]),
            "Deposit": Schema.object([
                "id": Schema.uuid, "user_id": Schema.uuid, "method": Schema.string(oneOf: methodCodes), "amount": Schema.moneyOut,
                "fee": Schema.moneyOut, "net_amount": Schema.moneyOut, "status": Schema.string(oneOf: transactionStatuses),
                "reference": Schema.string(), "gateway_transaction_id": Schema.nullable(Schema.string()),
                "expires_at": Schema.nullable(Schema.dateTime), "created_at": Schema.dateTime,
            ], required: ["id", "method", "amount", "status", "reference"]),
            "Category": Schema.object([
                "id": Schema.uuid, "name": Schema.string(), "slug": Schema.string(), "parent_id": Schema.nullable(Schema.uuid),
                "description": Schema.nullable(Schema.string()), "sort_order": Schema.integer(), "is_active": Schema.boolean,
                "children": Schema.array(Schema.ref("Category")),
            ], required: ["id", "name", "slug", "children"]),
            "Page": Schema.object([
                "id": Schema.uuid, "category_id": Schema.nullable(Schema.uuid), "title": Schema.string(), "slug": Schema.string(),
                "content": Schema.string(), "excerpt": Schema.nullable(Schema.string()), "status": Schema.string(oneOf: ["draft", "published", "archived"]),
                "meta_title": Schema.nullable(Schema.string()), "meta_description": Schema.nullable(Schema.string()),
                "featured_image_url": Schema.nullable(Schema.string()), "view_count": Schema.integer(min: 0),
                "published_at": Schema.nullable(Schema.dateTime), "language": Schema.string(oneOf: ["vi", "en"]),
            ], required: ["id", "title", "slug", "content", "status", "language"]),
            "FAQ": Schema.object([
                "id": Schema.uuid, "category_id": Schema.nullable(Schema.uuid), "question": Schema.string(), "answer": Schema.string(),
                "sort_order": Schema.integer(), "is_featured": Schema.boolean, "view_count": Schema.integer(min: 0),
                "tags": Schema.array(Schema.string()), "language": Schema.string(oneOf: ["vi", "en"]),
            ], required: ["id", "question", "answer", "language"]),
            "Setting": Schema.object([
                "key": Schema.string(), "value": Schema.nullable(Schema.string()), "type": Schema.string(oneOf: ["string", "integer", "decimal", "boolean", "json"]),
                "category": Schema.string(), "is_public": Schema.boolean, "is_encrypted": Schema.boolean,
                "description": Schema.nullable(Schema.string()), "validation_rules": Schema.any,
            ], required: ["key", "type"]),
            "SettingList": Schema.object(["settings": Schema.array(Schema.ref("Setting"))], required: ["settings"]),
            "StaffProfile": Schema.object([
                "id": Schema.uuid, "username": Schema.string(), "email": Schema.string(), "full_name": Schema.string(),
                "is_super_admin": Schema.boolean, "permissions": Schema.array(Schema.string(oneOf: StaffPermission.allCases.map(\.rawValue))),
            ], required: ["id", "username", "permissions"]),
            "Created": Schema.object(["id": Schema.uuid], required: ["id"]),
        ]
    }

    static func page(of item: JSONValue) -> JSONValue {
        Schema.object([
            "items": Schema.array(item), "total": Schema.integer(min: 0), "limit": Schema.integer(min: 1), "offset": Schema.integer(min: 0),
        ], required: ["items", "total", "limit", "offset"])
    }

    static func pagination(maxLimit: Int) -> [OpenAPIOperation.Parameter] {
        [
            .query("limit", Schema.integer(min: 1, max: Int64(maxLimit))),
            .query("offset", Schema.integer(min: 0, max: Int64(Pagination.maxOffset))),
        ]
    }

    static func ok(_ schema: JSONValue, _ description: String = "OK") -> [OpenAPIOperation.Response] {
        [.init(status: 200, description: description, schema: schema)]
    }

    static let noContent: [OpenAPIOperation.Response] = [.init(status: 204, description: "Done")]

    // MARK: Operations

    static var system: [OpenAPIOperation] {
        [
            .init(method: "get", path: "/healthz", id: "health", summary: "The process answers", tag: "system", access: .open,
                  responses: ok(Schema.object(["status": Schema.string(oneOf: ["ok"])], required: ["status"]))),
            .init(method: "get", path: "/readyz", id: "readiness", summary: "Every database and Redis answer (503 otherwise)", tag: "system", access: .open,
                  responses: ok(Schema.object(["status": Schema.string(oneOf: ["ready", "not_ready"]), "checks": Schema.object([:])], required: ["status", "checks"]))
                    + [.init(status: 503, description: "Not ready", schema: Schema.object(["status": Schema.string(oneOf: ["not_ready"]), "checks": Schema.object([:])], required: ["status", "checks"]))]),
            .init(method: "get", path: "/metrics", id: "metrics", summary: "Prometheus text (bearer MATHFARM_METRICS_TOKEN when set; not served in production without one)", tag: "system", access: .metrics,
                  responses: [.init(status: 200, description: "Prometheus exposition", schema: Schema.string(), contentType: "text/plain")]),
            .init(method: "get", path: "/openapi.json", id: "openapiJSON", summary: "This document", tag: "system", access: .open,
                  responses: ok(Schema.anyObject)),
            .init(method: "get", path: "/openapi.yaml", id: "openapiYAML", summary: "This document in YAML", tag: "system", access: .open,
                  responses: [.init(status: 200, description: "The same document as YAML", schema: Schema.anyObject, contentType: "application/yaml")]),
        ]
    }

    static var auth: [OpenAPIOperation] {
        let email = Schema.string(min: 3, max: AccountValidation.maxEmailLength, format: "email")
        let password = Schema.string(min: 1, max: AccountValidation.maxPasswordLength)
        let deviceName = Schema.string(max: 100)
        return [
            .init(method: "post", path: "/api/v1/auth/register", id: "register", summary: "Create a customer account and a session", tag: "auth", access: .open,
                  body: Schema.object([
                      "email": email,
                      "password": Schema.string(min: AccountValidation.minPasswordLength, max: AccountValidation.maxPasswordLength, description: "10–72 bytes, letters and digits, not the email"),
                      "full_name": Schema.string(min: 1, max: AccountValidation.maxNameLength),
                      "phone": Schema.nullable(Schema.string(max: AccountValidation.maxPhoneLength, pattern: #"^\+?[0-9 ]{8,}$"#)),
                      "device_name": Schema.nullable(deviceName),
                  ], required: ["email", "password", "full_name"], closed: true),
                  responses: [.init(status: 201, description: "Registered", schema: Schema.ref("Auth"))]),
            .init(method: "post", path: "/api/v1/auth/login", id: "login", summary: "Log in (backoff per account, per account and address, per address: 429)", tag: "auth", access: .open,
                  body: Schema.object(["email": Schema.string(max: AccountValidation.maxEmailLength), "password": Schema.string(max: 1024), "device_name": Schema.nullable(deviceName)], required: ["email", "password"], closed: true),
                  responses: ok(Schema.ref("Auth"))),
            .init(method: "post", path: "/api/v1/auth/refresh", id: "refresh", summary: "Rotate the refresh token", tag: "auth", access: .open,
                  body: Schema.object(["refresh_token": Schema.string(max: 512)], required: ["refresh_token"], closed: true),
                  responses: ok(Schema.ref("Tokens"))),
            .init(method: "post", path: "/api/v1/auth/logout", id: "logout", summary: "End the session", tag: "auth", access: .customer, responses: noContent),
            .init(method: "get", path: "/api/v1/me", id: "me", summary: "The customer's profile", tag: "auth", access: .customer, responses: ok(Schema.ref("User"))),
        ]
    }

    static var money: [OpenAPIOperation] {
        [
            .init(method: "get", path: "/api/v1/me/balance", id: "balance", summary: "The wallet", tag: "money", access: .customer, responses: ok(Schema.ref("Balance"))),
            .init(method: "get", path: "/api/v1/me/transactions", id: "transactions", summary: "The customer's ledger, newest first", tag: "money", access: .customer,
                  parameters: pagination(maxLimit: PaymentRoutes.maxPageSize), responses: ok(Schema.ref("TransactionPage"))),
            .init(method: "get", path: "/api/v1/payment-methods", id: "paymentMethods", summary: "Deposit methods whose gateway is enabled", tag: "money", access: .open,
                  responses: ok(Schema.object(["methods": Schema.array(Schema.ref("PaymentMethod"))], required: ["methods"]))),
            .init(method: "post", path: "/api/v1/deposits", id: "openDeposit", summary: "Open a deposit (503 maintenance)", tag: "money", access: .customer,
                  body: Schema.object(["method": Schema.string(oneOf: methodCodes), "amount": Schema.moneyIn], required: ["method", "amount"], closed: true),
                  responses: [.init(status: 201, description: "Opened", schema: Schema.object(["deposit": Schema.ref("Deposit"), "payment": Schema.object([
                      "amount": Schema.moneyOut, "payment_url": Schema.string(), "qr_payload": Schema.string(), "bank_bin": Schema.string(),
                      "bank_account": Schema.string(), "bank_account_name": Schema.string(), "transfer_content": Schema.string(),
                  ], required: ["amount"])], required: ["deposit", "payment"]))], idempotent: true),
            .init(method: "get", path: "/api/v1/deposits/{id}", id: "deposit", summary: "One of the customer's deposits", tag: "money", access: .customer,
                  parameters: [.path("id")], responses: ok(Schema.ref("Deposit"))),
        ]
    }

    static func solving(registry: SolverRegistry) -> [OpenAPIOperation] {
        let codes: String = registry.productEntries.map(\.code).joined(separator: ", ")
        let inputDescription: String = "The problem's input document: components/schemas/ProblemInput.<problem> (also input_schema in GET /api/v1/problems). Problems: " + codes
        let previewFields: [OpenAPIOperation.Parameter] = PreviewContract.fields(of: registry).map { OpenAPIOperation.Parameter.query($0.name, Schema.string(max: $0.maxLength)) }
        return [
            .init(method: "get", path: "/api/v1/problems", id: "problems", summary: "The catalog with input and output JSON Schemas", tag: "solving", access: .open,
                  responses: ok(Schema.object(["problems": Schema.array(Schema.ref("Problem"))], required: ["problems"]))),
            .init(method: "post", path: "/api/v1/solutions", id: "submit", summary: "Submit a problem: validated, then the price is held (503 maintenance)", tag: "solving", access: .customer,
                  body: Schema.object([
                      "problem": Schema.string(min: 1, max: 64),
                      "input": Schema.object([:], description: inputDescription),
                  ], required: ["problem", "input"], closed: true),
                  responses: [.init(status: 202, description: "Queued", schema: Schema.ref("Submitted"))], idempotent: true),
            .init(method: "get", path: "/api/v1/solutions", id: "solutions", summary: "The customer's jobs, newest first", tag: "solving", access: .customer,
                  parameters: [.query("status", Schema.string(oneOf: statuses)), .query("problem", Schema.string(max: 64))] + pagination(maxLimit: 100),
                  responses: ok(Schema.ref("SolutionPage"))),
            .init(method: "get", path: "/api/v1/solutions/{id}", id: "solution", summary: "A job; wait holds the call until it is terminal", tag: "solving", access: .customer,
                  parameters: [.path("id"), .query("wait", Schema.integer(min: 0, max: Int64(SolveService.maxWaitSeconds)), "seconds")],
                  responses: ok(Schema.ref("Solution"))),
            .init(method: "delete", path: "/api/v1/solutions/{id}", id: "cancel", summary: "Cancel a queued job and refund it", tag: "solving", access: .customer,
                  parameters: [.path("id")], responses: ok(Schema.ref("Solution"))),
            .init(method: "get", path: "/api/v1/preview", id: "preview",
                  summary: "Free, no account: checks an input exactly as a submission would (nothing charged or stored) and answers what would be solved as LaTeX; a refused input is a 422 naming details.field, with details.did_you_mean when a rewrite passes. The fields are the problem's input_schema properties (equations one per line), form-encoded",
                  tag: "solving", access: .open,
                  parameters: [OpenAPIOperation.Parameter(name: "problem", location: "query", schema: Schema.string(min: 1, max: 64), required: true)]
                      + previewFields,
                  responses: ok(Schema.ref("Preview"))),
        ]
    }

    static var content: [OpenAPIOperation] {
        [
            .init(method: "get", path: "/api/v1/content/categories", id: "categories", summary: "The active category tree", tag: "content", access: .open,
                  responses: ok(Schema.object(["categories": Schema.array(Schema.ref("Category"))], required: ["categories"])) + [.init(status: 304, description: "Not modified")]),
            .init(method: "get", path: "/api/v1/content/pages/{slug}", id: "page", summary: "A published page", tag: "content", access: .open,
                  parameters: [.path("slug", slug)], responses: ok(Schema.ref("Page")) + [.init(status: 304, description: "Not modified")]),
            .init(method: "get", path: "/api/v1/content/categories/{slug}/pages", id: "categoryPages", summary: "Published pages of a category", tag: "content", access: .open,
                  parameters: [.path("slug", slug)] + pagination(maxLimit: 100),
                  responses: ok(Schema.object(["pages": Schema.array(Schema.ref("Page")), "limit": Schema.integer(), "offset": Schema.integer()], required: ["pages"])) + [.init(status: 304, description: "Not modified")]),
            .init(method: "get", path: "/api/v1/content/faqs", id: "faqs", summary: "FAQs by category slug, featured flag and tag", tag: "content", access: .open,
                  parameters: [.query("category", slug), .query("featured", Schema.string(oneOf: ["true", "false", "1", "0"])), .query("tag", Schema.string(max: ContentStore.maxTagLength))] + pagination(maxLimit: 100),
                  responses: ok(Schema.object(["faqs": Schema.array(Schema.ref("FAQ"))], required: ["faqs"])) + [.init(status: 304, description: "Not modified")]),
            .init(method: "get", path: "/api/v1/settings/public", id: "publicSettings", summary: "Public runtime settings", tag: "content", access: .open,
                  responses: ok(Schema.ref("SettingList"))),
        ]
    }

    static var admin: [OpenAPIOperation] {
        let categoryBody = Schema.object([
            "name": Schema.string(min: 1, max: ContentStore.maxCategoryNameLength), "slug": slug,
            "parent_id": Schema.nullable(Schema.uuid), "description": Schema.nullable(Schema.string(max: ContentStore.maxDescriptionLength)),
            "sort_order": Schema.nullable(Schema.integer(min: Int64(ContentStore.sortOrderRange.lowerBound), max: Int64(ContentStore.sortOrderRange.upperBound))),
            "is_active": Schema.nullable(Schema.boolean),
        ], required: ["name", "slug"], closed: true)
        let pageBody = Schema.object([
            "title": Schema.string(min: 1, max: ContentStore.maxTitleLength), "slug": slug,
            "content": Schema.string(min: 1, max: ContentStore.maxContentLength),
            "category_id": Schema.nullable(Schema.uuid), "excerpt": Schema.nullable(Schema.string(max: ContentStore.maxExcerptLength)),
            "meta_title": Schema.nullable(Schema.string(max: ContentStore.maxMetaTitleLength)),
            "meta_description": Schema.nullable(Schema.string(max: ContentStore.maxMetaDescriptionLength)),
            "featured_image_url": Schema.nullable(Schema.string(max: FieldRules.maxURLLength, pattern: "^https?://", format: "uri")),
        ], required: ["title", "slug", "content"], closed: true)
        let faqBody = Schema.object([
            "question": Schema.string(min: 1, max: ContentStore.maxQuestionLength), "answer": Schema.string(min: 1, max: ContentStore.maxAnswerLength),
            "category_id": Schema.nullable(Schema.uuid),
            "sort_order": Schema.nullable(Schema.integer(min: Int64(ContentStore.sortOrderRange.lowerBound), max: Int64(ContentStore.sortOrderRange.upperBound))),
            "is_featured": Schema.nullable(Schema.boolean),
            "tags": Schema.nullable(Schema.array(Schema.string(min: 1, max: ContentStore.maxTagLength), max: ContentStore.maxTags, unique: true)),
        ], required: ["question", "answer"], closed: true)
        let permissions = Schema.array(Schema.string(oneOf: StaffPermission.allCases.map(\.rawValue)), unique: true)
        let anyList = Schema.object(["items": Schema.array(Schema.anyObject), "total": Schema.integer(min: 0), "limit": Schema.integer(), "offset": Schema.integer()], required: ["items", "total"])
        var operations: [OpenAPIOperation] = [
            .init(method: "post", path: "/api/v1/admin/auth/login", id: "staffLogin", summary: "Staff login (backoff like customers'; mathfarm admin unlock lifts it)", tag: "admin", access: .open,
                  body: Schema.object(["username": Schema.string(max: 255), "password": Schema.string(max: 1024)], required: ["username", "password"], closed: true),
                  responses: ok(Schema.object([
                      "access_token": Schema.string(), "token_type": Schema.string(oneOf: ["Bearer"]), "expires_in": Schema.integer(min: 1), "staff": Schema.ref("StaffProfile"),
                  ], required: ["access_token", "token_type", "expires_in", "staff"]))),
            .init(method: "post", path: "/api/v1/admin/users/{id}/adjustments", id: "adjust", summary: "Credit (> 0) or debit (< 0) a wallet", tag: "admin", access: .staff,
                  parameters: [.path("id")],
                  body: Schema.object(["amount": Schema.moneyIn, "reason": Schema.string(min: 1, max: AdminRoutes.maxReasonLength)], required: ["amount", "reason"], closed: true),
                  responses: [.init(status: 201, description: "Moved", schema: Schema.object([
                      "transaction_id": Schema.uuid, "user_id": Schema.uuid, "amount": Schema.moneyOut, "balance": Schema.ref("Balance"),
                  ], required: ["transaction_id", "user_id", "amount", "balance"]))], idempotent: true),
            .init(method: "post", path: "/api/v1/admin/deposits/{id}/refund", id: "refundDeposit", summary: "Refund a completed deposit through its gateway", tag: "admin", access: .staff,
                  parameters: [.path("id")], body: Schema.object(["reason": Schema.string(min: 1, max: AdminRoutes.maxReasonLength)], required: ["reason"], closed: true),
                  responses: ok(Schema.object(["deposit": Schema.ref("Deposit"), "refund": Schema.string(oneOf: ["confirmed", "requested"])], required: ["deposit", "refund"]))),
            .init(method: "post", path: "/api/v1/admin/deposits/{id}/confirm", id: "confirmDeposit", summary: "Complete a bank transfer matched by hand", tag: "admin", access: .staff,
                  parameters: [.path("id")], responses: ok(Schema.nullable(Schema.ref("Deposit")))),
            .init(method: "get", path: "/api/v1/admin/users", id: "customers", summary: "Customers whose email, name or phone contains q", tag: "admin", access: .staff,
                  parameters: [.query("q", Schema.string(max: 100))] + pagination(maxLimit: 100), responses: ok(anyList)),
            .init(method: "put", path: "/api/v1/admin/users/{id}/role", id: "setRole", summary: "Change a customer's role", tag: "admin", access: .staff,
                  parameters: [.path("id")], body: Schema.object(["role": Schema.string(min: 1, max: 50)], required: ["role"], closed: true), responses: noContent),
            .init(method: "put", path: "/api/v1/admin/problems/{code}", id: "updateProblem", summary: "Reprice, retime or hide a problem", tag: "admin", access: .staff,
                  parameters: [.path("code", Schema.string(min: 1, max: 64))],
                  body: Schema.object([
                      "price": Schema.nullable(Schema.moneyIn), "timeout_seconds": Schema.nullable(Schema.integer(min: 1, max: 600)), "is_active": Schema.nullable(Schema.boolean),
                  ], closed: true),
                  responses: ok(Schema.ref("Problem"))),
            .init(method: "get", path: "/api/v1/admin/statistics", id: "statistics", summary: "Per day and problem", tag: "admin", access: .staff,
                  parameters: [.query("from", Schema.string(format: "date")), .query("to", Schema.string(format: "date")), .query("problem", Schema.string(max: 64))],
                  responses: ok(Schema.object(["days": Schema.array(Schema.object([
                      "date": Schema.string(), "problem": Schema.string(), "requests": Schema.integer(), "successes": Schema.integer(), "failures": Schema.integer(),
                      "revenue": Schema.moneyOut, "avg_processing_time_ms": Schema.nullable(Schema.string()),
                  ]))], required: ["days"]))),
            .init(method: "get", path: "/api/v1/admin/solutions", id: "allSolutions", summary: "Every customer's jobs", tag: "admin", access: .staff,
                  parameters: [.query("status", Schema.string(oneOf: statuses)), .query("problem", Schema.string(max: 64)), .query("user_id", Schema.uuid)] + pagination(maxLimit: 100),
                  responses: ok(Schema.ref("SolutionPage"))),
            .init(method: "post", path: "/api/v1/admin/solutions/{id}/rerun", id: "rerun", summary: "Re-run a failed or timed-out job (charged like any job)", tag: "admin", access: .staff,
                  parameters: [.path("id")], responses: [.init(status: 202, description: "Queued", schema: Schema.ref("Submitted"))]),
            .init(method: "get", path: "/api/v1/admin/transactions", id: "ledger", summary: "The ledger's transactions", tag: "admin", access: .staff,
                  parameters: [.query("user_id", Schema.uuid), .query("type", Schema.string(oneOf: transactionTypes)), .query("status", Schema.string(oneOf: transactionStatuses))] + pagination(maxLimit: 100),
                  responses: ok(Schema.ref("TransactionPage"))),
            .init(method: "get", path: "/api/v1/admin/staff", id: "staff", summary: "Staff accounts (super admin)", tag: "admin", access: .staff,
                  responses: ok(Schema.object(["staff": Schema.array(Schema.anyObject)], required: ["staff"]))),
            .init(method: "post", path: "/api/v1/admin/staff", id: "createStaff", summary: "Create a staff account (super admin)", tag: "admin", access: .staff,
                  body: Schema.object([
                      "username": Schema.string(min: 3, max: 100, pattern: "^[A-Za-z0-9._-]+$"), "email": Schema.string(max: AccountValidation.maxEmailLength, format: "email"),
                      "full_name": Schema.string(min: 1, max: 255), "password": Schema.string(min: 12, max: 72), "permissions": Schema.nullable(permissions),
                  ], required: ["username", "email", "full_name", "password"], closed: true),
                  responses: [.init(status: 201, description: "Created", schema: Schema.ref("StaffProfile"))]),
            .init(method: "put", path: "/api/v1/admin/staff/{id}", id: "updateStaff", summary: "Change permissions or the active flag (super admin)", tag: "admin", access: .staff,
                  parameters: [.path("id")], body: Schema.object(["permissions": Schema.nullable(permissions), "is_active": Schema.nullable(Schema.boolean)], closed: true),
                  responses: noContent),
            .init(method: "post", path: "/api/v1/admin/staff/{id}/unlock", id: "unlockStaff", summary: "Lift a staff account's login delays (super admin)", tag: "admin", access: .staff,
                  parameters: [.path("id")], responses: noContent),
            .init(method: "get", path: "/api/v1/admin/audit-logs", id: "auditLogs", summary: "The audit trail, newest first", tag: "admin", access: .staff,
                  parameters: [
                      .query("staff_id", Schema.uuid), .query("action", Schema.string(max: 50)), .query("entity", Schema.string(max: 50)), .query("entity_id", Schema.uuid),
                      .query("from", Schema.string(format: "date-time")), .query("to", Schema.string(format: "date-time")),
                  ] + pagination(maxLimit: 200),
                  responses: ok(anyList)),
            .init(method: "get", path: "/api/v1/admin/settings", id: "settings", summary: "Every setting (encrypted ones masked)", tag: "admin", access: .staff,
                  responses: ok(Schema.ref("SettingList"))),
            .init(method: "put", path: "/api/v1/admin/settings/{key}", id: "updateSetting", summary: "Change a setting (checked against its type and rules)", tag: "admin", access: .staff,
                  parameters: [.path("key", Schema.string(min: 1, max: 100, pattern: "^[a-z0-9_]+$"))],
                  body: Schema.object(["value": Schema.string(max: 10_000)], required: ["value"], closed: true),
                  responses: ok(Schema.nullable(Schema.ref("Setting")))),
            .init(method: "put", path: "/api/v1/admin/content/translations", id: "translate", summary: "Set a translation of a field", tag: "admin", access: .staff,
                  body: Schema.object([
                      "entity_type": Schema.string(oneOf: ["page", "faq", "category"]), "entity_id": Schema.uuid, "language": Schema.string(oneOf: ["vi", "en"]),
                      "field": Schema.string(oneOf: ["title", "content", "excerpt", "meta_title", "meta_description", "question", "answer", "name", "description"]),
                      "text": Schema.string(min: 1, max: ContentStore.maxContentLength, description: "At most the original field's limit"),
                  ], required: ["entity_type", "entity_id", "language", "field", "text"], closed: true),
                  responses: noContent),
        ]
        operations += crud("category", "categories", body: categoryBody, create: "Create a category", update: "Update a category (422 category_cycle)", delete: "Delete an empty category")
        operations += crud("page", "pages", body: pageBody, create: "Create a draft page", update: "Update a page", delete: "Delete a page")
        operations += crud("FAQ", "faqs", body: faqBody, create: "Create an FAQ", update: "Update an FAQ", delete: "Delete an FAQ")
        for action in ["activate", "deactivate"] {
            operations.append(.init(method: "post", path: "/api/v1/admin/users/{id}/\(action)", id: "\(action)Customer", summary: "\(action.capitalized) a customer", tag: "admin", access: .staff,
                                    parameters: [.path("id")], responses: noContent))
        }
        for action in ["publish", "archive", "unarchive"] {
            operations.append(.init(method: "post", path: "/api/v1/admin/content/pages/{id}/\(action)", id: "\(action)Page", summary: "\(action.capitalized) a page (409 invalid_transition)", tag: "admin", access: .staff,
                                    parameters: [.path("id")], responses: ok(Schema.ref("Page"))))
        }
        return operations
    }

    /// Create, update and delete of one kind of content under `/api/v1/admin/content/<plural>`.
    static func crud(_ name: String, _ plural: String, body: JSONValue, create: String, update: String, delete: String) -> [OpenAPIOperation] {
        let collection = "/api/v1/admin/content/\(plural)"
        let id = name.prefix(1).uppercased() + name.dropFirst()
        return [
            .init(method: "post", path: collection, id: "create\(id)", summary: create, tag: "admin", access: .staff,
                  body: body, responses: [.init(status: 201, description: "Created", schema: Schema.ref("Created"))]),
            .init(method: "put", path: "\(collection)/{id}", id: "update\(id)", summary: update, tag: "admin", access: .staff,
                  parameters: [.path("id")], body: body, responses: ok(Schema.ref("Created"))),
            .init(method: "delete", path: "\(collection)/{id}", id: "delete\(id)", summary: delete, tag: "admin", access: .staff,
                  parameters: [.path("id")], responses: noContent),
        ]
    }

    static var gateways: [OpenAPIOperation] {
        let vnpayParameters: [OpenAPIOperation.Parameter] = ["vnp_Amount", "vnp_TxnRef", "vnp_TmnCode", "vnp_ResponseCode", "vnp_TransactionStatus", "vnp_TransactionNo", "vnp_SecureHash"]
            .map { .query($0, Schema.string(max: 256)) }
        let returnView = Schema.object(["reference": Schema.string(), "status": Schema.string(oneOf: transactionStatuses)], required: ["reference", "status"])
        return [
            .init(method: "get", path: "/api/v1/payments/vnpay/ipn", id: "vnpayIPN", summary: "VNPay IPN (HMAC-SHA512 over the vnp_* parameters)", tag: "gateways", access: .gateway,
                  parameters: vnpayParameters,
                  responses: ok(Schema.object(["RspCode": Schema.string(oneOf: ["00", "01", "02", "04", "97", "99"]), "Message": Schema.string()], required: ["RspCode", "Message"]))),
            .init(method: "post", path: "/api/v1/payments/momo/ipn", id: "momoIPN", summary: "MoMo IPN (HMAC-SHA256): 204 recorded, 400 bad signature, partner or amount, 404 unknown order", tag: "gateways", access: .gateway,
                  body: Schema.anyObject, responses: [.init(status: 204, description: "Recorded"), .init(status: 400, description: "Refused"), .init(status: 404, description: "Unknown order")]),
            .init(method: "post", path: "/api/v1/payments/zalopay/callback", id: "zalopayCallback", summary: "ZaloPay callback (HMAC-SHA256 of data with key2)", tag: "gateways", access: .gateway,
                  body: Schema.anyObject,
                  responses: ok(Schema.object(["return_code": Schema.integer(min: -1, max: 2), "return_message": Schema.string()], required: ["return_code", "return_message"]))),
            .init(method: "post", path: "/api/v1/payments/bank/webhook", id: "bankWebhook", summary: "Bank transfer webhook (payOS format)", tag: "gateways", access: .gateway,
                  body: Schema.anyObject,
                  responses: [200, 400, 401].map { .init(status: $0, description: "payOS answer", schema: Schema.object(["error": Schema.integer(), "message": Schema.string(), "code": Schema.string()], required: ["error", "message", "code"])) }),
            .init(method: "get", path: "/api/v1/payments/vnpay/return", id: "vnpayReturn", summary: "Browser return: shows the deposit, changes nothing", tag: "gateways", access: .open,
                  parameters: [.query("vnp_TxnRef", Schema.string(max: 100))], responses: ok(returnView)),
            .init(method: "get", path: "/api/v1/payments/momo/return", id: "momoReturn", summary: "Browser return: shows the deposit, changes nothing", tag: "gateways", access: .open,
                  parameters: [.query("orderId", Schema.string(max: 100))], responses: ok(returnView)),
            .init(method: "get", path: "/api/v1/payments/zalopay/return", id: "zalopayReturn", summary: "Browser return: shows the deposit, changes nothing", tag: "gateways", access: .open,
                  parameters: [.query("apptransid", Schema.string(max: 100))], responses: ok(returnView)),
        ]
    }
}

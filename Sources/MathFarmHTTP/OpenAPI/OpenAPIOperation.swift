import Foundation
import MathFarmCore

/// One operation of the OpenAPI document: method, path template, who may call it, its
/// parameters, request body and responses. Every operation also gets the shared error
/// responses (`default`: the error body), so any documented failure validates.
struct OpenAPIOperation {
    enum Access: String {
        /// Anyone.
        case open
        /// A customer access token (`Authorization: Bearer`).
        case customer
        /// A staff access token.
        case staff
        /// A payment gateway or the bank aggregator: authenticated by the signature in the body.
        case gateway
        /// The metrics token.
        case metrics
    }

    struct Parameter {
        var name: String
        var location: String
        var schema: JSONValue
        var required: Bool
        var description: String?

        static func path(_ name: String, _ schema: JSONValue = Schema.uuid) -> Parameter {
            Parameter(name: name, location: "path", schema: schema, required: true)
        }

        static func query(_ name: String, _ schema: JSONValue, _ description: String? = nil) -> Parameter {
            Parameter(name: name, location: "query", schema: schema, required: false, description: description)
        }
    }

    struct Response {
        var status: Int
        var description: String
        var schema: JSONValue?
        var contentType = "application/json"
    }

    var method: String
    var path: String
    var id: String
    var summary: String
    var tag: String
    var access: Access
    var parameters: [Parameter] = []
    var body: JSONValue? = nil
    var responses: [Response]
    var idempotent = false

    /// The `/api/v1/...` path with `{name}` parameters.
    var documentPath: String { path }

    var json: JSONValue {
        var operation: [String: JSONValue] = [
            "operationId": .string(id),
            "summary": .string(summary),
            "tags": .array([.string(tag)]),
        ]
        switch access {
        case .customer: operation["security"] = .array([.object(["customerToken": .array([])])])
        case .staff: operation["security"] = .array([.object(["staffToken": .array([])])])
        case .metrics: operation["security"] = .array([.object(["metricsToken": .array([])]), .object([:])])
        case .open, .gateway: operation["security"] = .array([])
        }
        var parameters = self.parameters.map { parameter -> JSONValue in
            var fields: [String: JSONValue] = [
                "name": .string(parameter.name), "in": .string(parameter.location),
                "required": .bool(parameter.required), "schema": parameter.schema,
            ]
            if let description = parameter.description { fields["description"] = .string(description) }
            return .object(fields)
        }
        parameters.append(Schema.ref("parameters/lang", in: "parameters"))
        if idempotent { parameters.append(Schema.ref("parameters/IdempotencyKey", in: "parameters")) }
        operation["parameters"] = .array(parameters)
        if let body {
            operation["requestBody"] = .object([
                "required": .bool(true),
                "content": .object(["application/json": .object(["schema": body])]),
            ])
        }
        var responses: [String: JSONValue] = [:]
        for response in self.responses {
            var fields: [String: JSONValue] = ["description": .string(response.description)]
            if let schema = response.schema {
                fields["content"] = .object([response.contentType: .object(["schema": schema])])
            }
            responses[String(response.status)] = .object(fields)
        }
        responses["default"] = .object(["$ref": .string("#/components/responses/Error")])
        operation["responses"] = .object(responses)
        return .object(operation)
    }
}

extension Schema {
    /// A reference into another components section (`#/components/parameters/...`).
    static func ref(_ name: String, in section: String) -> JSONValue {
        let tail = name.hasPrefix("\(section)/") ? String(name.dropFirst(section.count + 1)) : name
        return .object(["$ref": .string("#/components/\(section)/\(tail)")])
    }
}

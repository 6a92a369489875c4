import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MathFarmCore
import MathFarmHTTP
import NIOCore

/// A decoded JSON response for assertions.
struct JSONResponse: Sendable {
    let status: Int
    let headers: HTTPFields
    let body: Data

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    }

    var errorCode: String? {
        (json["error"] as? [String: Any])?["code"] as? String
    }

    subscript(_ key: String) -> Any? { json[key] }

    func string(_ path: String...) -> String? {
        var value: Any? = json
        for key in path { value = (value as? [String: Any])?[key] }
        return value as? String
    }
}

extension TestClientProtocol {
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> JSONResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            JSONResponse(status: Int(response.status.code), headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }
}

/// Runs an HTTP test against a fresh stack: the real router, databases and background services.
func withAPI<T: Sendable>(
    _ overrides: [String: String] = [:],
    _ body: @escaping @Sendable (any TestClientProtocol, MathFarmServices) async throws -> T
) async throws -> T {
    let stack = try await TestStack.make(overrides)
    let services = try await stack.makeServices()
    let app = MathFarmApplication.application(services: services)
    return try await app.test(.router) { client in
        try await services.auditLog.ensurePartitions()
        return try await body(client, services)
    }
}

func registerBody(email: String, password: String = "correct-horse-1", name: String = "Nguyễn Văn A") -> String {
    #"{"email":"\#(email)","password":"\#(password)","full_name":"\#(name)"}"#
}

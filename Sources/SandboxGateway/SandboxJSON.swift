import Foundation
import Hummingbird

/// JSON helpers for the sandbox's gateway APIs (bodies with numbers, as the gateways send them).
enum SandboxJSON {
    static func object(_ request: Request) async throws -> [String: Any]? {
        let body = try await request.body.collect(upTo: 256 * 1024)
        return try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
    }

    static func response(_ value: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(data: data)))
        response.headers[.contentType] = "application/json"
        return response
    }

    static func int64(_ object: [String: Any], _ key: String) -> Int64? {
        if let number = object[key] as? NSNumber { return number.int64Value }
        return (object[key] as? String).flatMap(Int64.init)
    }

    static func string(_ object: [String: Any], _ key: String) -> String {
        if let text = object[key] as? String { return text }
        if let number = object[key] as? NSNumber { return number.stringValue }
        return ""
    }
}

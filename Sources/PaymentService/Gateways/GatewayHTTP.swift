import AsyncHTTPClient
import Foundation
import NIOCore

/// JSON over HTTPS to a gateway: one POST, the decoded answer, or nil when the gateway could
/// not be reached or answered something unreadable (the caller decides what that means).
struct GatewayHTTP: Sendable {
    let client: HTTPClient

    func postJSON(_ url: String, _ body: [String: Any]) async -> [String: Any]? {
        guard let data = try? JSONSerialization.data(withJSONObject: body) else { return nil }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: data))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any]
        } catch {
            return nil
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// An integer field that arrived as a JSON number (or a numeric string).
    func int64(_ key: String) -> Int64? {
        if let number = self[key] as? NSNumber { return number.int64Value }
        if let text = self[key] as? String { return Int64(text) }
        return nil
    }

    func string(_ key: String) -> String? { self[key] as? String }
}

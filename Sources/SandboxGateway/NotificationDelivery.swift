import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Sends a gateway notification to the merchant and retries the way the gateway documents it:
/// `shouldRetry` reads the merchant's answer (nil when there was none: a timeout or a refused
/// connection, which always retries).
struct NotificationDelivery: Sendable {
    let client: HTTPClient
    let delay: Duration
    let logger: Logger

    struct Answer: Sendable {
        let status: Int
        let body: String
    }

    func send(
        method: HTTPMethod, url: String, body: String?, contentType: String?, attempts: Int,
        shouldRetry: @escaping @Sendable (Answer?) -> Bool, onAnswer: @escaping @Sendable (Answer?) async -> Void
    ) async {
        for attempt in 1...max(1, attempts) {
            var request = HTTPClientRequest(url: url)
            request.method = method
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            var answer: Answer?
            do {
                let response = try await client.execute(request, timeout: .seconds(15))
                let bytes = try await response.body.collect(upTo: 1 << 20)
                answer = Answer(status: Int(response.status.code), body: String(buffer: bytes))
            } catch {
                logger.info("notification attempt failed", metadata: ["url": "\(url)", "attempt": "\(attempt)", "error": "\(error)"])
            }
            await onAnswer(answer)
            if !shouldRetry(answer) { return }
            if attempt < attempts { try? await Task.sleep(for: delay) }
        }
    }
}

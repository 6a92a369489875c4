import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The farm's HTTP API as a customer and a staff member use it (registration, funding,
/// submissions, balances), over one keep-alive connection pool.
struct FarmClient: Sendable {
    let base: String
    let http: HTTPClient

    init(base: String, connections: Int) {
        self.base = base
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(120))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async throws {
        try await http.shutdown()
    }

    struct Response: Sendable {
        var status: Int
        var body: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
        var data: Data
    }

    func call(_ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = nil, headers extra: [(String, String)] = []) async throws -> Response {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept-Language", value: "en")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let json { request.body = .bytes(ByteBuffer(string: json)) }
        let response = try await http.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Response(status: Int(response.status.code), data: Data(body.readableBytesView))
    }

    /// A customer account with its access token.
    struct Customer: Sendable {
        var id: String
        var token: String
    }

    func register(index: Int, run: String) async throws -> Customer {
        let email = "bench-\(run)-\(index)@mathfarm.test"
        let body = #"{"email": "\#(email)", "password": "bench-password-\#(index)", "full_name": "Bench \#(index)"}"#
        let response = try await call(.POST, "/api/v1/auth/register", json: body)
        guard response.status == 201, let user = response.body["user"] as? [String: Any], let id = user["id"] as? String,
              let token = response.body["access_token"] as? String
        else { throw HarnessError("register failed: \(response.status) \(String(decoding: response.data, as: UTF8.self))") }
        return Customer(id: id, token: token)
    }

    func staffToken(username: String, password: String) async throws -> String {
        let response = try await call(.POST, "/api/v1/admin/auth/login", json: #"{"username": "\#(username)", "password": "\#(password)"}"#)
        guard let token = response.body["access_token"] as? String else { throw HarnessError("staff login failed: \(response.status)") }
        return token
    }

    func fund(_ customer: Customer, dong: Int, staffToken: String) async throws {
        let response = try await call(
            .POST, "/api/v1/admin/users/\(customer.id)/adjustments", json: #"{"amount": "\#(dong)", "reason": "benchmark funds"}"#,
            token: staffToken, headers: [("Idempotency-Key", "bench-fund-\(customer.id)")]
        )
        guard (200..<300).contains(response.status) else { throw HarnessError("funding failed: \(response.status) \(String(decoding: response.data, as: UTF8.self))") }
    }

    /// Catalog prices in dong by problem code.
    func prices() async throws -> [String: Int] {
        let response = try await call(.GET, "/api/v1/problems")
        var prices: [String: Int] = [:]
        for problem in response.body["problems"] as? [[String: Any]] ?? [] {
            if let code = problem["code"] as? String, let price = (problem["price"] as? String).flatMap(Double.init) { prices[code] = Int(price) }
        }
        return prices
    }

    /// The customer's wallet: (available, held) in dong.
    func balance(_ customer: Customer) async throws -> (available: Int, held: Int) {
        let body = try await call(.GET, "/api/v1/me/balance", token: customer.token).body
        let available = (body["available"] as? String).flatMap(Double.init) ?? -1
        let held = (body["held"] as? String).flatMap(Double.init) ?? -1
        return (Int(available), Int(held))
    }
}

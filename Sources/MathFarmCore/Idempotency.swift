import HTTPTypes
import Foundation
import Hummingbird
import NIOCore
import PostgresNIO

/// Stripe-style `Idempotency-Key` handling for requests that create money movements or jobs.
///
/// The first request under a key runs and its response (status and body) is stored; a repeat
/// with the same body gets that stored response back; a repeat with a different body is a 422.
/// While the first is still running a repeat gets 409. A request that failed is forgotten, so
/// the client may retry it. The operation behind a key must itself be idempotent (the ledger is,
/// by reference code): if a process dies after the money moved but before the response was
/// stored, the retry that takes over the expired lock re-runs it harmlessly.
public struct IdempotencyStore: Sendable {
    public static let header = HTTPField.Name("Idempotency-Key")!
    public static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
    public static let maxKeyLength = 255

    let database: Database
    /// How long a started request holds its key before another may take over.
    let lockDuration: Duration

    public init(database: Database, lockDuration: Duration = .seconds(30)) {
        self.database = database
        self.lockDuration = lockDuration
    }

    public struct StoredResponse: Sendable, Equatable {
        public var status: Int
        public var body: Data
        public var replayed: Bool

        public init(status: Int, body: Data, replayed: Bool = false) {
            self.status = status
            self.body = body
            self.replayed = replayed
        }

        public var response: Response {
            var headers: HTTPFields = [:]
            if replayed { headers[IdempotencyStore.replayedHeader] = "true" }
            return JSONBody.rawResponse(body, status: HTTPResponse.Status(code: status), headers: headers)
        }
    }

    /// The same key came with a different request body.
    public static let keyReused = APIError(
        .unprocessableContent, code: "idempotency_key_reused",
        vi: "Idempotency-Key này đã được dùng cho một yêu cầu khác.",
        en: "This Idempotency-Key was already used with a different request body."
    )

    /// Validates the header value: 1 to 255 printable ASCII characters.
    public static func key(from request: Request) throws -> String? {
        guard let key = request.headers[header] else { return nil }
        guard (1...maxKeyLength).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0.asciiValue.map { $0 >= 33 && $0 < 127 } == true }) else {
            throw APIError(
                .badRequest, code: "invalid_idempotency_key",
                vi: "Idempotency-Key phải gồm 1 đến 255 ký tự ASCII in được.",
                en: "Idempotency-Key must be 1 to 255 printable ASCII characters."
            )
        }
        return key
    }

    /// Runs `operation` at most once per (scope, key) and replays its stored response afterwards.
    public func run(
        scope: String, key: String, requestBody: ByteBuffer,
        operation: () async throws -> StoredResponse
    ) async throws -> StoredResponse {
        let hash = SecretToken.sha256Hex(Data(requestBody.readableBytesView))
        let lockSeconds = Int(lockDuration.timeInterval)
        let inserted = try await database.query("""
            INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, locked_until)
            VALUES (\(scope), \(key), \(hash), now() + make_interval(secs => \(lockSeconds)))
            ON CONFLICT (scope, idempotency_key) DO NOTHING
            RETURNING 1
            """).collectRows()
        if inserted.isEmpty {
            let rows = try await database.query("""
                SELECT request_hash, response_status, response_body, locked_until < now()
                FROM idempotency_keys WHERE scope = \(scope) AND idempotency_key = \(key)
                """).collectRows()
            guard let row = rows.first else {
                // Deleted by a failing first attempt in between: start over once.
                return try await run(scope: scope, key: key, requestBody: requestBody, operation: operation)
            }
            let (storedHash, status, body, lockExpired) = try row.decode((String, Int?, ByteBuffer?, Bool?).self)
            guard storedHash == hash else { throw Self.keyReused }
            if let status, let body {
                return StoredResponse(status: status, body: Data(body.readableBytesView), replayed: true)
            }
            // Still running elsewhere, unless its lock expired (that process died): take it over.
            let takeover = lockExpired == true ? try await database.query("""
                UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => \(lockSeconds))
                WHERE scope = \(scope) AND idempotency_key = \(key) AND response_status IS NULL AND locked_until < now()
                RETURNING 1
                """).collectRows() : []
            guard !takeover.isEmpty else {
                throw APIError(
                    .conflict, code: "idempotency_in_progress",
                    vi: "Yêu cầu với Idempotency-Key này đang được xử lý.",
                    en: "A request with this Idempotency-Key is still being processed."
                )
            }
        }
        let result: StoredResponse
        do {
            result = try await operation()
        } catch {
            try? await database.query("""
                DELETE FROM idempotency_keys
                WHERE scope = \(scope) AND idempotency_key = \(key) AND response_status IS NULL
                """)
            throw error
        }
        try await database.query("""
            UPDATE idempotency_keys
            SET response_status = \(result.status), response_body = \(ByteBuffer(bytes: result.body)), completed_at = now(), locked_until = NULL
            WHERE scope = \(scope) AND idempotency_key = \(key)
            """)
        return result
    }

    /// Deletes keys older than `age` (clients may not rely on replays after that).
    public func prune(olderThan age: Duration) async throws {
        try await database.query("""
            DELETE FROM idempotency_keys
            WHERE created_at < now() - make_interval(secs => \(Int(age.timeInterval))) AND response_status IS NOT NULL
            """)
    }
}

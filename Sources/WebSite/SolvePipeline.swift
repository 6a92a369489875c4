import Foundation
import MathFarmCore
import NIOCore
import SolverService
import UserService

/// The website's one door into the job pipeline. Pages submit, read and list jobs only through
/// this type, with the same in-process calls the JSON routes make (validation, the hold, the
/// idempotency store, the queue all stay the pipeline's). When the pipeline's API changes,
/// this file is the one to adapt.
struct SolvePipeline: Sendable {
    let service: SolveService

    /// Submits like `POST /api/v1/solutions` with an `Idempotency-Key`: `submission` is the
    /// form's one-time nonce, so a form sent twice (double click, reload) makes one job and
    /// one charge. Throws the service's `APIError` (422 with the field, 402, 413, 503).
    func submit(_ principal: CustomerPrincipal, problem: String, input: JSONValue, submission: String) async throws -> UUID {
        struct Body: Encodable {
            let problem: String
            let input: JSONValue
        }
        struct Accepted: Decodable {
            let id: UUID
        }
        let body = ByteBuffer(bytes: try JSONBody.encode(Body(problem: problem, input: input)))
        let stored = try await service.submit(principal: principal, body: body, idempotencyKey: "web:" + submission)
        guard (200..<300).contains(stored.status), let accepted = try? JSONDecoder().decode(Accepted.self, from: stored.body) else {
            throw APIError.internalError
        }
        return accepted.id
    }

    /// The job if the customer owns it (404 otherwise); `wait` holds until it is terminal.
    func solution(_ id: UUID, userID: UUID, wait: Duration = .zero) async throws -> SolutionRecord {
        try await service.solution(id: id, userID: userID, wait: wait)
    }

    func list(userID: UUID, status: SolutionStatus?, problem: String?, limit: Int, offset: Int) async throws -> (items: [SolutionRecord], total: Int) {
        try await service.list(userID: userID, status: status, problem: problem, limit: limit, offset: offset)
    }
}

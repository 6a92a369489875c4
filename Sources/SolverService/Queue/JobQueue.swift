import Foundation
import Logging
import MathFarmCore

/// The job doorbell on Redis Streams (ARCHITECTURE.md section 3).
///
/// Entries carry only the job id; PostgreSQL holds the job. Two streams, premium read first,
/// one consumer group `solvers`, and a dead-letter stream for jobs given up on.
public struct JobQueue: Sendable {
    public enum Priority: Int, Sendable, CaseIterable {
        case standard = 0
        case premium = 1

        var name: String {
            switch self {
            case .premium: return "premium"
            case .standard: return "standard"
            }
        }
    }

    public static let group = "solvers"

    /// Key prefix (`MATHFARM_REDIS_PREFIX`): lets several farms (or test runs) share one Redis.
    public let prefix: String

    public func stream(_ priority: Priority) -> String { "\(prefix):jobs:\(priority.name)" }
    public var deadLetterStream: String { "\(prefix):jobs:dead" }
    /// Read order: premium before standard.
    public var streams: [String] { [stream(.premium), stream(.standard)] }

    public func priority(ofStream name: String) -> Priority {
        name == stream(.premium) ? .premium : .standard
    }

    /// One delivered entry.
    public struct Delivery: Sendable, Equatable {
        public var stream: String
        public var entryID: String
        /// Nil when the entry carries no parsable job id (then it is acked and dropped).
        public var jobID: UUID?
    }

    let redis: RedisClient

    public init(redis: RedisClient, prefix: String = "mathfarm") {
        self.redis = redis
        self.prefix = prefix
    }

    /// Creates the streams and the consumer group if missing (idempotent).
    public func ensureGroups() async throws {
        for stream in streams {
            do {
                try await redis.command(["XGROUP", "CREATE", stream, Self.group, "0", "MKSTREAM"])
            } catch let error as RedisError where error.isReply && error.message.hasPrefix("BUSYGROUP") {
                continue
            }
        }
    }

    /// Rings the doorbell for a job. Returns where the entry went.
    public func enqueue(jobID: UUID, priority: Priority) async throws -> (stream: String, entryID: String) {
        let reply = try await redis.command(["XADD", stream(priority), "*", "job", jobID.uuidString.lowercased()])
        guard let id = reply.string else { throw RedisError("XADD returned no id") }
        return (stream(priority), id)
    }

    /// Rings the doorbell for many jobs in one round trip (pipelined XADDs). Throws if any
    /// entry was refused: the jobs stay `queued` in PostgreSQL and the reconciler rings again.
    public func enqueue(_ jobs: [(jobID: UUID, priority: Priority)]) async throws {
        guard !jobs.isEmpty else { return }
        let replies = try await redis.pipeline(jobs.map { ["XADD", stream($0.priority), "*", "job", $0.jobID.uuidString.lowercased()] })
        for reply in replies {
            if case .error(let message) = reply { throw RedisError(message, isReply: true) }
        }
    }

    /// New entries for `consumer`: premium first; blocks up to `block` when both are empty.
    public func read(consumer: String, block: Duration, count: Int = 1) async throws -> [Delivery] {
        let premium = try await redis.command([
            "XREADGROUP", "GROUP", Self.group, consumer, "COUNT", String(count), "STREAMS", stream(.premium), ">",
        ])
        let fromPremium = Self.parseRead(premium)
        if !fromPremium.isEmpty { return fromPremium }
        let milliseconds = Int(block.timeInterval * 1000)
        let both = try await redis.command(
            ["XREADGROUP", "GROUP", Self.group, consumer, "COUNT", String(count), "BLOCK", String(max(1, milliseconds)), "STREAMS"]
                + streams + [">", ">"],
            blockFor: block
        )
        let parsed = Self.parseRead(both)
        let premiumStream = stream(.premium)
        return parsed.filter { $0.stream == premiumStream } + parsed.filter { $0.stream != premiumStream }
    }

    /// Takes over entries idle longer than `minIdle` (their consumer died or stalled).
    /// `deleted` are entries whose payload is gone (trimmed or XDEL'd): the caller looks their
    /// jobs up in PostgreSQL by entry id.
    public func reclaim(consumer: String, minIdle: Duration, count: Int = 20) async throws -> (claimed: [Delivery], deleted: [(stream: String, entryID: String)]) {
        var claimed: [Delivery] = []
        var deleted: [(String, String)] = []
        for stream in streams {
            var cursor = "0-0"
            repeat {
                let reply = try await redis.command([
                    "XAUTOCLAIM", stream, Self.group, consumer, String(Int(minIdle.timeInterval * 1000)), cursor, "COUNT", String(count),
                ])
                guard let parts = reply.array, parts.count >= 2 else { break }
                cursor = parts[0].string ?? "0-0"
                claimed += Self.parseEntries(parts[1], stream: stream)
                if parts.count >= 3, let ids = parts[2].array {
                    deleted += ids.compactMap { $0.string.map { (stream, $0) } }
                }
            } while cursor != "0-0" && claimed.count < count
        }
        return (claimed, deleted)
    }

    /// How many times the entry has been delivered (0 when it is not pending).
    public func deliveryCount(stream: String, entryID: String) async throws -> Int {
        let reply = try await redis.command(["XPENDING", stream, Self.group, entryID, entryID, "1"])
        guard let first = reply.array?.first?.array, first.count >= 4 else { return 0 }
        return Int(first[3].integer ?? 0)
    }

    public func ack(stream: String, entryID: String) async throws {
        try await redis.command(["XACK", stream, Self.group, entryID])
    }

    /// Acknowledges many entries: one XACK per stream (pipelined).
    public func ack(_ deliveries: [Delivery]) async throws {
        var byStream: [String: [String]] = [:]
        for delivery in deliveries { byStream[delivery.stream, default: []].append(delivery.entryID) }
        guard !byStream.isEmpty else { return }
        let replies = try await redis.pipeline(byStream.map { stream, ids in ["XACK", stream, Self.group] + ids })
        for reply in replies {
            if case .error(let message) = reply { throw RedisError(message, isReply: true) }
        }
    }

    /// Every job id that has an entry in the work streams, delivered or not (acknowledged
    /// entries are trimmed, so this is the backlog plus the entries in flight). The reconciler
    /// compares it with the jobs PostgreSQL says are queued.
    public func jobIDsInStreams(pageSize: Int = 1000) async throws -> Set<UUID> {
        var ids: Set<UUID> = []
        for stream in streams {
            var start = "-"
            while true {
                let page = Self.parseEntries(try await redis.command(["XRANGE", stream, start, "+", "COUNT", String(pageSize)]), stream: stream)
                for delivery in page { if let id = delivery.jobID { ids.insert(id) } }
                guard page.count == pageSize, let last = page.last else { break }
                start = "(" + last.entryID
            }
        }
        return ids
    }

    /// Records a job given up on in the dead-letter stream (kept for operators; capped).
    public func deadLetter(jobID: UUID, reason: String) async throws {
        try await redis.command([
            "XADD", deadLetterStream, "MAXLEN", "~", "100000", "*", "job", jobID.uuidString.lowercased(), "reason", reason,
        ])
    }

    /// Whether the entry is still in its stream (delivered or not).
    public func entryExists(stream: String, entryID: String) async throws -> Bool {
        let reply = try await redis.command(["XRANGE", stream, entryID, entryID, "COUNT", "1"])
        return !(reply.array ?? []).isEmpty
    }

    /// Entries waiting for a first delivery plus entries delivered but not acked, per stream.
    public func depth() async throws -> [String: (waiting: Int, pending: Int)] {
        var result: [String: (Int, Int)] = [:]
        for stream in streams {
            let values = try await groupInfo(stream)
            let pending = Int(values["pending"]?.integer ?? 0)
            let waiting = Int(values["lag"]?.integer ?? 0)
            result[stream] = (waiting, pending)
        }
        return result
    }

    /// Drops entries every consumer is done with: those up to the group's last delivered id that
    /// are not pending. Never below the oldest pending entry, never past an undelivered one.
    /// Returns how many entries went.
    @discardableResult
    public func trimAcknowledged() async throws -> Int {
        var trimmed = 0
        for stream in streams {
            let lastDelivered = try await groupInfo(stream)["last-delivered-id"]?.string
            guard var minimum = lastDelivered, minimum != "0-0" else { continue }
            // XPENDING summary: [count, smallest id, greatest id, consumers].
            let summary = try await redis.command(["XPENDING", stream, Self.group])
            if let parts = summary.array, parts.count >= 2, (parts[0].integer ?? 0) > 0, let oldest = parts[1].string {
                minimum = oldest
            }
            trimmed += Int(try await redis.command(["XTRIM", stream, "MINID", minimum]).integer ?? 0)
        }
        return trimmed
    }

    /// The fields XINFO GROUPS reports for our group on `stream` (empty if it has none).
    private func groupInfo(_ stream: String) async throws -> [String: RedisReply] {
        for group in try await redis.command(["XINFO", "GROUPS", stream]).array ?? [] {
            guard let fields = group.array else { continue }
            var values: [String: RedisReply] = [:]
            var index = 0
            while index + 1 < fields.count {
                if let key = fields[index].string { values[key] = fields[index + 1] }
                index += 2
            }
            if values["name"]?.string == Self.group { return values }
        }
        return [:]
    }

    static func parseRead(_ reply: RedisReply) -> [Delivery] {
        guard let streams = reply.array else { return [] }
        var deliveries: [Delivery] = []
        for stream in streams {
            guard let pair = stream.array, pair.count == 2, let name = pair[0].string else { continue }
            deliveries += parseEntries(pair[1], stream: name)
        }
        return deliveries
    }

    static func parseEntries(_ reply: RedisReply, stream: String) -> [Delivery] {
        guard let entries = reply.array else { return [] }
        return entries.compactMap { entry in
            guard let parts = entry.array, let id = parts.first?.string else { return nil }
            var jobID: UUID?
            if parts.count >= 2, let fields = parts[1].array {
                var index = 0
                while index + 1 < fields.count {
                    if fields[index].string == "job", let text = fields[index + 1].string { jobID = UUID(uuidString: text) }
                    index += 2
                }
            }
            return Delivery(stream: stream, entryID: id, jobID: jobID)
        }
    }
}

import CHiredis
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// A decoded Redis reply.
public indirect enum RedisReply: Sendable, Equatable {
    case status(String)
    case error(String)
    case integer(Int64)
    case string(String)
    case array([RedisReply])
    case null

    public var string: String? {
        switch self {
        case .string(let value), .status(let value): return value
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    public var array: [RedisReply]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .string(let value): return Int64(value)
        default: return nil
        }
    }
}

public struct RedisError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public var description: String { "redis: \(message)" }

    /// The server answered with an error reply (as opposed to a lost connection).
    public let isReply: Bool

    public init(_ message: String, isReply: Bool = false) {
        self.message = message
        self.isReply = isReply
    }
}

/// One hiredis connection. Blocking and not thread-safe: only `RedisClient` touches it, on
/// NIO's blocking pool and under its lock.
final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>

    init(host: String, port: Int32, timeout: Duration) throws {
        let micros = Int(timeout.timeInterval * 1_000_000)
        let tv = timeval(tv_sec: micros / 1_000_000, tv_usec: micros % 1_000_000)
        guard let context = redisConnectWithTimeout(host, port, tv) else { throw RedisError("cannot allocate a connection") }
        if context.pointee.err != 0 {
            let message = Self.errorText(context)
            redisFree(context)
            throw RedisError("connect to \(host):\(port) failed: \(message)")
        }
        self.context = context
    }

    deinit {
        redisFree(context)
    }

    /// Sets the socket read timeout (a blocking XREADGROUP needs one longer than its BLOCK).
    func setTimeout(_ timeout: Duration) {
        let micros = Int(timeout.timeInterval * 1_000_000)
        _ = redisSetTimeout(context, timeval(tv_sec: micros / 1_000_000, tv_usec: micros % 1_000_000))
    }

    func command(_ arguments: [String]) throws -> RedisReply {
        let cStrings = arguments.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var argv: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        var lengths: [Int] = arguments.map { $0.utf8.count }
        guard let raw = redisCommandArgv(context, Int32(arguments.count), &argv, &lengths) else {
            throw RedisError("connection lost: \(Self.errorText(context))")
        }
        defer { freeReplyObject(raw) }
        let reply = Self.decode(raw.assumingMemoryBound(to: redisReply.self))
        if case .error(let message) = reply { throw RedisError(message, isReply: true) }
        return reply
    }

    /// Sends every command before reading any reply (one round trip for the batch). Error
    /// replies stay in place as `.error`; a lost connection throws.
    func pipeline(_ commands: [[String]]) throws -> [RedisReply] {
        for arguments in commands {
            let cStrings = arguments.map { strdup($0) }
            defer { cStrings.forEach { free($0) } }
            var argv: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
            var lengths: [Int] = arguments.map { $0.utf8.count }
            guard redisAppendCommandArgv(context, Int32(arguments.count), &argv, &lengths) == REDIS_OK else {
                throw RedisError("connection lost: \(Self.errorText(context))")
            }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                throw RedisError("connection lost: \(Self.errorText(context))")
            }
            defer { freeReplyObject(raw) }
            replies.append(Self.decode(raw.assumingMemoryBound(to: redisReply.self)))
        }
        return replies
    }

    var isBroken: Bool { context.pointee.err != 0 }

    private static func decode(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let value = reply.pointee
        func text() -> String {
            guard let bytes = value.str else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: bytes, count: Int(value.len)), as: UTF8.self)
        }
        switch value.type {
        case REDIS_REPLY_STATUS: return .status(text())
        case REDIS_REPLY_ERROR: return .error(text())
        case REDIS_REPLY_INTEGER: return .integer(value.integer)
        case REDIS_REPLY_STRING: return .string(text())
        case REDIS_REPLY_ARRAY:
            var items: [RedisReply] = []
            for index in 0..<Int(value.elements) {
                if let element = value.element[index] { items.append(decode(element)) } else { items.append(.null) }
            }
            return .array(items)
        default: return .null
        }
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

/// A thread-safe Redis client over one hiredis connection.
///
/// Commands run on NIO's blocking pool (never on the cooperative pool). A lost connection is
/// dropped and re-opened on the next command, so a Redis restart costs callers one error each,
/// never a crash; callers that must not give up use `withRetry`.
public final class RedisClient: Sendable {
    public let host: String
    public let port: Int32
    let timeout: Duration
    private let connection = NIOLockedValueBox<UnsafeConnection?>(nil)

    private final class UnsafeConnection: @unchecked Sendable {
        let value: RedisConnection
        init(_ value: RedisConnection) { self.value = value }
    }

    public init(url: String, timeout: Duration = .seconds(2)) throws {
        guard let components = URLComponents(string: url), components.scheme == "redis",
              let host = components.host, !host.isEmpty
        else { throw RedisURLError.invalid(url) }
        self.host = host
        self.port = Int32(components.port ?? 6379)
        self.timeout = timeout
    }

    /// Runs one command. `blockFor` is how long the command may legitimately block server-side
    /// (XREADGROUP BLOCK); the socket timeout is extended by it.
    @discardableResult
    public func command(_ arguments: [String], blockFor: Duration = .zero) async throws -> RedisReply {
        try await withConnection(blockFor: blockFor) { try $0.command(arguments) }
    }

    /// Runs `body` on the connection (opened or re-opened as needed) on NIO's blocking pool,
    /// under the lock; a lost connection is dropped so the next call opens a new one.
    private func withConnection<T: Sendable>(blockFor: Duration = .zero, _ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        let host = host, port = port, timeout = timeout
        let box = connection
        return try await NIOThreadPool.singleton.runIfActive {
            try box.withLockedValue { slot -> T in
                let current: RedisConnection
                if let existing = slot?.value, !existing.isBroken {
                    current = existing
                } else {
                    slot = nil
                    current = try RedisConnection(host: host, port: port, timeout: timeout)
                    slot = UnsafeConnection(current)
                }
                current.setTimeout(timeout + blockFor)
                do {
                    return try body(current)
                } catch let error as RedisError where !error.isReply {
                    slot = nil
                    throw error
                }
            }
        }
    }

    /// Runs `commands` as one pipeline (one round trip). Error replies are returned in place as
    /// `.error`, so one refused command does not hide the others' results.
    public func pipeline(_ commands: [[String]]) async throws -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        return try await withConnection { try $0.pipeline(commands) }
    }

    /// Retries `command` with exponential backoff (100 ms doubling to 5 s) until it succeeds
    /// or the task is cancelled. Error replies from the server are not retried.
    @discardableResult
    public func commandWithRetry(_ arguments: [String], logger: Logger) async throws -> RedisReply {
        var delay = Duration.milliseconds(100)
        while true {
            do {
                return try await command(arguments)
            } catch let error as RedisError where !error.isReply {
                logger.warning("redis unavailable, retrying", metadata: ["error": "\(error)", "delay_ms": "\(delay.wholeMilliseconds)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}

public enum RedisURLError: Error, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self {
        case .invalid(let url): return "not a redis:// URL: \(url)"
        }
    }
}

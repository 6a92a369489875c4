import CHiredis
import Foundation

/// One hiredis connection. Blocking and not thread-safe: only `RedisClient` touches it, on its
/// own threads, one command at a time.
final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    let address: RedisConfiguration.Address
    /// The variable that holds this connection's credentials, named in authentication errors.
    private var credentialsVariable: String?

    init(address: RedisConfiguration.Address, timeout: Duration) throws {
        let tv = Self.timeval(timeout)
        guard let context = redisConnectWithTimeout(address.host, Int32(address.port), tv) else {
            throw RedisError("cannot allocate a connection", kind: .connection)
        }
        if context.pointee.err != 0 {
            let message = Self.errorText(context)
            redisFree(context)
            throw RedisError("connect to \(address) failed: \(message)", kind: .connection)
        }
        self.context = context
        self.address = address
        _ = redisSetTimeout(context, tv)
        // A peer that vanishes without a FIN (a cut link) is noticed by the read timeout while a
        // command waits, and by keepalive while the connection idles in the pool.
        _ = redisEnableKeepAlive(context)
    }

    deinit {
        redisFree(context)
    }

    /// Authenticates and selects the database. `variable` is what the operator must fix when
    /// the server refuses the credentials.
    func handshake(credentials: RedisConfiguration.Credentials, database: Int, variable: String) throws {
        credentialsVariable = variable
        if let auth = credentials.authCommand {
            do {
                try command(auth)
            } catch let error as RedisError where error.kind != .connection {
                throw RedisError(
                    "\(address) refused the credentials in \(variable) (\(credentials.username.map { "user \($0)" } ?? "default user")): \(error.message)",
                    kind: .authentication
                )
            }
        }
        if database != 0 {
            try command(["SELECT", String(database)])
        }
    }

    /// Sets the socket read timeout (a blocking XREADGROUP needs one longer than its BLOCK).
    func setTimeout(_ timeout: Duration) {
        _ = redisSetTimeout(context, Self.timeval(timeout))
    }

    @discardableResult
    func command(_ arguments: [String]) throws -> RedisReply {
        let sent = Self.withArgv(arguments) { count, argv, lengths in redisCommandArgv(context, count, argv, lengths) }
        guard let raw = sent else {
            throw RedisError("connection to \(address) lost: \(Self.errorText(context))", kind: .connection)
        }
        defer { freeReplyObject(raw) }
        let reply = Self.decode(raw.assumingMemoryBound(to: redisReply.self))
        if case .error(let message) = reply {
            guard RedisError.isAuthenticationReply(message) else { throw RedisError(message, kind: .reply) }
            // NOAUTH (no credentials given) or NOPERM (the ACL user may not run this command).
            let hint = credentialsVariable.map { " (check the user, password and ACL of \($0))" } ?? ""
            throw RedisError("\(address): \(message)\(hint)", kind: .authentication)
        }
        return reply
    }

    /// Sends every command before reading any reply (one round trip for the batch). Error
    /// replies stay in place as `.error`; a lost connection throws.
    func pipeline(_ commands: [[String]]) throws -> [RedisReply] {
        for arguments in commands {
            let appended = Self.withArgv(arguments) { count, argv, lengths in redisAppendCommandArgv(context, count, argv, lengths) }
            guard appended == REDIS_OK else {
                throw RedisError("connection to \(address) lost: \(Self.errorText(context))", kind: .connection)
            }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                throw RedisError("connection to \(address) lost: \(Self.errorText(context))", kind: .connection)
            }
            defer { freeReplyObject(raw) }
            replies.append(Self.decode(raw.assumingMemoryBound(to: redisReply.self)))
        }
        return replies
    }

    /// Waits up to `wait` for the next message pushed to a subscribed connection; nil when
    /// none came (the connection stays usable: hiredis gives up a context after a read
    /// timeout, so the wait is a `poll` on the socket, not a socket timeout).
    func nextPushedMessage(wait: Duration) throws -> RedisReply? {
        var raw: UnsafeMutableRawPointer?
        // A message already read into hiredis's buffer along with an earlier one.
        if redisReaderGetReply(context.pointee.reader, &raw) == REDIS_OK, let buffered = raw {
            defer { freeReplyObject(buffered) }
            return Self.decode(buffered.assumingMemoryBound(to: redisReply.self))
        }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(wait.timeInterval * 1000))
        guard ready > 0 else {
            if ready < 0, errno != EINTR { throw RedisError("poll on \(address) failed: errno \(errno)", kind: .connection) }
            return nil
        }
        guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
            throw RedisError("connection to \(address) lost: \(Self.errorText(context))", kind: .connection)
        }
        defer { freeReplyObject(raw) }
        return Self.decode(raw.assumingMemoryBound(to: redisReply.self))
    }

    var isBroken: Bool { context.pointee.err != 0 }

    /// Calls `body` with `arguments` as hiredis's argv form (C strings and their byte lengths,
    /// so arguments may hold any bytes), freed afterwards.
    private static func withArgv<R>(
        _ arguments: [String],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafeMutablePointer<Int>) -> R
    ) -> R {
        let cStrings = arguments.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var argv: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        var lengths: [Int] = arguments.map { $0.utf8.count }
        return body(Int32(arguments.count), &argv, &lengths)
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let micros = Int(duration.timeInterval * 1_000_000)
        return Glibc.timeval(tv_sec: micros / 1_000_000, tv_usec: micros % 1_000_000)
    }

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

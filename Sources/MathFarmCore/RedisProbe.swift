import CHiredis
import Foundation
import NIOPosix

/// Checks that Redis answers PING, for `/readyz`.
///
/// hiredis is blocking, so the call runs on NIO's blocking thread pool with a connect and
/// command timeout; a new connection per probe keeps this free of shared mutable state.
public struct RedisProbe: Sendable {
    public let host: String
    public let port: Int32
    public let timeout: Duration

    public init(url: String, timeout: Duration = .seconds(1)) throws {
        guard let components = URLComponents(string: url), components.scheme == "redis",
              let host = components.host, !host.isEmpty
        else { throw RedisURLError.invalid(url) }
        self.host = host
        self.port = Int32(components.port ?? 6379)
        self.timeout = timeout
    }

    public func ping() async -> Bool {
        let host = host, port = port
        let micros = Int(timeout.timeInterval * 1_000_000)
        let result = try? await NIOThreadPool.singleton.runIfActive { () -> Bool in
            let tv = timeval(tv_sec: micros / 1_000_000, tv_usec: micros % 1_000_000)
            guard let context = redisConnectWithTimeout(host, port, tv) else { return false }
            defer { redisFree(context) }
            guard context.pointee.err == 0 else { return false }
            _ = redisSetTimeout(context, tv)
            let reply = "PING".withCString { command -> UnsafeMutableRawPointer? in
                var argv: [UnsafePointer<CChar>?] = [command]
                var lengths: [Int] = [4]
                return redisCommandArgv(context, 1, &argv, &lengths)
            }
            guard let reply else { return false }
            defer { freeReplyObject(reply) }
            let typed = reply.assumingMemoryBound(to: redisReply.self)
            return typed.pointee.type == REDIS_REPLY_STATUS
        }
        return result ?? false
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

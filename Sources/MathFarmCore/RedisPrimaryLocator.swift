import Foundation
import NIOConcurrencyHelpers

/// Opens connections to the server that takes the farm's writes: the URL's server, or the
/// primary the Sentinels name.
///
/// With Sentinels, the last primary found is remembered and every new connection is checked
/// with `ROLE`, so a connection never lands on a replica. A failover (a lost connection, a
/// `READONLY` or `UNBLOCKED` reply, a `+switch-master` message) calls `invalidate`, which forgets
/// the primary and raises the generation: pooled connections of an older generation are closed
/// instead of reused, and the next connection asks the Sentinels again.
final class RedisPrimaryLocator: Sendable {
    let configuration: RedisConfiguration
    private let state = NIOLockedValueBox<State>(State())

    private struct State {
        var primary: RedisConfiguration.Address?
        var generation = 0
    }

    init(configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    var generation: Int { state.withLockedValue { $0.generation } }

    /// The primary last found (the URL's server without Sentinels).
    var currentPrimary: RedisConfiguration.Address? {
        configuration.sentinel == nil ? configuration.address : state.withLockedValue { $0.primary }
    }

    /// Forgets the primary if `generation` is still current (several connections failing at
    /// once for one failover raise the generation once).
    func invalidate(generation: Int) {
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            state.generation += 1
            state.primary = nil
        }
    }

    /// A ready connection (authenticated, database selected) to the primary, and the generation
    /// it belongs to. Blocking.
    func connect() throws -> (connection: RedisConnection, generation: Int) {
        guard let sentinel = configuration.sentinel else {
            return (try open(configuration.address), generation)
        }
        let (known, generation) = state.withLockedValue { ($0.primary, $0.generation) }
        if let known, let connection = try? openPrimary(known) {
            return (connection, generation)
        }
        var problems: [String] = []
        for sentinelAddress in sentinel.addresses {
            let named: RedisConfiguration.Address
            do {
                named = try askSentinel(sentinelAddress, for: sentinel)
            } catch let error as RedisError where error.kind == .authentication {
                throw error
            } catch {
                problems.append("sentinel \(sentinelAddress): \(error)")
                continue
            }
            do {
                let connection = try openPrimary(named)
                let current = state.withLockedValue { state -> Int in
                    state.primary = named
                    return state.generation
                }
                return (connection, current)
            } catch let error as RedisError where error.kind == .authentication {
                throw error
            } catch {
                problems.append("primary \(named) named by sentinel \(sentinelAddress): \(error)")
            }
        }
        throw RedisError(
            "no sentinel named a reachable primary for '\(sentinel.masterName)': " + problems.joined(separator: "; "),
            kind: .connection
        )
    }

    /// A connection to `address`, kept only if the server says it is a primary.
    private func openPrimary(_ address: RedisConfiguration.Address) throws -> RedisConnection {
        let connection = try open(address)
        let role = try connection.command(["ROLE"])
        guard role.array?.first?.string == "master" else {
            throw RedisError("\(address) is not a primary (ROLE \(role.array?.first?.string ?? "?"))", kind: .connection)
        }
        return connection
    }

    private func open(_ address: RedisConfiguration.Address) throws -> RedisConnection {
        let connection = try RedisConnection(address: address, timeout: configuration.timeout)
        try connection.handshake(credentials: configuration.credentials, database: configuration.database, variable: "MATHFARM_REDIS_URL")
        return connection
    }

    /// `SENTINEL get-master-addr-by-name`, asked of one Sentinel.
    private func askSentinel(_ address: RedisConfiguration.Address, for sentinel: RedisConfiguration.Sentinel) throws -> RedisConfiguration.Address {
        let connection = try openSentinel(address, sentinel)
        let reply = try connection.command(["SENTINEL", "get-master-addr-by-name", sentinel.masterName])
        guard let parts = reply.array, parts.count == 2, let host = parts[0].string, let port = parts[1].string.flatMap(Int.init) else {
            throw RedisError("sentinel \(address) does not monitor '\(sentinel.masterName)' (MATHFARM_REDIS_MASTER)", kind: .connection)
        }
        return RedisConfiguration.Address(host: host, port: port)
    }

    /// An authenticated connection to one Sentinel.
    func openSentinel(_ address: RedisConfiguration.Address, _ sentinel: RedisConfiguration.Sentinel) throws -> RedisConnection {
        let connection = try RedisConnection(address: address, timeout: configuration.timeout)
        try connection.handshake(credentials: sentinel.credentials, database: 0, variable: "MATHFARM_REDIS_SENTINEL_PASSWORD")
        return connection
    }
}

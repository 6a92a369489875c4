import Foundation
import Synchronization

/// What a live session let an access token do, remembered for at most `lifetime` in this
/// process, so a burst of requests on one session asks PostgreSQL once instead of once each.
///
/// Why a cache at all: every authenticated request checks that its session is still live (not
/// logged out, revoked or expired, the account still active) and reads the role that prices
/// the request; on the paid path that read was a third of the statements per job. Why so
/// short: the cache is per process. What this process ends itself (logout, a revoked refresh
/// token, a password change, a deactivation, a role change) is evicted at once; what another
/// API process ends is seen here at most `lifetime` later. The default of one second is that
/// window, and `MATHFARM_SESSION_CACHE_MS=0` turns caching off.
public final class LiveSessionCache: Sendable {
    public struct Entry: Sendable, Equatable {
        public var userID: UUID
        public var role: String
        public var permissions: [String: Bool]
        /// The session's own expiry: never served past it, whatever `lifetime` says.
        public var expiresAt: Date

        public init(userID: UUID, role: String, permissions: [String: Bool], expiresAt: Date) {
            self.userID = userID
            self.role = role
            self.permissions = permissions
            self.expiresAt = expiresAt
        }
    }

    private struct Stored {
        var entry: Entry
        var fetched: ContinuousClock.Instant
    }

    public let lifetime: Duration
    /// Most sessions kept; past it, stale entries are dropped, then everything if need be.
    public let capacity: Int
    private struct State {
        var entries: [UUID: Stored] = [:]
        /// Bumped by every eviction: a read that began before one must not be stored after it.
        var evictions: UInt64 = 0
    }

    private let state = Mutex(State())

    public init(lifetime: Duration = .seconds(1), capacity: Int = 100_000) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    /// The session's entry if it was read less than `lifetime` ago and has not expired.
    public func entry(session: UUID, user: UUID, now: ContinuousClock.Instant = .now, date: Date = Date()) -> Entry? {
        guard lifetime > .zero else { return nil }
        return state.withLock { state in
            guard let stored = state.entries[session], stored.entry.userID == user,
                  now - stored.fetched < lifetime, stored.entry.expiresAt > date
            else { return nil }
            return stored.entry
        }
    }

    /// Taken before reading a session from PostgreSQL and handed back to `store`, so a logout
    /// that lands while the read is in flight is not undone by storing what the read saw.
    public func readTicket() -> UInt64 {
        state.withLock { $0.evictions }
    }

    /// Remembers a session PostgreSQL just confirmed live, unless anything was evicted since
    /// `ticket` was taken (evictions are rare; skipping a store then costs one more read).
    public func store(session: UUID, _ entry: Entry, ticket: UInt64, now: ContinuousClock.Instant = .now) {
        guard lifetime > .zero else { return }
        let lifetime = self.lifetime
        state.withLock { state in
            guard state.evictions == ticket else { return }
            if state.entries.count >= capacity {
                state.entries = state.entries.filter { now - $0.value.fetched < lifetime }
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            }
            state.entries[session] = Stored(entry: entry, fetched: now)
        }
    }

    /// Forgets one session (logged out, its refresh token revoked).
    public func evict(session: UUID) {
        state.withLock { state in
            state.evictions &+= 1
            state.entries.removeValue(forKey: session)
        }
    }

    /// Forgets every session of a user (deactivated, role or password changed).
    public func evict(user: UUID) {
        state.withLock { state in
            state.evictions &+= 1
            state.entries = state.entries.filter { $0.value.entry.userID != user }
        }
    }
}

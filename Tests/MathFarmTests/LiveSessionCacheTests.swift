import Foundation
import Testing
import UserService

@Suite("Live session cache")
struct LiveSessionCacheTests {
    let user = UUID()
    let session = UUID()
    let entry: LiveSessionCache.Entry

    init() { entry = .init(userID: user, role: "user", permissions: [:], expiresAt: Date().addingTimeInterval(3600)) }

    @Test func servesWithinItsLifetimeOnly() {
        let cache = LiveSessionCache(lifetime: .seconds(1))
        let start = ContinuousClock.now
        cache.store(session: session, entry, ticket: cache.readTicket(), now: start)
        #expect(cache.entry(session: session, user: user, now: start + .milliseconds(999)) == entry)
        #expect(cache.entry(session: session, user: user, now: start + .seconds(1)) == nil)
    }

    @Test func neverServesAnotherUsersTokenOrAnExpiredSession() {
        let cache = LiveSessionCache(lifetime: .seconds(1))
        let now = ContinuousClock.now
        cache.store(session: session, entry, ticket: cache.readTicket(), now: now)
        #expect(cache.entry(session: session, user: UUID(), now: now) == nil)
        #expect(cache.entry(session: session, user: user, now: now, date: Date().addingTimeInterval(3601)) == nil)
    }

    @Test func evictsBySessionAndByUser() {
        let cache = LiveSessionCache(lifetime: .seconds(60))
        let other = UUID()
        cache.store(session: session, entry, ticket: cache.readTicket())
        cache.store(session: other, entry, ticket: cache.readTicket())
        cache.evict(session: session)
        #expect(cache.entry(session: session, user: user) == nil)
        #expect(cache.entry(session: other, user: user) != nil)
        cache.evict(user: user)
        #expect(cache.entry(session: other, user: user) == nil)
    }

    @Test func zeroLifetimeCachesNothing() {
        let cache = LiveSessionCache(lifetime: .zero)
        cache.store(session: session, entry, ticket: cache.readTicket())
        #expect(cache.entry(session: session, user: user) == nil)
    }

    @Test func staysWithinCapacity() {
        let cache = LiveSessionCache(lifetime: .seconds(60), capacity: 2)
        let sessions = (0..<5).map { _ in UUID() }
        for id in sessions { cache.store(session: id, entry, ticket: cache.readTicket()) }
        #expect(sessions.filter { cache.entry(session: $0, user: user) != nil }.count <= 2)
        #expect(cache.entry(session: sessions[4], user: user) != nil)
    }

    @Test func aReadThatRacedAnEvictionIsNotStored() {
        let cache = LiveSessionCache(lifetime: .seconds(60))
        let ticket = cache.readTicket()
        cache.evict(session: session)  // a logout lands while the session read is in flight
        cache.store(session: session, entry, ticket: ticket)
        #expect(cache.entry(session: session, user: user) == nil)
        cache.store(session: session, entry, ticket: cache.readTicket())
        #expect(cache.entry(session: session, user: user) == entry)
    }
}

import Logging
import MathFarmCore
import PostgresNIO
import ServiceLifecycle

/// Pushes setting changes into a process's `SettingsCache`: it holds one connection that
/// LISTENs on the channel the `system_settings` trigger notifies (migration 0004), and reloads the
/// cache on every notification, so a change made in one API process (or by hand) reaches all of
/// them at once. The periodic refresh stays as the safety net for the moments this connection is
/// being re-opened.
public struct SettingsChangeListener: Service {
    public static let channel = "mathfarm_settings_changed"

    let database: Database
    let cache: SettingsCache
    let logger: Logger
    let retryDelay: Duration

    public init(database: Database, cache: SettingsCache, logger: Logger, retryDelay: Duration = .seconds(2)) {
        self.database = database
        self.cache = cache
        self.logger = logger
        self.retryDelay = retryDelay
    }

    /// Listens until graceful shutdown; a lost connection is logged and re-opened after
    /// `retryDelay`, the loop `PeriodicService` already runs.
    public func run() async throws {
        try await PeriodicService(name: "settings-listener", interval: retryDelay, logger: logger) { try await listen() }.run()
    }

    private func listen() async throws {
        let cache = self.cache
        try await database.client.withConnection { connection in
            try await connection.listen(on: Self.channel) { notifications in
                // Changes made while no one was listening are picked up here.
                try await cache.refresh()
                for try await _ in notifications {
                    try await cache.refresh()
                }
            }
        }
    }
}

import Foundation
import Logging
import MathFarmCore
import PostgresNIO
import ServiceLifecycle

/// Holds one connection that LISTENs on `JobLifecycle.doneChannel` and wakes the long polls
/// of this API process. A lost connection is re-opened after `retryDelay` (and every waiter is
/// woken to re-read, since notifications sent meanwhile are gone).
public struct JobCompletionListener: Service {
    let database: Database
    let waiters: JobCompletionWaiters
    let logger: Logger
    let retryDelay: Duration

    public init(database: Database, waiters: JobCompletionWaiters, logger: Logger, retryDelay: Duration = .seconds(1)) {
        self.database = database
        self.waiters = waiters
        self.logger = logger
        self.retryDelay = retryDelay
    }

    public func run() async throws {
        try await PeriodicService(name: "job-completion-listener", interval: retryDelay, logger: logger) { try await listen() }.run()
    }

    private func listen() async throws {
        let waiters = self.waiters
        try await database.client.withConnection { connection in
            try await connection.listen(on: JobLifecycle.doneChannel) { notifications in
                await waiters.notifyAll()
                for try await notification in notifications {
                    await waiters.notify(JobCompletionWaiters.jobIDs(in: notification.payload))
                }
            }
        }
    }
}

import Foundation
import Logging
import MathFarmCore
import MathFarmHTTP
import PaymentService
import UserService

// Throughput of the money path against a real PostgreSQL, as ratios to a baseline measured in
// the same process: one `SELECT 1` round trip through the same pool at the same concurrency.
// A hold + settle is two ledger transactions of ~6 statements each, so the ratio says how close
// the ledger is to the floor the database round trips set.
//
// Usage: benchmarks/run.sh (starts PostgreSQL and Redis, builds in release, runs this).

let environment = ProcessInfo.processInfo.environment
let seconds = Double(environment["BENCH_SECONDS"] ?? "5") ?? 5
let concurrencyLevels = (environment["BENCH_CONCURRENCY"] ?? "1,8,32").split(separator: ",").compactMap { Int($0) }

var logger = Logger(label: "bench")
logger.logLevel = .error
let configuration = try MathFarmConfiguration()
let migrator = Migrator(migrationsDirectory: configuration.migrationsDirectory, logger: logger)
for database in ServiceDatabase.allCases {
    _ = try await migrator.migrate(database, url: configuration.databaseURL(database))
}
let services = try await MathFarmServices(configuration: configuration, logger: logger)

/// Runs `operation` from `concurrency` tasks for `seconds`; returns operations per second.
func measure(concurrency: Int, _ operation: @escaping @Sendable (Int, Int) async throws -> Void) async throws -> Double {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    let started = ContinuousClock.now
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var done = 0
                while ContinuousClock.now < deadline {
                    try await operation(worker, done)
                    done += 1
                }
                return done
            }
        }
        return try await group.reduce(0, +)
    }
    let elapsed = ContinuousClock.now - started
    return Double(total) / elapsed.timeInterval
}

func row(_ name: String, _ concurrency: Int, _ rate: Double, _ baseline: Double) {
    let padded = name.padding(toLength: 34, withPad: " ", startingAt: 0)
    print(padded + String(format: " %5d %12.0f %10.3f", concurrency, rate, rate / baseline))
}

try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await services.pools.run() }
    defer { group.cancelAll() }

    var users: [UUID] = []
    for index in 0..<64 {
        users.append(try await services.customerAuth.register(
            .init(email: "bench\(index)-\(UUID().uuidString.prefix(6))@example.vn", password: "bench-password-1", fullName: "Bench", phone: nil),
            device: DeviceContext(ip: nil, userAgent: "bench")
        ).user.id)
    }
    let accounts = users
    for user in users {
        _ = try await services.ledger.credit(userID: user, amount: Money(dong: 1_000_000_000), reference: "bench-\(user)", reason: "bench", changedBy: "bench")
    }
    let payment = services.pools[.payment]
    let ledger = services.ledger

    print("operation                          tasks      ops/s   vs SELECT 1")
    for concurrency in concurrencyLevels {
        let baseline = try await measure(concurrency: concurrency) { _, _ in
            _ = try await payment.query("SELECT 1").collectRows()
        }
        row("SELECT 1 (baseline)", concurrency, baseline, baseline)
        let spread = try await measure(concurrency: concurrency) { worker, index in
            let user = accounts[worker % accounts.count]
            let hold = try await ledger.placeHold(userID: user, amount: Money(dong: 1_000), reference: "b-\(user)-\(worker)-\(index)-\(UUID())", expiresIn: .seconds(600), changedBy: "bench")
            _ = try await ledger.settle(holdID: hold.id, changedBy: "bench")
        }
        row("hold + settle, one wallet per task", concurrency, spread, baseline)
        let contended = try await measure(concurrency: concurrency) { worker, index in
            let user = accounts[0]
            let hold = try await ledger.placeHold(userID: user, amount: Money(dong: 1_000), reference: "c-\(worker)-\(index)-\(UUID())", expiresIn: .seconds(600), changedBy: "bench")
            _ = try await ledger.settle(holdID: hold.id, changedBy: "bench")
        }
        row("hold + settle, all on one wallet", concurrency, contended, baseline)
    }
    try await services.outboxRelay.drain()
    let violations = try await services.ledgerReconciler.check()
    print("reconcile after the run: \(violations.isEmpty ? "green" : "\(violations.count) violations")")
}

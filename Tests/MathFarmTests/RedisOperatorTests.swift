import Foundation
import MathFarmCore
import PaymentService
import Testing

/// A Redis as operators run one reachable from other machines: the default user off, an ACL
/// user `mathfarm` with a password (and the same user for replication and Sentinel).
func aclRedis(password: String, extraArguments: [String] = []) throws -> PrivateRedis {
    try PrivateRedis(
        extraArguments: ["--user", "default", "off", "--user", "mathfarm", "on", ">\(password)", "~*", "&*", "+@all"] + extraArguments,
        probe: "AUTH mathfarm \(password)\r\nPING\r\n"
    )
}

/// A password made of letters and digits only (it goes into URLs and config lines unescaped).
func plainPassword() -> String {
    String((0..<32).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement() ?? "x" })
}

/// A redis-sentinel watching `primaryPort` as `mathfarm`, with a password of its own.
final class PrivateSentinel: @unchecked Sendable {
    let port: Int
    let directory: URL
    private let process: Process

    init(primaryPort: Int, password: String, sentinelPassword: String) throws {
        port = try PrivateRedis.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("sentinel.conf")
        try """
            port \(port)
            bind 127.0.0.1
            dir \(directory.path)
            sentinel monitor mathfarm 127.0.0.1 \(primaryPort) 1
            sentinel auth-user mathfarm mathfarm
            sentinel auth-pass mathfarm \(password)
            sentinel down-after-milliseconds mathfarm 1000
            sentinel failover-timeout mathfarm 4000
            requirepass \(sentinelPassword)

            """.write(to: config, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = [config.path, "--sentinel"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 where !PrivateRedis.ping(port, probe: "AUTH \(sentinelPassword)\r\nPING\r\n") { usleep(50_000) }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        _ = reapChild(process)
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Issue 23 §1: Redis with an ACL user, a database index, refused credentials named, and a
/// Sentinel failover in the middle of paid work.
@Suite("Redis as operators run it", .serialized)
struct RedisOperatorTests {
    @Test func anACLUserWithAPasswordAndADatabaseIndexRunsPaidJobs() async throws {
        let password = plainPassword()
        let redis = try aclRedis(password: password)
        let url = "redis://mathfarm:\(password)@127.0.0.1:\(redis.port)/5"
        try await withPipeline(["MATHFARM_REDIS_URL": url]) { pipeline in
            let pool = try await pipeline.startWorkers(1)
            let (user, token) = try await pipeline.customer(balance: 100_000)
            var ids: [String] = []
            for index in 0..<6 {
                let submitted = try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": -3}"#)
                #expect(submitted.status == 202)
                ids.append(try #require(submitted.string("id")))
            }
            for id in ids {
                let done = try await pipeline.waitTerminal(id, token: token)
                #expect(done.string("status") == "completed", "job \(id) ended \(done.string("status") ?? "?")")
            }
            await pool.stop()
            #expect(try await pipeline.services.ledger.balance(of: user).totalSpent == Money(dong: 12_000))
            #expect(try await pipeline.violations() == [])
            // The streams are in database 5, not in 0.
            let stream = pipeline.services.jobQueue.stream(.standard)
            let inFive = try RedisClient(url: url)
            let inZero = try RedisClient(url: "redis://mathfarm:\(password)@127.0.0.1:\(redis.port)/0")
            #expect(try await inFive.command(["EXISTS", stream]).integer == 1)
            #expect(try await inZero.command(["EXISTS", stream]).integer == 0)
        }
    }

    @Test func refusedCredentialsNameTheVariable() async throws {
        let password = plainPassword()
        let redis = try aclRedis(password: password)
        for url in ["redis://mathfarm:wrong-\(password)@127.0.0.1:\(redis.port)", "redis://127.0.0.1:\(redis.port)"] {
            do {
                try await RedisClient(url: url).command(["PING"])
                Issue.record("\(url) was let in")
            } catch let error as RedisError {
                #expect(error.kind == .authentication, "\(error)")
                #expect(error.message.contains("MATHFARM_REDIS_URL"), "\(error)")
                #expect(!error.message.contains(password), "the password reached the message")
            }
        }
        let wrong = "redis://mathfarm:wrong-\(password)@127.0.0.1:\(redis.port)"
        // /readyz says why it is not ready.
        try await withAPI(["MATHFARM_REDIS_URL": wrong]) { client, _ in
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == 503)
            #expect((ready.json["checks"] as? [String: String])?["redis"] == "authentication_failed")
        }
        // `mathfarm workers` stops at once with the variable's name, rather than spawning
        // workers that retry forever.
        let base = try TestStack.baseEnvironment()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mathfarm")
        process.arguments = ["workers", "--processes", "1"]
        process.environment = ProcessInfo.processInfo.environment.merging(base.merging(["MATHFARM_REDIS_URL": wrong]) { $1 }) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let status = reapChild(process)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status != 0 && status != -1, "workers exit status \(status)")
        #expect(text.contains("MATHFARM_REDIS_URL"), "stderr: \(text.suffix(500))")
        #expect(!text.contains("wrong-\(password)"), "the password reached the log")
    }

    /// The primary is killed mid-run: Sentinel promotes the replica, the API and the worker
    /// processes find the new primary through the Sentinel, jobs submitted while Redis was
    /// away are rung again by the reconciler (PostgreSQL is the record), and every job ends
    /// completed and charged once.
    @Test func aSentinelFailoverLosesNoPaidJob() async throws {
        let password = plainPassword(), sentinelPassword = plainPassword()
        let primary = try aclRedis(password: password)
        let replica = try aclRedis(password: password, extraArguments: [
            "--replicaof", "127.0.0.1", String(primary.port), "--masteruser", "mathfarm", "--masterauth", password,
        ])
        let replicaClient = try RedisClient(url: "redis://mathfarm:\(password)@127.0.0.1:\(replica.port)")
        try await waitUntil("the replica is in sync", timeout: .seconds(20)) {
            (try? await replicaClient.command(["INFO", "replication"]).string)?.contains("master_link_status:up") == true
        }
        let sentinel = try PrivateSentinel(primaryPort: primary.port, password: password, sentinelPassword: sentinelPassword)
        let sentinelClient = try RedisClient(url: "redis://:\(sentinelPassword)@127.0.0.1:\(sentinel.port)")
        try await waitUntil("the sentinel knows the replica", timeout: .seconds(20)) {
            ((try? await sentinelClient.command(["SENTINEL", "replicas", "mathfarm"]).array) ?? []).count == 1
        }
        let settings = [
            // With Sentinels the URL gives the credentials; its host is not used.
            "MATHFARM_REDIS_URL": "redis://mathfarm:\(password)@127.0.0.1:1/0",
            "MATHFARM_REDIS_SENTINELS": "127.0.0.1:\(sentinel.port)",
            "MATHFARM_REDIS_MASTER": "mathfarm",
            "MATHFARM_REDIS_SENTINEL_PASSWORD": sentinelPassword,
        ]
        try await withPipeline(settings) { pipeline in
            let pool = try await pipeline.startWorkers(1)
            let (user, token) = try await pipeline.customer(balance: 200_000)
            var ids: [String] = []
            for index in 0..<10 {
                ids.append(try #require(try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": -7}"#).string("id")))
            }
            for id in ids { #expect(try await pipeline.waitTerminal(id, token: token).string("status") == "completed") }
            #expect(pipeline.services.redis.currentPrimary == "127.0.0.1:\(primary.port)")

            primary.stop()
            for index in 10..<20 {
                let submitted = try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": -7}"#)
                #expect(submitted.status == 202, "submission during the failover: \(submitted.status)")
                ids.append(try #require(submitted.string("id")))
            }
            try await waitUntil("the sentinel promotes the replica", timeout: .seconds(40)) {
                (try? await sentinelClient.command(["SENTINEL", "get-master-addr-by-name", "mathfarm"]).array?.last?.string) == String(replica.port)
            }
            for index in 20..<25 {
                ids.append(try #require(try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": -7}"#).string("id")))
            }
            for id in ids {
                let done = try await pipeline.waitTerminal(id, token: token, timeout: .seconds(60))
                #expect(done.string("status") == "completed", "job \(id) ended \(done.string("status") ?? "?")")
            }
            #expect(pipeline.services.redis.currentPrimary == "127.0.0.1:\(replica.port)")
            await pool.stop()
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.totalSpent == Money(dong: 50_000))  // 25 jobs, each charged once
            #expect(balance.held == .zero)
            #expect(try await pipeline.violations() == [])
        }
    }
}

/// Polls `condition` every 100 ms until it holds, or fails the test after `timeout`.
func waitUntil(_ what: String, timeout: Duration, _ condition: @Sendable () async -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(await condition()) {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting until \(what)")
            throw WaitError.timedOut(what)
        }
        try await Task.sleep(for: .milliseconds(100))
    }
}

enum WaitError: Error { case timedOut(String) }

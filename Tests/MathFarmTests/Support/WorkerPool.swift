import Foundation
import Testing

/// A real `mathfarm workers` supervisor (and its worker processes) for a test stack.
final class WorkerPool: @unchecked Sendable {
    let process: Process
    private let lock = NSLock()

    init(environment: [String: String], processes: Int) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mathfarm")
        process = Process()
        process.executableURL = binary
        process.arguments = ["workers", "--processes", String(processes)]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        if ProcessInfo.processInfo.environment["MATHFARM_TEST_WORKER_LOGS"] == nil {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
    }

    /// Whether the supervisor has exited (waitpid, not Foundation's bookkeeping).
    var hasExited: Bool {
        var status: Int32 = 0
        let result = waitpid(process.processIdentifier, &status, WNOHANG)
        return result == process.processIdentifier || (result == -1 && errno == ECHILD)
    }

    deinit {
        // A test that failed before stop() must not leave a pool running.
        if !hasExited {
            for pid in workerPIDs() { kill(pid, SIGKILL) }
            kill(process.processIdentifier, SIGKILL)
        }
    }

    /// The worker processes (children of the supervisor) alive right now.
    func workerPIDs() -> [Int32] {
        let supervisor = process.processIdentifier
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == supervisor, fields[0] != "Z" else { return nil }  // state, ppid
            return pid
        }
    }

    /// Waits until `count` workers run (they start in well under a second).
    func waitForWorkers(_ count: Int, timeout: Duration = .seconds(15)) async throws {
        let deadline = ContinuousClock.now + timeout
        while workerPIDs().count < count {
            guard ContinuousClock.now < deadline else { throw PoolError.workersDidNotStart }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// SIGTERM (drain), then SIGKILL if it has not exited within `grace`.
    func stop(grace: Duration = .seconds(20)) async {
        guard !hasExited else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + grace
        var exited = false
        while !exited, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
            exited = hasExited
        }
        if !exited {
            for pid in workerPIDs() { kill(pid, SIGKILL) }
            kill(process.processIdentifier, SIGKILL)
        }
    }

    enum PoolError: Error { case workersDidNotStart }
}

/// A private redis-server for tests that destroy Redis state (FLUSHALL, restart without persistence).
final class PrivateRedis: @unchecked Sendable {
    let port: Int
    let directory: URL
    /// More `redis-server` options (ACL users, replication, `--sentinel` with a config file).
    let extraArguments: [String]
    /// The PING used to see that the server is up, e.g. with AUTH first.
    let probe: String
    private var process: Process?

    init(extraArguments: [String] = [], probe: String = "PING\r\n", port: Int? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.port = try port ?? Self.freePort()
        self.extraArguments = extraArguments
        self.probe = probe
        try start()
    }

    var pid: Int32? { process?.processIdentifier }

    var url: String { "redis://127.0.0.1:\(port)" }

    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--dir", directory.path] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<100 {
            if Self.ping(port, probe: probe) { return }
            usleep(50_000)
        }
        throw PoolError.redisDidNotStart
    }

    func stop() {
        guard let process else { return }
        self.process = nil
        kill(process.processIdentifier, SIGKILL)
        _ = reapChild(process)
    }

    func restart() throws {
        stop()
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    static func ping(_ port: Int, probe: String = "PING\r\n") -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = probe.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 256)
        var received = ""
        for _ in 0..<20 where !received.contains("+PONG") && !received.contains("-") {
            let count = recv(fd, &buffer, 256, 0)
            guard count > 0 else { break }
            received += String(decoding: buffer.prefix(count), as: UTF8.self)
        }
        return received.contains("+PONG")
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    enum PoolError: Error { case redisDidNotStart }
}

/// A private PostgreSQL cluster (via scripts/services.sh) for the test that restarts the server.
final class PrivatePostgres: @unchecked Sendable {
    let directory: String
    let url: String

    let port: Int
    /// The CA that signed the server's certificate (TLS clusters only).
    var certificateAuthority: String { "\(directory)/tls/ca.crt" }

    /// `tls`: TLS with a certificate of a private CA and scram passwords (services.sh's
    /// MATHFARM_PG_TLS); `url` is then the superuser's over verified TLS.
    init(tls: Bool = false) throws {
        directory = "/var/tmp/mathfarm-pgtest-" + UUID().uuidString.prefix(8).lowercased()
        try Self.script(["start", directory], tls: tls)
        // services.sh records the ports it chose next to the data.
        guard let text = try? String(contentsOfFile: "\(directory)/pg.port", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
              let port = Int(text)
        else { throw PrivatePostgresError.notStarted }
        self.port = port
        url = "postgres://postgres@127.0.0.1:\(port)/postgres" + (tls ? "?sslmode=verify-full&sslrootcert=\(directory)/tls/ca.crt" : "")
    }

    /// `pg_ctl restart -m fast`: every connection is dropped, the server comes back.
    func restart() throws {
        let pgbin = ["15", "16", "17"].map { "/usr/lib/postgresql/\($0)/bin" }.first { FileManager.default.fileExists(atPath: "\($0)/pg_ctl") } ?? "/usr/lib/postgresql/15/bin"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = ["-u", "postgres", "--", "\(pgbin)/pg_ctl", "-D", "\(directory)/postgres/data", "-m", "fast", "-w", "restart"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let status = reapChild(process)
        guard status == 0 else { throw PrivatePostgresError.restartFailed(status) }
    }

    deinit {
        try? Self.script(["stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs scripts/services.sh. Its output is not piped back: the servers it starts would
    /// inherit the pipe and keep it open for their whole life.
    static func script(_ arguments: [String], tls: Bool = false) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [TestStack.repositoryRoot.appendingPathComponent("scripts/services.sh").path] + arguments
        // A test's cluster is thrown away: no fsync.
        process.environment = ProcessInfo.processInfo.environment.merging(["MATHFARM_PG_FAST": "1", "MATHFARM_PG_TLS": tls ? "1" : "0"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        _ = reapChild(process)
    }

    enum PrivatePostgresError: Error { case notStarted, restartFailed(Int32) }
}

/// Waits for a child process and returns its exit status (128 + signal when killed).
///
/// Uses waitpid directly: Foundation's `waitUntilExit` was seen to miss the exit of a child
/// here and hang the test on a zombie. If Foundation reaped the child first, its recorded
/// status is used.
func reapChild(_ process: Process) -> Int32 {
    var status: Int32 = 0
    while true {
        let result = waitpid(process.processIdentifier, &status, 0)
        if result == process.processIdentifier {
            let signal = status & 0x7f
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal
        }
        if result == -1, errno == EINTR { continue }
        for _ in 0..<500 where process.isRunning { usleep(10_000) }
        return process.isRunning ? -1 : process.terminationStatus
    }
}

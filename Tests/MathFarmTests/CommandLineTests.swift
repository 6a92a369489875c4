import Foundation
import MathFarmCore
import MathFarmHTTP
import PaymentService
import Testing

/// Runs the built `mathfarm` executable (it sits next to the test bundle) with an environment.
/// Runs the binary and returns its exit status and output. A process still running after
/// `timeout` is killed (status 128 + 9), so a command that should have refused to start fails the
/// test instead of hanging it.
func runMathFarm(_ arguments: [String], environment: [String: String], stdin: String? = nil, timeout: TimeInterval = 60) throws -> (status: Int32, output: String) {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mathfarm")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.merging(["LOG_LEVEL": "error"]) { $1 }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let pid = process.processIdentifier
    let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
    defer { watchdog.cancel() }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let status = reapChild(process)
    return (status, String(decoding: data, as: UTF8.self))
}

@Suite("The mathfarm command line")
struct CommandLineTests {
    /// `mathfarm solve` needs no service: input as an argument or on stdin, same JSON either way;
    /// a refused input exits 2 with the error code.
    @Test func solveRunsLocallyFromAnArgumentOrStdin() throws {
        let input = #"{"expression": "sin(x)^4*cos(x)"}"#
        let fromArgument = try runMathFarm(["solve", "indefinite_integral", input], environment: [:])
        let fromStdin = try runMathFarm(["solve", "indefinite_integral"], environment: [:], stdin: input)
        #expect(fromArgument.status == 0, "\(fromArgument.output)")
        #expect(fromArgument.output == fromStdin.output)
        #expect(fromArgument.output.contains(#""result":"sin(x)^5/5""#))
        let refused = try runMathFarm(["solve", "limit"], environment: [:], stdin: #"{"expression": "sin(x", "point": 0}"#)
        #expect(refused.status == 2)
        #expect(refused.output.contains("syntax_error"))
    }

    @Test func migrateAdminCreateAndReconcile() async throws {
        let stack = try await TestStack.make()
        let env = stack.environment

        let migrate = try runMathFarm(["migrate"], environment: env)
        #expect(migrate.status == 0, "\(migrate.output)")
        #expect(migrate.output.components(separatedBy: "up to date").count - 1 == 5)

        let noPassword = try runMathFarm(["admin", "create", "--username", "root", "--email", "root@mathfarm.vn", "--full-name", "Root"], environment: env, stdin: "")
        #expect(noPassword.status != 0)
        let created = try runMathFarm(
            ["admin", "create", "--username", "root", "--email", "root@mathfarm.vn", "--full-name", "Root", "--super-admin"],
            environment: env, stdin: "a-long-staff-password\n"
        )
        #expect(created.status == 0, "\(created.output)")
        #expect(created.output.contains("as super admin"))

        try await stack.run { services in
            let login = try await services.staffAccounts.login(login: "root", password: "a-long-staff-password", client: RequestMetadata(clientIP: nil, userAgent: nil))
            #expect(login.staff.isSuperAdmin)
            let user = try await makeCustomer(services)
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 1_000), reference: "cli-\(user)", reason: "test", changedBy: "test")
            try await services.outboxRelay.drain()
        }
        let green = try runMathFarm(["reconcile", "--check"], environment: env)
        #expect(green.status == 0, "\(green.output)")

        try await stack.run { services in
            try await services.pools[.payment].query("UPDATE wallets SET available = available + 10")
        }
        let red = try runMathFarm(["reconcile", "--check"], environment: env)
        #expect(red.status == 1)
        #expect(red.output.contains("invariant 1"))
        #expect(red.output.contains("violation"))
    }

    /// Production (the default) refuses to start every service process on missing or public
    /// secrets, naming each variable; the sandbox gateway and the demo seed refuse to run at all.
    @Test func productionProcessesRefuseRepositorySecrets() async throws {
        let stack = try await TestStack.make()
        var env = stack.environment
        env["MATHFARM_ENV"] = ""  // unset: production
        for command in [["api"], ["reconcile", "--once"], ["migrate"]] {
            let refused = try runMathFarm(command, environment: env.merging(["MATHFARM_JWT_SECRET": RepositorySecrets.developmentJWTSecret]) { $1 })
            #expect(refused.status != 0, "\(command)")
            #expect(refused.output.contains("MATHFARM_JWT_SECRET") && refused.output.contains("MATHFARM_SETTINGS_KEY"), "\(command): \(refused.output)")
        }
        // A worker host holds no token or settings key (WorkerConfiguration), so `workers` is
        // refused for what it does hold: a connection whose password is a repository value.
        let worker = try runMathFarm(["workers", "--processes", "1"], environment: env.merging([
            "MATHFARM_JWT_SECRET": RepositorySecrets.developmentJWTSecret,
            "MATHFARM_REDIS_URL": "redis://mathfarm:CHANGE-ME@127.0.0.1:1/0",
        ]) { $1 })
        #expect(worker.status != 0 && worker.status != 137, "\(worker.status)")
        #expect(worker.output.contains("MATHFARM_REDIS_URL") && !worker.output.contains("MATHFARM_JWT_SECRET"), "\(worker.output)")
        let sandboxKey = try runMathFarm(["api"], environment: env.merging([
            "MATHFARM_JWT_SECRET": randomSecret(), "MATHFARM_SETTINGS_KEY": randomSettingsKey(),
            "MATHFARM_MOMO_SECRET_KEY": RepositorySecrets.momoSandboxSecretKey,
        ]) { $1 })
        #expect(sandboxKey.status != 0 && sandboxKey.output.contains("MATHFARM_MOMO_SECRET_KEY"), "\(sandboxKey.output)")
        for command in [["sandbox-gateway"], ["seed-demo"]] {
            let refused = try runMathFarm(command, environment: env.merging(["MATHFARM_JWT_SECRET": randomSecret(), "MATHFARM_SETTINGS_KEY": randomSettingsKey()]) { $1 })
            #expect(refused.status != 0 && refused.output.contains("does not run in production"), "\(command): \(refused.output)")
        }
    }

    /// `mathfarm admin unlock` lifts a staff account's delays, whoever caused them (the last
    /// super admin included).
    @Test func adminUnlockFromTheCommandLine() async throws {
        let stack = try await TestStack.make()
        try await stack.run { services in
            try await makeStaff(services, username: "lastroot", superAdmin: true)
            let attacker = RequestMetadata(clientIP: "203.0.113.66", userAgent: nil)
            for _ in 0..<5 {
                await #expect(throws: APIError.self) { try await services.staffAccounts.login(login: "lastroot", password: "wrong-password-00", client: attacker) }
            }
            do {
                _ = try await services.staffAccounts.login(login: "lastroot", password: "staff-password-1", client: attacker)
                Issue.record("the address should be held back")
            } catch let error as APIError {
                #expect(error.code == "too_many_login_attempts")
            }
        }
        let unlocked = try runMathFarm(["admin", "unlock", "lastroot"], environment: stack.environment)
        #expect(unlocked.status == 0, "\(unlocked.output)")
        #expect(try runMathFarm(["admin", "unlock", "nobody"], environment: stack.environment).status != 0)
        try await stack.run { services in
            let login = try await services.staffAccounts.login(login: "lastroot", password: "staff-password-1", client: RequestMetadata(clientIP: "203.0.113.66", userAgent: nil))
            #expect(login.staff.isSuperAdmin)
        }
    }
}

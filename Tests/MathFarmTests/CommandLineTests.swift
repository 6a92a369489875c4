import Foundation
import MathFarmCore
import MathFarmHTTP
import PaymentService
import Testing

/// Runs the built `mathfarm` executable (it sits next to the test bundle) with an environment.
func runMathFarm(_ arguments: [String], environment: [String: String], stdin: String? = nil) throws -> (status: Int32, output: String) {
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
}

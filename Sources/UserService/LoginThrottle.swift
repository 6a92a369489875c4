import Foundation
import MathFarmCore

/// The customer login backoff (`LoginBackoff` over `login_throttle`): failures count against the
/// account from this address (the guesser), the account from anywhere (a distributed guesser:
/// a higher allowance and a short cap, so nobody can keep the owner out), and the address over
/// all accounts (a NAT of many customers: a high allowance).
///
/// Defaults: 5 free failures per account and address, then 5 s, 10 s, 20 s … up to the window
/// (15 minutes); 20 per account, then up to 60 s; 100 per address, then up to 15 minutes.
public struct LoginThrottle: Sendable {
    enum Scope {
        static let account = "email"
        static let accountFromAddress = "email_ip"
        static let address = "ip"
    }

    /// The account-wide scope never delays more than this: it is the one an attacker can push
    /// on for any account, from anywhere.
    public static let accountDelayCap: Duration = .seconds(60)

    let backoff: LoginBackoff

    public init(database: Database, maxFailures: Int, window: Duration, addressMaxFailures: Int = 100) {
        backoff = LoginBackoff(database: database, table: "login_throttle", window: window, rules: [
            Scope.accountFromAddress: .init(freeFailures: maxFailures, maximumDelay: window),
            Scope.account: .init(freeFailures: 4 * maxFailures, maximumDelay: min(Self.accountDelayCap, window)),
            Scope.address: .init(freeFailures: addressMaxFailures, maximumDelay: window),
        ])
    }

    static func subjects(email: String, ip: String?) -> [LoginBackoff.Subject] {
        var subjects = [LoginBackoff.Subject(Scope.account, email)]
        if let ip {
            subjects.append(.init(Scope.accountFromAddress, "\(email)|\(ip)"))
            subjects.append(.init(Scope.address, ip))
        }
        return subjects
    }

    /// 429 with `Retry-After` while any of the three is held back.
    public func check(email: String, ip: String?) async throws {
        try await backoff.check(Self.subjects(email: email, ip: ip))
    }

    public func recordFailure(email: String, ip: String?) async throws {
        try await backoff.recordFailure(Self.subjects(email: email, ip: ip))
    }

    /// A successful login clears the account's counts (the address keeps its own).
    public func recordSuccess(email: String, ip: String?) async throws {
        try await backoff.reset(Self.subjects(email: email, ip: ip).filter { $0.scope != Scope.address })
    }

    /// Removes spent entries (run by the periodic sweeper).
    public func prune() async throws {
        try await backoff.prune()
    }
}

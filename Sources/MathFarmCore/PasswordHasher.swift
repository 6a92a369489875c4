import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing off the cooperative thread pool.
///
/// A cost-12 hash takes about a quarter of a second of CPU; running it on Swift's cooperative
/// threads would stall every other request on a 2-core machine, so it goes to NIO's blocking pool.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: UInt8) {
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A valid hash of a random password: verifying against it when an account does not exist
    /// makes "no such user" cost as much time as "wrong password".
    public func decoyHash() async throws -> String {
        try await hash(SecretToken.generate())
    }
}

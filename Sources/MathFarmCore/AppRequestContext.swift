import Hummingbird
import Logging
import NIOCore

/// The request context every MathFarm route sees: Hummingbird's core storage plus the request id,
/// the negotiated language and the peer address.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `RequestIDMiddleware`; also in the logger metadata as `request_id`.
    public var requestID: String = ""
    public var language: Language = .vi
    /// The TCP peer (nil in router tests, which have no socket).
    public let peerAddress: String?
    /// When the request arrived (the context is made per request), for execution times.
    public let receivedAt: ContinuousClock.Instant

    /// Upper bound on a JSON request body. Past it, decoding answers 413.
    public static let maxBodyBytes = 64 * 1024
    public var maxUploadSize: Int { Self.maxBodyBytes }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress
        self.receivedAt = .now
    }
}

/// A soft deadline that long computations check cooperatively (ARCHITECTURE.md section 3).
public struct Deadline: Sendable {
    public let instant: ContinuousClock.Instant

    public init(after duration: Duration) {
        instant = .now + duration
    }

    public func check() throws(DeadlineExceeded) {
        if ContinuousClock.now >= instant { throw DeadlineExceeded() }
    }
}

public struct DeadlineExceeded: Error, Equatable, Sendable {
    public init() {}
}

/// A gateway's answer to a refund request.
public enum GatewayRefundOutcome: Sendable, Equatable {
    /// Accepted now, or already accepted earlier for the same refund (a retry).
    case accepted
    /// Refused for good: the refund is reverted in the ledger.
    case refused(String)
    /// No answer: the refund stays `requested` and is asked about again.
    case unknown
}

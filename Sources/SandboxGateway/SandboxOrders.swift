import Foundation

/// The sandbox's memory of the orders it has seen: what VNPay's own database would answer a
/// querydr or refund with. Notification deliveries are counted for the tests.
public actor SandboxOrders {
    public enum State: String, Sendable {
        case pending, paid, cancelled, refunded
    }

    public struct Order: Sendable {
        public var reference: String
        public var amountMinor: Int64
        public var createDate: String
        public var orderInfo: String
        public var returnURL: String
        public var state: State
        public var transactionNo: String
        /// Where the gateway posts its notification (MoMo ipnUrl, ZaloPay callback_url).
        public var notifyURL: String = ""
        /// MoMo requestId / ZaloPay app_trans_id.
        public var gatewayKey: String = ""
    }

    private var orders: [String: Order] = [:]
    private var deliveries: [String: [String]] = [:]

    public init() {}

    func record(_ order: Order) {
        if orders[order.reference] == nil { orders[order.reference] = order }
    }

    public func order(_ reference: String) -> Order? { orders[reference] }

    func update(_ reference: String, state: State, transactionNo: String? = nil) {
        orders[reference]?.state = state
        if let transactionNo { orders[reference]?.transactionNo = transactionNo }
    }

    func reference(forTransaction transactionNo: String) -> String? {
        orders.values.first { $0.transactionNo == transactionNo }?.reference
    }

    func delivered(_ reference: String, answer: String) {
        deliveries[reference, default: []].append(answer)
    }

    /// The merchant's answers to each notification attempt for `reference`, in order (`none`
    /// when there was no gateway-level answer: a timeout, a refused connection, a 404).
    public func deliveryAnswers(_ reference: String) -> [String] { deliveries[reference] ?? [] }
}

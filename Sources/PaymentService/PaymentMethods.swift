import Foundation
import MathFarmCore
import PostgresNIO

/// A deposit method as `GET /api/v1/payment-methods` publishes it.
public struct PaymentMethod: Sendable, Encodable, Equatable {
    public var code: String
    public var name: String
    public var feePercentage: String
    public var minAmount: Money
    public var maxAmount: Money
    public var config: JSONValue

    enum CodingKeys: String, CodingKey {
        case code, name, config
        case feePercentage = "fee_percentage"
        case minAmount = "min_amount"
        case maxAmount = "max_amount"
    }

    /// The fee on `amount`, rounded down to the dong (fee_percentage has 4 decimals).
    public func fee(on amount: Money) -> Money {
        let parts = feePercentage.split(separator: ".")
        let whole = Int64(parts.first ?? "0") ?? 0
        let fraction = Int64((String(parts.count > 1 ? parts[1] : "") + "0000").prefix(4)) ?? 0
        let tenThousandths = whole * 10_000 + fraction
        let dong = amount.minorUnits / 100 * tenThousandths / 10_000
        return Money(minorUnits: dong * 100)
    }
}

/// The `payment_methods` table, less the methods whose gateway is disabled (no credentials in
/// production): those are neither listed nor usable.
public struct PaymentMethods: Sendable {
    let database: Database
    let isEnabled: @Sendable (String) -> Bool

    public init(database: Database, isEnabled: @escaping @Sendable (String) -> Bool = { _ in true }) {
        self.database = database
        self.isEnabled = isEnabled
    }

    public func active() async throws -> [PaymentMethod] {
        try await load(onlyActive: true)
    }

    public func method(_ code: String) async throws -> PaymentMethod? {
        try await load(onlyActive: true).first { $0.code == code }
    }

    private func load(onlyActive: Bool) async throws -> [PaymentMethod] {
        let rows = try await database.query("""
            SELECT method_type::text, method_name, COALESCE(fee_percentage, 0)::text, (COALESCE(min_amount, 10000) * 100)::int8,
                   (COALESCE(max_amount, 50000000) * 100)::int8, COALESCE(config, '{}')::text
            FROM payment_methods WHERE \(!onlyActive) OR COALESCE(is_active, true) ORDER BY payment_methods.method_type
            """)
        var methods: [PaymentMethod] = []
        for try await (code, name, fee, low, high, config) in rows.decode((String, String, String, Int64, Int64, String).self) where isEnabled(code) {
            methods.append(PaymentMethod(
                code: code, name: name, feePercentage: fee, minAmount: Money(minorUnits: low), maxAmount: Money(minorUnits: high),
                config: JSONValue(text: config) ?? .object([:])
            ))
        }
        return methods
    }
}

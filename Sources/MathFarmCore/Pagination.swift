import Hummingbird

/// `?limit=&offset=` parsing with explicit bounds (limit 1...maxLimit, default 20; offset ≤ 100,000).
public enum Pagination {
    public static let maxOffset = 100_000

    public static func parse(_ request: Request, maxLimit: Int, defaultLimit: Int = 20) throws -> (limit: Int, offset: Int) {
        let query = request.uri.queryParameters
        var limit = defaultLimit
        if let raw = query.get("limit") {
            guard let value = Int(raw), (1...maxLimit).contains(value) else {
                throw APIError.invalidField("limit", vi: "limit phải từ 1 đến \(maxLimit).", en: "limit must be between 1 and \(maxLimit).")
            }
            limit = value
        }
        var offset = 0
        if let raw = query.get("offset") {
            guard let value = Int(raw), (0...maxOffset).contains(value) else {
                throw APIError.invalidField("offset", vi: "offset phải từ 0 đến \(maxOffset).", en: "offset must be between 0 and \(maxOffset).")
            }
            offset = value
        }
        return (limit, offset)
    }
}

/// One page of a listing, as every list endpoint returns it.
public struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    public let items: [Item]
    public let total: Int
    public let limit: Int
    public let offset: Int

    public init(items: [Item], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}

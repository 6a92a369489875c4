import MathFarmCore

/// "Previous · page 2 of 5 · next" under a list, 20 rows a page, filters kept in the links.
struct Pager: Sendable {
    static let pageSize = 20

    let previous: String?
    let next: String?
    let label: String

    /// Nil when everything fits on one page.
    init?(base: String, filters: [String: String], page: Int, total: Int, language: Language) {
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        guard pages > 1 || page > 1 else { return nil }
        func link(_ number: Int) -> String {
            var query = filters
            query["page"] = String(number)
            return base + "?" + SolvePages.query(query)
        }
        previous = page > 1 ? link(min(page - 1, pages)) : nil
        next = page < pages ? link(page + 1) : nil
        label = UIText.text("pageOf", language)
            .replacingOccurrences(of: "%d / %d", with: "\(page) / \(pages)").replacingOccurrences(of: "%d of %d", with: "\(page) of \(pages)")
    }

    /// `?page=N`, 1 to 5,000 (offsets stay within the API's limit of 100,000 rows).
    static func pageNumber(_ raw: String?) -> Int {
        min(max(raw.flatMap(Int.init) ?? 1, 1), 5_000)
    }
}

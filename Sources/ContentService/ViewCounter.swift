import Foundation
import MathFarmCore

/// Counts page and FAQ views in memory and writes them in one statement per flush, so a popular
/// page costs one UPDATE every few seconds instead of one per view. A failed write keeps its
/// counts for the next flush, and the API flushes once more at graceful shutdown; only a process
/// killed outright loses the views of its last few seconds (a statistic, not money).
public actor ViewCounter {
    let database: Database
    private var pages: [UUID: Int] = [:]
    private var faqs: [UUID: Int] = [:]

    public init(database: Database) {
        self.database = database
    }

    public func countPage(_ id: UUID) { pages[id, default: 0] += 1 }
    public func countFAQ(_ id: UUID) { faqs[id, default: 0] += 1 }

    /// Writes the pending counts; returns how many rows it touched.
    @discardableResult
    public func flush() async throws -> Int {
        let (pageBatch, faqBatch) = (pages, faqs)
        pages = [:]
        faqs = [:]
        var touched = 0
        if !pageBatch.isEmpty {
            do {
                try await database.query("""
                    UPDATE pages p SET view_count = p.view_count + v.n
                    FROM unnest(\(Array(pageBatch.keys))::uuid[], \(pageBatch.values.map(Int64.init))::int8[]) AS v(id, n) WHERE p.id = v.id
                    """)
            } catch {
                pages.merge(pageBatch, uniquingKeysWith: +)
                faqs.merge(faqBatch, uniquingKeysWith: +)
                throw error
            }
            touched += pageBatch.count
        }
        if !faqBatch.isEmpty {
            do {
                try await database.query("""
                    UPDATE faqs f SET view_count = f.view_count + v.n
                    FROM unnest(\(Array(faqBatch.keys))::uuid[], \(faqBatch.values.map(Int64.init))::int8[]) AS v(id, n) WHERE f.id = v.id
                    """)
            } catch {
                faqs.merge(faqBatch, uniquingKeysWith: +)
                throw error
            }
            touched += faqBatch.count
        }
        return touched
    }
}

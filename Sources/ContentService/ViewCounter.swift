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
        let batches: [(CountedTable, [UUID: Int])] = [(.pages, pageBatch), (.faqs, faqBatch)]
        var touched = 0
        for (index, (table, batch)) in batches.enumerated() where !batch.isEmpty {
            do {
                try await database.query("""
                    UPDATE \(unescaped: table.rawValue) t SET view_count = t.view_count + v.n
                    FROM unnest(\(Array(batch.keys))::uuid[], \(batch.values.map(Int64.init))::int8[]) AS v(id, n) WHERE t.id = v.id
                    """)
            } catch {
                // This batch and the ones not yet written wait for the next flush.
                for (pending, counts) in batches[index...] {
                    switch pending {
                    case .pages: pages.merge(counts, uniquingKeysWith: +)
                    case .faqs: faqs.merge(counts, uniquingKeysWith: +)
                    }
                }
                throw error
            }
            touched += batch.count
        }
        return touched
    }
}

/// The tables whose rows carry a `view_count` (names from this enum only, never from input).
enum CountedTable: String {
    case pages, faqs
}

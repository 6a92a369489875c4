import Foundation
import NIOConcurrencyHelpers

/// Recently read catalog rows, shared by every request of one process (see
/// `ProblemCatalog.problem(code:)`). A row read under another premium discount is not reused,
/// so a discount change is seen as soon as the settings cache has it.
final class CatalogCache: Sendable {
    private struct Entry {
        var problem: Problem
        var discount: Int
        var fetched: ContinuousClock.Instant
    }

    private let lifetime: Duration
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    func problem(code: String, discount: Int) -> Problem? {
        entries.withLockedValue { entries in
            guard let entry = entries[code], entry.discount == discount, ContinuousClock.now - entry.fetched < lifetime else { return nil }
            return entry.problem
        }
    }

    func store(_ problem: Problem, code: String, discount: Int) {
        entries.withLockedValue { $0[code] = Entry(problem: problem, discount: discount, fetched: .now) }
    }

    func forget() {
        entries.withLockedValue { $0.removeAll() }
    }
}

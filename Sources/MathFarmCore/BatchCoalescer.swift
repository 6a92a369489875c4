/// Turns concurrent single calls into batches (group commit).
///
/// A call waits while at most `maxConcurrentFlushes` batches are being written; everything that
/// arrives meanwhile goes into the next batch. At low load a call is flushed alone at once (no
/// added latency); under load the batches grow by themselves, so the number of commits grows
/// far slower than the number of calls. If a batch of several fails, each of its items is
/// retried alone, so one bad item cannot fail the others.
public actor BatchCoalescer<Item: Sendable, Output: Sendable> {
    public typealias Flush = @Sendable ([Item]) async throws -> [Output]

    let maxBatch: Int
    let maxConcurrentFlushes: Int
    let flush: Flush
    private var pending: [(item: Item, continuation: CheckedContinuation<Output, any Error>)] = []
    private var flushing = 0

    public init(maxBatch: Int, maxConcurrentFlushes: Int = 2, flush: @escaping Flush) {
        self.maxBatch = max(1, maxBatch)
        self.maxConcurrentFlushes = max(1, maxConcurrentFlushes)
        self.flush = flush
    }

    /// Adds `item` to the next batch and returns its output once the batch is written.
    public func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((item, continuation))
            if flushing < maxConcurrentFlushes {
                flushing += 1
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            let outputs = await Self.write(batch.map(\.item), with: flush)
            for (entry, output) in zip(batch, outputs) {
                entry.continuation.resume(with: output)
            }
        }
        flushing -= 1
    }

    /// Writes one batch; on failure, each item alone.
    private static func write(_ items: [Item], with flush: Flush) async -> [Result<Output, any Error>] {
        do {
            let outputs = try await flush(items)
            guard outputs.count == items.count else { throw BatchCoalescerError.outputCountMismatch }
            return outputs.map { .success($0) }
        } catch {
            guard items.count > 1 else { return [.failure(error)] }
            var results: [Result<Output, any Error>] = []
            for item in items {
                do {
                    let outputs = try await flush([item])
                    guard let output = outputs.first, outputs.count == 1 else { throw BatchCoalescerError.outputCountMismatch }
                    results.append(.success(output))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }
}

public enum BatchCoalescerError: Error {
    /// The flush returned a different number of outputs than it was given items.
    case outputCountMismatch
}

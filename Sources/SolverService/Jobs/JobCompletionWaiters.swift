import Foundation

/// The long polls (`GET /solutions/{id}?wait=`) of one API process, woken when their job ends.
///
/// The lifecycle's terminal transitions notify `JobLifecycle.doneChannel` with the job ids in
/// the same statement; `JobCompletionListener` feeds those notifications here. A waiter also
/// wakes after its own timeout, so a missed notification costs a re-read, never a hang.
public actor JobCompletionWaiters {
    private var waiters: [UUID: [Int: CheckedContinuation<Void, Never>]] = [:]
    private var nextToken = 0

    public init() {}

    /// Returns when `jobID` is reported done or `timeout` passes, whichever comes first.
    public func wait(for jobID: UUID, timeout: Duration) async {
        let token = nextToken
        nextToken += 1
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            waiters[jobID, default: [:]][token] = continuation
            Task {
                try? await Task.sleep(for: timeout)
                self.wake(jobID, token: token)
            }
        }
    }

    /// Wakes every waiter of the given jobs.
    public func notify(_ jobIDs: some Sequence<UUID>) {
        for id in jobIDs {
            guard let waiting = waiters.removeValue(forKey: id) else { continue }
            for continuation in waiting.values { continuation.resume() }
        }
    }

    /// Wakes everyone (the listener reconnected and may have missed notifications).
    public func notifyAll() {
        let all = waiters
        waiters.removeAll()
        for waiting in all.values {
            for continuation in waiting.values { continuation.resume() }
        }
    }

    private func wake(_ jobID: UUID, token: Int) {
        guard let continuation = waiters[jobID]?.removeValue(forKey: token) else { return }
        if waiters[jobID]?.isEmpty == true { waiters[jobID] = nil }
        continuation.resume()
    }

    /// Job ids from a notification payload (comma-separated).
    static func jobIDs(in payload: String) -> [UUID] {
        payload.split(separator: ",").compactMap { UUID(uuidString: String($0)) }
    }
}

import Foundation
import Logging
import NIOConcurrencyHelpers

/// Listens on one Sentinel for `+switch-master` and tells the locator to look for the new
/// primary, so pooled connections to a demoted primary are closed before a command finds out.
///
/// Runs on a thread of its own (hiredis blocks) until `stop()`; when its Sentinel goes away it
/// moves on to the next one, pausing a second between attempts. Losing a message costs nothing
/// but time: a demoted primary also answers `READONLY`, which invalidates the primary as well.
final class SentinelFailoverWatcher: Sendable {
    private let stopped = NIOLockedValueBox(false)

    init(locator: RedisPrimaryLocator, logger: Logger) {
        guard let sentinel = locator.configuration.sentinel else { return }
        let stopped = self.stopped
        let thread = Thread {
            var index = 0
            while !stopped.withLockedValue({ $0 }) {
                let address = sentinel.addresses[index % sentinel.addresses.count]
                index += 1
                do {
                    let connection = try locator.openSentinel(address, sentinel)
                    _ = try connection.command(["SUBSCRIBE", "+switch-master"])
                    while !stopped.withLockedValue({ $0 }) {
                        guard let message = try connection.nextPushedMessage(wait: .seconds(1)) else { continue }
                        // ["message", "+switch-master", "<name> <old-ip> <old-port> <new-ip> <new-port>"]
                        guard let parts = message.array, parts.count == 3, let text = parts[2].string,
                              text.split(separator: " ").first.map(String.init) == sentinel.masterName
                        else { continue }
                        logger.warning("redis primary switched", metadata: ["sentinel": "\(address)", "switch": "\(text)"])
                        locator.invalidate(generation: locator.generation)
                    }
                } catch {
                    logger.debug("sentinel watch interrupted", metadata: ["sentinel": "\(address)", "error": "\(error)"])
                    for _ in 0..<10 where !stopped.withLockedValue({ $0 }) { Thread.sleep(forTimeInterval: 0.1) }
                }
            }
        }
        thread.name = "redis-sentinel-watch"
        thread.start()
    }

    func stop() {
        stopped.withLockedValue { $0 = true }
    }
}

import Foundation

/// The runtime settings every service reads (maintenance mode, the premium discount, …): a
/// snapshot of `system_settings` that reloads when the table's version changes. The admin
/// service owns the table and supplies the loader; nobody else queries it. Encrypted settings
/// never enter this cache.
public actor SettingsCache {
    public typealias Loader = @Sendable () async throws -> (version: String, values: [String: String])

    private let loader: Loader
    private var version: String?
    private var values: [String: String] = [:]

    public init(loader: @escaping Loader) {
        self.loader = loader
    }

    /// Reloads when the version differs; returns whether it did.
    @discardableResult
    public func refresh() async throws -> Bool {
        let loaded = try await loader()
        guard loaded.version != version else { return false }
        version = loaded.version
        values = loaded.values
        return true
    }

    public func string(_ key: String) -> String? { values[key] }

    public func bool(_ key: String) -> Bool? {
        values[key].map { $0 == "true" || $0 == "1" }
    }

    public func int(_ key: String) -> Int? {
        values[key].flatMap(Int.init)
    }
}

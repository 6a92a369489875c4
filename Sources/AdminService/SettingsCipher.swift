import Crypto
import Foundation
import MathFarmCore

/// AES-GCM for `is_encrypted` settings, with the key of `MathFarmConfiguration.settingsKey`
/// (`MATHFARM_SETTINGS_KEY`, required in production; a derived development key otherwise).
/// Stored form: `enc:v1:` + base64(nonce ‖ ciphertext ‖ tag).
public struct SettingsCipher: Sendable {
    let key: SymmetricKey
    static let prefix = "enc:v1:"

    /// `key` must be 32 bytes (AES-256).
    public init(key: Data) throws {
        guard key.count == 32 else {
            throw ConfigurationError.invalid(key: "MATHFARM_SETTINGS_KEY", value: "(hidden)", expected: "32 bytes, base64")
        }
        self.key = SymmetricKey(data: key)
    }

    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key)
        guard let combined = box.combined else { throw APIError.internalError }
        return Self.prefix + combined.base64EncodedString()
    }

    public func open(_ stored: String) throws -> String {
        guard stored.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))) else { throw APIError.internalError }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
    }
}

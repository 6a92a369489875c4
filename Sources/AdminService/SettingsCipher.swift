import Crypto
import Foundation
import MathFarmCore

/// AES-GCM for `is_encrypted` settings. The key comes from `MATHFARM_SETTINGS_KEY` (32 bytes,
/// base64); without it a development key is derived, which production must not rely on.
/// Stored form: `enc:v1:` + base64(nonce ‖ ciphertext ‖ tag).
public struct SettingsCipher: Sendable {
    let key: SymmetricKey
    static let prefix = "enc:v1:"

    public init(environment: EnvironmentReader = EnvironmentReader()) throws {
        if let encoded = environment.optionalString("MATHFARM_SETTINGS_KEY") {
            guard let data = Data(base64Encoded: encoded), data.count == 32 else {
                throw ConfigurationError.invalid(key: "MATHFARM_SETTINGS_KEY", value: "(hidden)", expected: "32 bytes, base64")
            }
            key = SymmetricKey(data: data)
        } else {
            key = SymmetricKey(data: SHA256.hash(data: Data("mathfarm-local-settings-key-do-not-use-in-production".utf8)))
        }
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

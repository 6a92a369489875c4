import Crypto
import Foundation

extension UUID {
    /// A UUID that is a function of `name` (SHA-256 based, version-5 layout): the same name always
    /// gives the same id, so a retried operation finds what its first attempt created (a job from
    /// its Idempotency-Key, an audit entry from its event).
    public init(nameBased name: String) {
        var bytes = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5-style (name-based)
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        self.init(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                         bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

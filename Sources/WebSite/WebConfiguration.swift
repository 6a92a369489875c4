import Crypto
import Foundation
import MathFarmCore

/// The website's settings, from the environment (README, "Configuration").
public struct WebConfiguration: Sendable {
    /// The site's public address without a trailing slash: canonical links, the sitemap and the
    /// same-origin check of form posts are built from it.
    public var publicURL: String
    /// Where KaTeX's files are (`katex.min.js`, `katex.min.css`, `fonts/`), served under
    /// `/static/katex/`. Debian's `libjs-katex` puts them in `/usr/share/javascript/katex`.
    public var katexDirectory: String
    /// `Secure` on cookies (and the `__Host-` name prefix): on when the public URL is https.
    public var secureCookies: Bool
    /// A browser session ends after this long without a request.
    public var sessionTTL: Duration
    /// Signs the form tokens of visitors who are not signed in (derived from the JWT secret, so
    /// there is no second secret to manage and none with a default in production).
    let formKey: SymmetricKey

    public static let defaultKaTeXDirectory = "/usr/share/javascript/katex"

    public init(environment env: EnvironmentReader = EnvironmentReader(), secret: String) throws {
        var url = env.string("MATHFARM_PUBLIC_URL", default: "http://127.0.0.1:8080")
        while url.hasSuffix("/") { url.removeLast() }
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw ConfigurationError.invalid(key: "MATHFARM_PUBLIC_URL", value: url, expected: "an http(s) URL")
        }
        publicURL = url
        katexDirectory = env.string("MATHFARM_KATEX_DIR", default: Self.defaultKaTeXDirectory)
        secureCookies = try env.bool("MATHFARM_SECURE_COOKIES", default: scheme == "https")
        let ttl = try env.int("MATHFARM_WEB_SESSION_TTL", default: 14 * 24 * 3600)
        guard (300...(90 * 24 * 3600)).contains(ttl) else {
            throw ConfigurationError.invalid(key: "MATHFARM_WEB_SESSION_TTL", value: String(ttl), expected: "between 300 and 7776000 seconds")
        }
        sessionTTL = .seconds(ttl)
        formKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data("mathfarm-web-form-token-v1".utf8), outputByteCount: 32
        )
    }

    /// `scheme://host[:port]` of the public URL: what a browser sends as `Origin`.
    var origin: String {
        guard let url = URL(string: publicURL), let scheme = url.scheme, let host = url.host else { return publicURL }
        return url.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }
}

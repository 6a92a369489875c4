import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import MathFarmCore
import UserService

/// Who is asking: the page's language and, when the browser sends a live session cookie, the
/// signed-in customer. Also the form token this response embeds, and any cookie it must set.
struct Visitor: Sendable {
    let language: Language
    let session: BrowserSession?
    /// The anonymous form nonce (visitors who are not signed in), from the cookie or new.
    let formNonce: String?
    /// Cookies this response must set (a new form nonce).
    let cookies: [Cookie]
    let forms: FormTokens

    var isSignedIn: Bool { session != nil }

    /// A fresh masked form token for this visitor (a different string on every page, so the
    /// token cannot be read out of a compressed response byte by byte).
    func formToken() -> String {
        if let session { return forms.token(binding: .session(session.csrfToken)) }
        return forms.token(binding: .anonymous(formNonce ?? ""))
    }
}

/// Form tokens against cross-site request forgery.
///
/// Signed-in visitors: the synchronizer token stored with their browser session. Everyone
/// else (the register and login forms): a random nonce in an HttpOnly cookie, and the token is
/// its HMAC under a server key (a signed double-submit cookie), so an attacker who can set a
/// cookie still cannot make a matching token. Either secret goes out masked with a fresh random
/// pad, and is checked in constant time.
struct FormTokens: Sendable {
    let key: SymmetricKey

    enum Binding: Sendable {
        case session(String)
        case anonymous(String)

        var message: Data {
            switch self {
            case .session(let token): return Data(("session|" + token).utf8)
            case .anonymous(let nonce): return Data(("anonymous|" + nonce).utf8)
            }
        }
    }

    func token(binding: Binding) -> String {
        let secret = Array(HMAC<SHA256>.authenticationCode(for: binding.message, using: key))
        var generator = SystemRandomNumberGenerator()
        let pad = (0..<secret.count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let masked = zip(pad, secret).map { $0 ^ $1 }
        return Self.base64URL(pad + masked)
    }

    func isValid(_ token: String?, binding: Binding) -> Bool {
        guard let token, token.count <= 128, let bytes = Self.decodeBase64URL(token), bytes.count == 64 else { return false }
        let secret = zip(bytes[0..<32], bytes[32..<64]).map { $0 ^ $1 }
        return HMAC<SHA256>.isValidAuthenticationCode(secret, authenticating: binding.message, using: key)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}

/// The cookies of the site: the session (HttpOnly, SameSite=Lax, Secure and `__Host-` behind
/// TLS), the anonymous form nonce, and the language a gateway's return should land in.
struct SiteCookies: Sendable {
    let secure: Bool
    let sessionTTL: Duration

    var sessionName: String { secure ? "__Host-mf_session" : "mf_session" }
    var formName: String { secure ? "__Host-mf_form" : "mf_form" }
    static let languageName = "mf_lang"

    func session(_ token: String) -> Cookie {
        Cookie(name: sessionName, value: token, maxAge: Int(sessionTTL.timeInterval), path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func form(_ nonce: String) -> Cookie {
        Cookie(name: formName, value: nonce, maxAge: 24 * 3600, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func language(_ language: Language) -> Cookie {
        Cookie(name: Self.languageName, value: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// An instruction to the browser to drop a cookie now.
    func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// Resolves visitors and guards form posts: the one place that reads the session cookie.
struct VisitorGate: Sendable {
    let sessions: BrowserSessions
    let cookies: SiteCookies
    let forms: FormTokens
    let configuration: WebConfiguration
    let trustProxy: Bool

    func visitor(_ request: Request, language: Language) async throws -> Visitor {
        if let token = request.cookies[cookies.sessionName]?.value, let session = try await sessions.session(token: token) {
            return Visitor(language: language, session: session, formNonce: nil, cookies: [], forms: forms)
        }
        if let nonce = request.cookies[cookies.formName]?.value, (20...128).contains(nonce.count) {
            return Visitor(language: language, session: nil, formNonce: nonce, cookies: [], forms: forms)
        }
        let nonce = SecretToken.generate()
        return Visitor(language: language, session: nil, formNonce: nonce, cookies: [cookies.form(nonce)], forms: forms)
    }

    /// Refuses a form post that another site could have made: a missing or wrong form token, or
    /// a browser that says the post came from another origin.
    func checkForm(_ form: FormFields, visitor: Visitor, request: Request) throws {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" {
            throw WebRejection.forgedForm
        }
        if let origin = request.headers[.origin], origin != "null" {
            let host = request.head.authority ?? ""
            let allowed = [configuration.origin, "http://" + host, "https://" + host]
            guard allowed.contains(origin) else { throw WebRejection.forgedForm }
        }
        let binding: FormTokens.Binding
        if let session = visitor.session {
            binding = .session(session.csrfToken)
        } else if let nonce = request.cookies[cookies.formName]?.value {
            binding = .anonymous(nonce)
        } else {
            throw WebRejection.forgedForm
        }
        guard forms.isValid(form["csrf"], binding: binding) else { throw WebRejection.forgedForm }
    }

    /// Opens a browser session for a customer who just registered or logged in; the anonymous
    /// nonce is dropped (a new session, a new cookie: nothing fixed before login survives it).
    func signIn(userID: UUID, request: Request, context: AppRequestContext) async throws -> [Cookie] {
        let metadata = RequestMetadata(request: request, context: context, trustProxy: trustProxy)
        let (token, _) = try await sessions.start(userID: userID, device: DeviceContext(ip: metadata.validClientIP, userAgent: metadata.userAgent))
        return [cookies.session(token), cookies.expired(cookies.formName)]
    }

    func signOut(request: Request) async throws -> [Cookie] {
        if let token = request.cookies[cookies.sessionName]?.value { try await sessions.end(token: token) }
        return [cookies.expired(cookies.sessionName)]
    }

    func device(_ request: Request, _ context: AppRequestContext) -> DeviceContext {
        let metadata = RequestMetadata(request: request, context: context, trustProxy: trustProxy)
        return DeviceContext(ip: metadata.validClientIP, userAgent: metadata.userAgent)
    }
}

/// Why the website refused a request, before any service was asked.
enum WebRejection: Error, Sendable {
    /// The form token or the origin did not match: 403, nothing done.
    case forgedForm
    /// A page for signed-in visitors, asked for without a session: sent to log in.
    case signInRequired(returnTo: String)
}

/// A posted `application/x-www-form-urlencoded` body, at most 64 KiB.
struct FormFields: Sendable {
    let values: [String: String]

    subscript(_ name: String) -> String? { values[name] }

    /// The value with surrounding white space removed, or nil when empty.
    func trimmed(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Decoded by Hummingbird's form decoder; a body it cannot read is a 400.
    static func read(_ request: Request, context: AppRequestContext) async throws -> FormFields {
        let buffer = try await request.body.collect(upTo: AppRequestContext.maxBodyBytes)
        return try parse(String(buffer: buffer))
    }

    /// The query string read like a form (`+` is a space, as browsers send GET forms and
    /// `URLSearchParams`); a query that does not decode is a 400.
    static func query(_ request: Request) throws -> FormFields {
        try parse(request.uri.query ?? "")
    }

    static func parse(_ body: String) throws -> FormFields {
        do {
            return FormFields(values: try URLEncodedFormDecoder().decode([String: String].self, from: body))
        } catch {
            throw APIError.malformed("form")
        }
    }
}

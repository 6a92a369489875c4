import Foundation
import MathFarmCore

/// Every page of the site and its path in each language. Vietnamese paths are canonical
/// (`/giai/quadratic_equation`); English ones live under `/en` with English words. One table, so
/// links, route registration, `hreflang` alternates and the sitemap cannot disagree.
enum SitePage: Hashable, Sendable {
    case home
    case register
    case login
    case logout
    case account
    case quickSolve
    case problem(String)
    case solution(UUID)
    case solutionStatus(UUID)
    case history
    case wallet
    case topUp
    case deposit(UUID)
    case depositStatus(UUID)
    case depositQR(UUID)
    case pricing
    case guides
    case guide(String)
    case faq

    /// The route kinds, for registering one handler per kind and language.
    enum Kind: CaseIterable, Sendable {
        case home, register, login, logout, account, quickSolve, problem, solution, solutionStatus
        case history, wallet, topUp, deposit, depositStatus, depositQR, pricing, guides, guide, faq
    }

    /// Path segments per language; `:name` marks a parameter.
    static func pattern(_ kind: Kind, _ language: Language) -> String {
        let vi: String, en: String
        switch kind {
        case .home: (vi, en) = ("", "")
        case .register: (vi, en) = ("dang-ky", "register")
        case .login: (vi, en) = ("dang-nhap", "login")
        case .logout: (vi, en) = ("dang-xuat", "logout")
        case .account: (vi, en) = ("tai-khoan", "account")
        case .quickSolve: (vi, en) = ("giai", "solve")
        case .problem: (vi, en) = ("giai/:code", "solve/:code")
        case .solution: (vi, en) = ("loi-giai/:id", "solution/:id")
        case .solutionStatus: (vi, en) = ("loi-giai/:id/trang-thai", "solution/:id/status")
        case .history: (vi, en) = ("lich-su", "history")
        case .wallet: (vi, en) = ("vi-tien", "wallet")
        case .topUp: (vi, en) = ("nap-tien", "top-up")
        case .deposit: (vi, en) = ("nap-tien/:id", "top-up/:id")
        case .depositStatus: (vi, en) = ("nap-tien/:id/trang-thai", "top-up/:id/status")
        case .depositQR: (vi, en) = ("nap-tien/:id/vietqr.svg", "top-up/:id/vietqr.svg")
        case .pricing: (vi, en) = ("bang-gia", "pricing")
        case .guides: (vi, en) = ("huong-dan", "guides")
        case .guide: (vi, en) = ("huong-dan/:slug", "guides/:slug")
        case .faq: (vi, en) = ("hoi-dap", "faq")
        }
        switch language {
        case .vi: return "/" + vi
        case .en: return en.isEmpty ? "/en" : "/en/" + en
        }
    }

    var kind: Kind {
        switch self {
        case .home: return .home
        case .register: return .register
        case .login: return .login
        case .logout: return .logout
        case .account: return .account
        case .quickSolve: return .quickSolve
        case .problem: return .problem
        case .solution: return .solution
        case .solutionStatus: return .solutionStatus
        case .history: return .history
        case .wallet: return .wallet
        case .topUp: return .topUp
        case .deposit: return .deposit
        case .depositStatus: return .depositStatus
        case .depositQR: return .depositQR
        case .pricing: return .pricing
        case .guides: return .guides
        case .guide: return .guide
        case .faq: return .faq
        }
    }

    /// The page's path in `language`, parameters percent-encoded.
    func path(_ language: Language) -> String {
        var path = Self.pattern(kind, language)
        let value: String?
        switch self {
        case .problem(let code): value = code
        case .solution(let id), .solutionStatus(let id), .deposit(let id), .depositStatus(let id), .depositQR(let id): value = id.uuidString.lowercased()
        case .guide(let slug): value = slug
        default: value = nil
        }
        if let value, let range = path.range(of: #":[a-z]+"#, options: .regularExpression) {
            path.replaceSubrange(range, with: Self.encodeSegment(value))
        }
        return path
    }

    /// Pages a visitor must be signed in to see: never cached, never indexed.
    var isPrivate: Bool {
        switch kind {
        case .account, .solution, .solutionStatus, .history, .wallet, .topUp, .deposit, .depositStatus, .depositQR, .logout: return true
        default: return false
        }
    }

    /// RFC 3986 unreserved characters, ASCII only.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    static func encodeSegment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// The language a request path belongs to: `/en` and below is English.
    static func language(ofPath path: String) -> Language {
        path == "/en" || path.hasPrefix("/en/") ? .en : .vi
    }

    /// A local path to send the visitor back to after signing in; anything else (another site,
    /// `//host`, a backslash trick, an over-long value) falls back to nil.
    static func safeReturnPath(_ raw: String?) -> String? {
        guard let raw, (1...1000).contains(raw.count), raw.hasPrefix("/"), !raw.hasPrefix("//"),
              !raw.contains("\\"), !raw.contains(where: { $0.isNewline || $0 == "\0" })
        else { return nil }
        return raw
    }
}

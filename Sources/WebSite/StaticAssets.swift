import CompressNIO
import Crypto
import Foundation
import Hummingbird
import Logging
import MathFarmCore
import NIOCore

/// One file served under `/static/`, held in memory with its gzip form and a content hash.
struct StaticAsset: Sendable {
    let body: ByteBuffer
    let gzipped: ByteBuffer?
    let contentType: String
    /// The first 12 hex digits of the SHA-256 of the body: the `?v=` of links and the ETag.
    let version: String
}

/// The site's own CSS and JavaScript (from the module's resources) and KaTeX (from the Debian
/// directory), read once at start-up. Only files found there are served, so a request path
/// can never reach elsewhere on disk. Links carry `?v=<hash>`: such a request is cacheable for a
/// year, because a changed file gets a new link.
struct StaticAssets: Sendable {
    let files: [String: StaticAsset]

    static let appCSS = "app.css"
    static let appJS = "app.js"
    static let icon = "favicon.svg"
    static let katexJS = "katex/katex.min.js"
    static let katexCSS = "katex/katex.min.css"

    init(katexDirectory: String, logger: Logger) throws {
        var files: [String: StaticAsset] = [:]
        guard let own = Bundle.module.url(forResource: "Static", withExtension: nil) else {
            throw WebSiteError.missingResources("Static")
        }
        for name in [Self.appCSS, Self.appJS, Self.icon] {
            files[name] = try Self.load(own.appendingPathComponent(name))
        }
        let katex = URL(fileURLWithPath: katexDirectory)
        let manager = FileManager.default
        if manager.fileExists(atPath: katex.appendingPathComponent("katex.min.js").path) {
            files[Self.katexJS] = try Self.load(katex.appendingPathComponent("katex.min.js"))
            files[Self.katexCSS] = try Self.load(katex.appendingPathComponent("katex.min.css"))
            let fonts = katex.appendingPathComponent("fonts")
            for name in (try? manager.contentsOfDirectory(atPath: fonts.path)) ?? [] where Self.contentType(of: name) != nil {
                files["katex/fonts/" + name] = try Self.load(fonts.appendingPathComponent(name))
            }
        } else {
            // The pages still work: math falls back to its plain-text form.
            logger.warning("KaTeX not found; math is shown as text", metadata: ["directory": "\(katexDirectory)"])
        }
        self.files = files
    }

    var hasKaTeX: Bool { files[Self.katexJS] != nil }

    /// `/static/<name>?v=<hash>`.
    func url(_ name: String) -> String {
        "/static/" + name + (files[name].map { "?v=" + $0.version } ?? "")
    }

    static func contentType(of name: String) -> String? {
        switch (name as NSString).pathExtension.lowercased() {
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "ttf": return "font/ttf"
        case "svg": return "image/svg+xml"
        default: return nil
        }
    }

    static func load(_ url: URL) throws -> StaticAsset {
        guard let type = contentType(of: url.lastPathComponent) else { throw WebSiteError.missingResources(url.lastPathComponent) }
        let data = try Data(contentsOf: url)
        let body = ByteBuffer(bytes: data)
        let version = SHA256.hash(data: data).prefix(6).map { String(format: "%02x", $0) }.joined()
        let gzipped = type.hasPrefix("text/") ? HTMLResponse.gzip(body) : nil
        return StaticAsset(body: body, gzipped: gzipped, contentType: type, version: version)
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("static/**") { request, context in
            let name = context.parameters.getCatchAll().joined(separator: "/")
            guard let asset = files[name] else { throw HTTPError(.notFound) }
            var headers = HTTPFields()
            let etag = "\"\(asset.version)\""
            headers[.eTag] = etag
            headers[.contentType] = asset.contentType
            headers[.vary] = "Accept-Encoding"
            let pinned = request.uri.queryParameters.get("v") == asset.version
            headers[.cacheControl] = pinned ? "public, max-age=31536000, immutable" : "public, max-age=3600"
            if request.headers[.ifNoneMatch] == etag {
                return Response(status: .notModified, headers: headers)
            }
            if let gzipped = asset.gzipped, HTMLResponse.acceptsGzip(request) {
                headers[.contentEncoding] = "gzip"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzipped))
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
        }
    }
}

enum WebSiteError: Error, CustomStringConvertible {
    case missingResources(String)
    case templateMissing(String)

    var description: String {
        switch self {
        case .missingResources(let name): return "the website's resource '\(name)' is missing from the build"
        case .templateMissing(let name): return "no template named '\(name)'"
        }
    }
}

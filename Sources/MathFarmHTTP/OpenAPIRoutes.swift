import Foundation
import Hummingbird
import MathFarmCore

/// `/openapi.json` and `/openapi.yaml`: the API contract (`OpenAPIDocument`), built once.
struct OpenAPIRoutes: Sendable {
    static let json: Data = (try? OpenAPIDocument.json()) ?? Data("{}".utf8)
    static let yaml: Data = Data(OpenAPIDocument.yaml().utf8)

    func register(on router: Router<AppRequestContext>) {
        router.get("openapi.json") { _, _ in
            JSONBody.rawResponse(Self.json, status: .ok)
        }
        router.get("openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Self.yaml)))
        }
    }
}

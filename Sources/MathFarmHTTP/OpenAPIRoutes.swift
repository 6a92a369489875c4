import Foundation
import Hummingbird
import MathFarmCore
import MathSolvers

/// `/openapi.json` and `/openapi.yaml`: the API contract (`OpenAPIDocument`) for the
/// services' problem types, built once per application.
struct OpenAPIRoutes: Sendable {
    let json: Data
    let yaml: Data

    init(registry: SolverRegistry) {
        json = (try? OpenAPIDocument.json(registry: registry)) ?? Data("{}".utf8)
        yaml = Data(OpenAPIDocument.yaml(registry: registry).utf8)
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("openapi.json") { _, _ in
            JSONBody.rawResponse(json, status: .ok)
        }
        router.get("openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: yaml)))
        }
    }
}

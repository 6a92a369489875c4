import ExactMath
import Foundation
import HummingbirdTesting
import Logging
import MathFarmCore
import MathFarmHTTP
import MathSolvers
import PaymentService
import SolverService
import Testing
@testable import WebSite

/// A problem type declared only here, in one registry entry: the test finds it in the
/// catalogue, the form, the preview, the solution page and the OpenAPI document, and a worker
/// solves it. That is the promise of `ProblemManifest`: a new type touches nothing else.
struct ToyTripleSolver: Solver {
    static let code = "toy_triple"
    static let inputSchema = #"""
    {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["n"],
     "properties": {"n": {"type": "integer", "minimum": -1000, "maximum": 1000}}, "additionalProperties": false}
    """#
    static let outputSchema = #"{"type": "object", "required": ["result", "latex", "steps"]}"#
    static let manifest = ProblemManifest(
        name: .init(vi: "Nhân ba (thử)", en: "Triple (toy)"),
        help: .init(vi: "Nhân một số nguyên với 3.", en: "Multiplies an integer by 3."),
        fields: [ProblemField("n", .integer, label: .init(vi: "Số n", en: "The number n"), hint: .init(vi: "Từ −1000 đến 1000.", en: "From −1000 to 1000."), placeholder: "7")],
        defaultPriceDong: 1234, difficulty: .easy, defaultTimeoutSeconds: 5, presentation: .value,
        resultKinds: ["tripled": .init(vi: "Đã nhân ba.", en: "Tripled.")],
        preview: { data in
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let n = object["n"] as? Int else { return nil }
            return ProblemRendering(latex: "3 \\cdot \(n)", text: "3·\(n)")
        }
    )

    struct Result: Encodable, Sendable {
        let kind = "tripled"
        let result: String
        let latex: String
        let steps: [SolutionStep]
    }

    init() {}

    func validate(json: Data) throws(SolveError) {
        _ = try n(json)
    }

    func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let value = try n(json) * 3
        return Result(result: "\(value)", latex: "\(value)", steps: [SolutionStep(vi: "Nhân với 3.", en: "Multiply by 3.")])
    }

    private func n(_ json: Data) throws(SolveError) -> Int {
        guard let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any], let n = object["n"] as? Int else {
            throw SolveError(code: "invalid_input", vi: "Thiếu n.", en: "n is missing.", field: "n")
        }
        return n
    }
}

@Suite("Problem registry: one entry declares a type")
struct ProblemRegistryTests {
    @Test func aToyTypeReachesEveryPartFromOneEntry() async throws {
        let registry = SolverRegistry(diagnosticsEnabled: false, additional: [RegisteredSolver(ToyTripleSolver())])
        let stack = try await TestStack.make(pipelineSettings(), registry: registry)
        try await withPipeline(on: stack) { pipeline in
            let client = pipeline.client, services = pipeline.services
            #expect(services.solverRegistry.handles("toy_triple"))

            // The catalogue: the row `migrate` installed from the manifest, with its schemas.
            let catalogue = try await client.send(.get, "/api/v1/problems")
            let problems = try #require(catalogue.json["problems"] as? [[String: Any]])
            let toy = try #require(problems.first { $0["code"] as? String == "toy_triple" })
            #expect(toy["name"] as? String == "Nhân ba (thử) / Triple (toy)")
            #expect(toy["price"] as? String == "1234.00")
            #expect(toy["timeout_seconds"] as? Int == 5)
            #expect(((toy["input_schema"] as? [String: Any])?["required"] as? [String]) == ["n"])

            // The OpenAPI document: its input and result schemas as components.
            let document = try await client.send(.get, "/openapi.json")
            let schemas = try #require((document.json["components"] as? [String: Any])?["schemas"] as? [String: Any])
            #expect((schemas["ProblemInput.toy_triple"] as? [String: Any])?["title"] as? String == "Triple (toy)")
            #expect(schemas["ProblemResult.toy_triple"] != nil)

            // The website: the price list, its page with the manifest's field, the free preview.
            let browser = TestBrowser(client: client)
            #expect(try await browser.get("/bang-gia").html.contains("Nhân ba (thử)"))
            let form = try await browser.get("/giai/toy_triple")
            #expect(form.status == 200)
            #expect(form.html.contains("Số n") && form.html.contains(#"name="n""#))
            let preview = try await client.send(.get, "/api/v1/preview?problem=toy_triple&n=7")
            #expect(preview.status == 200)
            #expect(preview.string("latex") == "3 \\cdot 7")
            #expect(try await client.send(.get, "/api/v1/preview?problem=toy_triple&n=5000").status == 422)

            // Bought through the form, solved by a worker that knows only this registry, shown
            // on the customer's solution page.
            #expect(try await browser.register(email: "toy@example.vn").status == 303)
            let userID = try #require(try await services.pools[.user].query("SELECT id FROM users WHERE email = 'toy@example.vn'").collectRows().first?.decode(UUID.self))
            _ = try await services.ledger.credit(userID: userID, amount: Money(dong: 10_000), reference: "fund-\(userID)", reason: "test", changedBy: "test")
            let page = try await browser.get("/giai/toy_triple")
            let fields = ["csrf": try #require(page.formToken), "submission": try #require(page.field("submission")), "n": "7", "action": "solve"]
            let sent = try await browser.post("/giai/toy_triple", form: fields)
            let location = try #require(sent.location)
            let jobID = try #require(UUID(uuidString: String(location.split(separator: "/").last ?? "")))
            #expect(try await services.ledger.balance(of: userID).held == Money(dong: 1234))

            let worker = JobWorker(
                settings: .init(consumer: "toy-worker", visibilityTimeout: .seconds(3), leaseGrace: .milliseconds(500), maxAttempts: 3, reportToSupervisor: false, solverThreads: 1),
                lifecycle: services.jobLifecycle, registry: registry, reader: services.jobQueue, queue: services.jobQueue, logger: stack.logger
            )
            let running = Task { try await worker.run() }
            defer { running.cancel() }
            let deadline = ContinuousClock.now + .seconds(20)
            while try await !services.chargeResolved(jobID), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            running.cancel()
            #expect(try await services.solutionStore.record(jobID)?.status == .completed)
            #expect(try await services.ledger.balance(of: userID).available == Money(dong: 10_000 - 1234))
            let solution = try await browser.get(location)
            #expect(solution.status == 200)
            #expect(solution.html.contains("Đã nhân ba."))
            #expect(solution.html.contains("21"))
            #expect(solution.html.contains("Nhân với 3."))
        }
    }
}

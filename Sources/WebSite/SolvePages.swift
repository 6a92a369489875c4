import Foundation
import Hummingbird
import MathFarmCore
import MathSolvers
import PaymentService
import SolverService
import UserService

/// Solving in the browser: one page per problem type (form, price, live preview, submit),
/// the solution page (waiting, then answer, exact form, decimals and steps), its status for the
/// page's script, and the history with filters and pages.
struct SolvePages: Sendable {
    let pipeline: SolvePipeline
    let catalog: ProblemCatalog
    let registry: SolverRegistry
    let ledger: Ledger
    let settings: SettingsCache
    let renderer: PageRenderer

    // MARK: The problem page

    /// Longest value a link may prefill into the form (a large system fits; the form's post is
    /// bounded by the 64 KiB body limit).
    static let maxPrefill = 60_000

    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Suggestion: Sendable {
        let text: String
        let href: String
    }

    struct FieldView: Sendable {
        let name: String
        let label: String
        let value: String
        let hint: String
        let placeholder: String
        let inputmode: String
        let isInput: Bool
        let isTextarea: Bool
        let isSelect: Bool
        let options: [Option]
        let error: String?
        let suggestion: Suggestion?
    }

    struct GroupView: Sendable {
        let legend: String
        let separator: String?
        let inline: Bool
        let fields: [FieldView]
    }

    struct Link: Sendable {
        let href: String
        let label: String
    }

    struct ProblemView: Sendable {
        let code: String
        let name: String
        let description: String
        let price: String
        let premium: Bool
        let balance: String?
        let insufficient: Bool
        let signedIn: Bool
        let action: String
        let previewURL: String
        let submission: String
        let groups: [GroupView]
        let formError: String?
        let formErrorLink: Link?
        let previewLatex: String
        let previewText: String
        let previewStatus: String
    }

    /// What the form shows besides the typed values.
    struct FormState: Sendable {
        var fieldErrors: [String: String] = [:]
        var suggestion: (field: String, text: String)?
        var formError: String?
        var formErrorLink: Link?
        var preview: ProblemPreview.Rendering?
        var status: HTTPResponse.Status = .ok
    }

    func register(on pages: PageRoutes) {
        pages.get(.problem) { request, context, visitor in
            let (problem, form) = try await problemAndForm(context)
            var values: [String: String] = [:]
            let query = try FormFields.query(request)
            for field in form.fields { if let value = query[field.name] { values[field.name] = String(value.prefix(SolvePages.maxPrefill)) } }
            var state = FormState()
            if !values.isEmpty { state = check(problem: problem, form: form, values: values, language: visitor.language) }
            state.status = .ok
            return try await problemPage(request, context, visitor, problem: problem, form: form, values: values, state: state)
        }
        pages.post(.problem) { request, context, visitor, posted in
            let (problem, form) = try await problemAndForm(context)
            let language = visitor.language
            var values: [String: String] = [:]
            for field in form.fields { if let value = posted[field.name] { values[field.name] = value } }
            var state = check(problem: problem, form: form, values: values, language: language)
            guard posted["action"] != "preview" else {
                return try await problemPage(request, context, visitor, problem: problem, form: form, values: values, state: state)
            }
            guard let session = visitor.session else {
                throw WebRejection.signInRequired(returnTo: SitePage.problem(problem.code).path(language) + "?" + Self.query(values))
            }
            guard await settings.bool("maintenance_mode") != true else {
                state.formError = UIText.text("error503Message", language)
                state.status = .serviceUnavailable
                return try await problemPage(request, context, visitor, problem: problem, form: form, values: values, state: state)
            }
            // The check a submission gets, made first: a refused input is shown at its field
            // (with any "did you mean") and never reaches the ledger.
            guard state.fieldErrors.isEmpty, let input = try? form.input(from: values) else {
                state.fieldErrors = state.fieldErrors.mapValues { $0 + " " + UIText.text("notChargedHint", language) }
                return try await problemPage(request, context, visitor, problem: problem, form: form, values: values, state: state)
            }
            let submission = posted["submission"].flatMap { (20...64).contains($0.count) ? $0 : nil } ?? SecretToken.generate()
            do {
                let id = try await pipeline.submit(session.principal, problem: problem.code, input: input, submission: submission)
                return HTMLResponse.redirect(to: SitePage.solution(id).path(language), context: context)
            } catch let error as APIError where error.status.code < 500 || error.status == .serviceUnavailable {
                state.status = error.status
                if error.code == APIError.insufficientFunds.code {
                    state.formError = UIText.text("insufficientBalance", language)
                    state.formErrorLink = Link(href: SitePage.topUp.path(language), label: UIText.text("topUpNow", language))
                } else if let field = form.field(named: error.details?["field"]) {
                    state.fieldErrors[field] = error.message.text(in: language) + " " + UIText.text("notChargedHint", language)
                } else {
                    state.formError = error.message.text(in: language) + " " + UIText.text("notChargedHint", language)
                }
                return try await problemPage(request, context, visitor, problem: problem, form: form, values: values, state: state)
            }
        }
        pages.get(.solution) { request, context, visitor in
            let id = try PageRoutes.id(context, "solution")
            let session = try visitor.requireSession(returnTo: .solution(id))
            let record = try await pipeline.solution(id, userID: session.userID)
            return try await solutionPage(request, context, visitor, record: record)
        }
        pages.get(.solutionStatus) { request, context, visitor in
            let id = try PageRoutes.id(context, "solution")
            guard let session = visitor.session else { throw APIError.unauthorized }
            let seconds = request.uri.queryParameters.get("wait").flatMap(Int.init).map { min(max($0, 0), 10) } ?? 0
            let record = try await pipeline.solution(id, userID: session.userID, wait: .seconds(seconds))
            return try HTMLResponse.json(PollAnswer(status: record.status.rawValue, terminal: record.status.isTerminal), context: context)
        }
        pages.get(.history) { request, context, visitor in
            let session = try visitor.requireSession(returnTo: .history)
            return try await historyPage(request, context, visitor, session: session)
        }
    }


    static func query(_ values: [String: String]) -> String {
        values.sorted { $0.key < $1.key }.map { key, value in
            key + "=" + (value.addingPercentEncoding(withAllowedCharacters: SitePage.unreserved) ?? "")
        }.joined(separator: "&")
    }

    func problemAndForm(_ context: AppRequestContext) async throws -> (Problem, ProblemForm) {
        guard let code = context.parameters.get("code"), let problem = try await catalog.problem(code: code), problem.isActive,
              let form = ProblemForm(problem: problem, registry: registry) else { throw APIError.notFound("problem") }
        return (problem, form)
    }

    /// The same check a submission gets, for the preview and the field errors.
    func check(problem: Problem, form: ProblemForm, values: [String: String], language: Language) -> FormState {
        var state = FormState()
        let input: JSONValue
        do throws(ProblemForm.FieldError) {
            input = try form.input(from: values)
        } catch {
            state.fieldErrors[error.field] = error.message.text(in: language)
            state.status = .unprocessableContent
            return state
        }
        switch ProblemPreview.check(problem: problem.code, input: input, registry: registry) {
        case .success(let rendering):
            state.preview = rendering
        case .failure(let error):
            state.status = .unprocessableContent
            if let field = form.field(named: error.field) ?? form.fields.first?.name {
                state.fieldErrors[field] = error.message.text(in: language)
            }
            state.suggestion = ProblemPreview.suggestion(problem: problem.code, values: values, form: form, error: error, registry: registry)
        }
        return state
    }

    func problemPage(
        _ request: Request, _ context: AppRequestContext, _ visitor: Visitor, problem: Problem, form: ProblemForm, values: [String: String], state: FormState
    ) async throws -> Response {
        let language = visitor.language
        let premium = visitor.session?.principal.role == "premium_user"
        let price = catalog.price(of: problem, premium: premium)
        let here = SitePage.problem(problem.code).path(language)
        var groups: [GroupView] = []
        var previousWasAlternative = false
        for group in form.groups {
            let fields = group.fields.map { field -> FieldView in
                var options: [Option] = []
                var isSelect = false
                if case .choice(let choices) = field.control {
                    isSelect = true
                    let current = values[field.name] ?? choices.first?.value
                    options = choices.map { Option(value: $0.value, label: $0.label.text(in: language), selected: $0.value == current) }
                }
                var suggestion: Suggestion?
                if let found = state.suggestion, found.field == field.name {
                    var fixed = values
                    fixed[field.name] = found.text
                    suggestion = Suggestion(text: found.text, href: here + "?" + Self.query(fixed))
                }
                return FieldView(
                    name: field.name, label: field.label.text(in: language), value: values[field.name] ?? "", hint: field.hint.text(in: language),
                    placeholder: field.placeholder, inputmode: field.control == .integer ? "numeric" : "text",
                    isInput: !isSelect && field.control != .lines, isTextarea: field.control == .lines, isSelect: isSelect,
                    options: options, error: state.fieldErrors[field.name], suggestion: suggestion
                )
            }
            groups.append(GroupView(
                legend: group.legend.text(in: language), separator: group.isAlternative && previousWasAlternative ? UIText.text("or", language) : nil,
                inline: group.fields.count == 3 && group.fields.allSatisfy { $0.control == .number }, fields: fields
            ))
            previousWasAlternative = group.isAlternative
        }
        // The ledger's own figure: the header's may lag the outbox relay by a tick.
        var balance: Money?
        if let session = visitor.session { balance = try await ledger.balance(of: session.userID).available }
        let view = ProblemView(
            code: problem.code, name: ContentPages.localized(problem.name, language),
            description: ContentPages.localized(problem.description ?? "", language),
            price: Formatting.money(price, language), premium: premium && problem.premiumPrice < problem.price,
            balance: balance.map { Formatting.money($0, language) }, insufficient: balance.map { $0 < price } ?? false,
            signedIn: visitor.isSignedIn, action: here, previewURL: "/api/v1/preview", submission: SecretToken.generate(),
            groups: groups, formError: state.formError, formErrorLink: state.formErrorLink,
            previewLatex: state.preview?.latex ?? "", previewText: state.preview?.text ?? "",
            previewStatus: state.preview == nil ? UIText.text("previewHint", language) : UIText.text("previewOK", language)
        )
        var spec = PageSpec(template: "problem", page: .problem(problem.code), title: view.name + " · MathFarm")
        spec.description = view.description
        spec.math = true
        spec.status = state.status
        spec.hasForm = true
        return try await renderer.render(spec, content: view, visitor: visitor, request: request, context: context)
    }

    // MARK: The solution page

    struct InputLine: Sendable {
        let label: String
        let value: String
    }

    struct SolutionView: Sendable {
        let name: String
        let status: String
        let statusLabel: String
        let createdAt: String
        let cost: String
        let processingTime: String?
        let questionLatex: String?
        let questionText: String
        let inputLines: [InputLine]
        let pending: Bool
        let pendingText: String
        let pollURL: String
        let failure: String?
        let refundText: String
        let completed: Bool
        let summary: String?
        let answers: [SolutionPresentation.Answer]
        let hasSteps: Bool
        let steps: [SolutionPresentation.Step]
        let allLatex: String
        let againHref: String
    }

    func solutionPage(_ request: Request, _ context: AppRequestContext, _ visitor: Visitor, record: SolutionRecord) async throws -> Response {
        let language = visitor.language
        let problem = try await catalog.problem(code: record.problemCode)
        let name = problem.map { ContentPages.localized($0.name, language) } ?? record.problemCode
        let data = (try? JSONBody.encode(record.input)) ?? Data()
        let question = ProblemPreview.render(problem: record.problemCode, data: data, registry: registry)
        var lines: [InputLine] = []
        if case .object(let fields) = record.input {
            let form = problem.flatMap { ProblemForm(problem: $0, registry: registry) }
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                let label = form?.fields.first { $0.name == key }?.label.text(in: language) ?? key
                let text: String
                switch value {
                case .string(let string): text = string
                case .array(let items): text = items.map { if case .string(let s) = $0 { return s } else { return $0.text } }.joined(separator: "; ")
                default: text = value.text
                }
                lines.append(InputLine(label: label, value: String(text.prefix(4000))))
            }
        }
        var presentation: SolutionPresentation?
        if record.status == .completed, let result = record.result {
            presentation = SolutionPresentation(manifest: registry.entry(for: record.problemCode)?.manifest, result: result, language: language)
        }
        // A failed, timed-out or cancelled job's hold is refunded by the pipeline: the ledger
        // says whether that has happened yet.
        var refunded = false
        if record.status.isTerminal, record.status != .completed, let charge = record.chargeID {
            refunded = try await ledger.holdStatuses([charge])[charge]?.status == .refunded
        }
        var failure: String?
        switch record.status {
        case .failed: failure = record.error.map { language == .vi ? $0.vi : $0.en } ?? UIText.text("failedTitle", language)
        case .timeout: failure = record.error.map { language == .vi ? $0.vi : $0.en } ?? UIText.text("timeoutMessage", language)
        case .cancelled: failure = UIText.text("cancelledMessage", language)
        default: break
        }
        let view = SolutionView(
            name: name, status: record.status.rawValue, statusLabel: UIText.text("status." + record.status.rawValue, language),
            createdAt: Formatting.dateTime(record.createdAt, language), cost: Formatting.money(record.cost, language),
            processingTime: record.processingTimeMs.map { "\(Formatting.integer($0, language)) ms" },
            questionLatex: question?.latex, questionText: question?.text ?? "", inputLines: lines,
            pending: !record.status.isTerminal,
            pendingText: UIText.text(record.status == .processing ? "pendingProcessing" : "pendingQueued", language),
            pollURL: SitePage.solutionStatus(record.id).path(language),
            failure: failure, refundText: UIText.text(refunded ? "refunded" : "refundPending", language),
            completed: presentation != nil, summary: presentation?.summary, answers: presentation?.answers ?? [],
            hasSteps: !(presentation?.steps.isEmpty ?? true), steps: presentation?.steps ?? [], allLatex: presentation?.allLatex ?? "",
            againHref: SitePage.problem(record.problemCode).path(language)
        )
        var spec = PageSpec(template: "solution", page: .solution(record.id), title: name + " · MathFarm")
        spec.math = true
        spec.refreshSeconds = record.status.isTerminal ? nil : 3
        return try await renderer.render(spec, content: view, visitor: visitor, request: request, context: context)
    }

    // MARK: History

    struct HistoryItem: Sendable {
        let date: String
        let problem: String
        let status: String
        let statusLabel: String
        let cost: String
        let href: String
    }

    struct HistoryView: Sendable {
        let action: String
        let statuses: [Option]
        let problems: [Option]
        let items: [HistoryItem]
        let hasItems: Bool
        let caption: String
        let pager: Pager?
    }

    func historyPage(_ request: Request, _ context: AppRequestContext, _ visitor: Visitor, session: BrowserSession) async throws -> Response {
        let language = visitor.language
        let query = try FormFields.query(request)
        let status = query["status"].flatMap(SolutionStatus.init(rawValue:))
        let catalogProblems = try await catalog.problems()
        let problemCode = query["problem"].flatMap { code in catalogProblems.contains { $0.code == code } ? code : nil }
        let pageNumber = Pager.pageNumber(query["page"])
        let (items, total) = try await pipeline.list(
            userID: session.userID, status: status, problem: problemCode, limit: Pager.pageSize, offset: (pageNumber - 1) * Pager.pageSize
        )
        let names = Dictionary(catalogProblems.map { ($0.code, ContentPages.localized($0.name, language)) }, uniquingKeysWith: { a, _ in a })
        let all = UIText.text("filterAll", language)
        let statuses = [Option(value: "", label: all, selected: status == nil)] + ["queued", "processing", "completed", "failed", "timeout", "cancelled"].map {
            Option(value: $0, label: UIText.text("status." + $0, language), selected: status?.rawValue == $0)
        }
        let problems = [Option(value: "", label: all, selected: problemCode == nil)] + catalogProblems.map {
            Option(value: $0.code, label: names[$0.code] ?? $0.code, selected: problemCode == $0.code)
        }
        var filters: [String: String] = [:]
        if let status { filters["status"] = status.rawValue }
        if let problemCode { filters["problem"] = problemCode }
        let view = HistoryView(
            action: SitePage.history.path(language), statuses: statuses, problems: problems,
            items: items.map { record in
                HistoryItem(
                    date: Formatting.dateTime(record.createdAt, language), problem: names[record.problemCode] ?? record.problemCode,
                    status: record.status.rawValue, statusLabel: UIText.text("status." + record.status.rawValue, language),
                    cost: Formatting.money(record.cost, language), href: SitePage.solution(record.id).path(language)
                )
            },
            hasItems: !items.isEmpty,
            caption: UIText.text("historyCaption", language).replacingOccurrences(of: "%d", with: Formatting.integer(total, language)),
            pager: Pager(base: SitePage.history.path(language), filters: filters, page: pageNumber, total: total, language: language)
        )
        let spec = PageSpec(template: "history", page: .history, title: UIText.text("historyTitle", language) + " · MathFarm")
        return try await renderer.render(spec, content: view, visitor: visitor, request: request, context: context)
    }
}

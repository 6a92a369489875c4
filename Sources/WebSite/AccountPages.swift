import Foundation
import Hummingbird
import MathFarmCore
import UserService

/// One input of a simple form (`formfield` partial).
struct InputField: Sendable {
    let name: String
    let label: String
    let type: String
    let autocomplete: String
    let value: String
    let hint: String
    let error: String?
    let required: Bool
}

/// Sign up, log in, log out and the account page (profile and password). Account rules and
/// their messages are the user service's (`AccountValidation`, `CustomerAuth`); this file only
/// shows them next to the right field.
struct AccountPages: Sendable {
    let auth: CustomerAuth
    let gate: VisitorGate
    let renderer: PageRenderer

    struct AuthForm: Sendable {
        let action: String
        let next: String
        let fields: [InputField]
        let formError: String?
        let notice: String?
        let loginHref: String
        let registerHref: String
    }

    struct Account: Sendable {
        let action: String
        let email: String
        let since: String
        let role: String
        let notice: String?
        let profileFields: [InputField]
        let profileError: String?
        let passwordFields: [InputField]
        let passwordError: String?
    }

    /// The field an `APIError` names (its `details.field`), if the form has it.
    static func errors(_ error: APIError, fields: [String], language: Language) -> (byField: [String: String], form: String?) {
        let message = error.message.text(in: language)
        if let field = error.details?["field"], fields.contains(field) { return ([field: message], nil) }
        return ([:], message)
    }

    func register(on pages: PageRoutes) {
        pages.get(.register) { request, context, visitor in
            try await registerPage(request, context, visitor, values: [:], errors: [:], formError: nil, status: .ok)
        }
        pages.post(.register) { request, context, visitor, form in
            let registration = CustomerAuth.Registration(
                email: form["email"] ?? "", password: form["password"] ?? "", fullName: form["full_name"] ?? "", phone: form.trimmed("phone")
            )
            do {
                let profile = try await auth.createAccount(registration)
                let cookies = try await gate.signIn(userID: profile.id, request: request, context: context)
                let next = SitePage.safeReturnPath(form["next"]) ?? SitePage.topUp.path(visitor.language)
                return HTMLResponse.redirect(to: next, cookies: cookies, context: context)
            } catch let error as APIError where error.status.code < 500 {
                let (byField, formError) = Self.errors(error, fields: ["email", "full_name", "phone", "password"], language: visitor.language)
                return try await registerPage(request, context, visitor, values: form.values, errors: byField, formError: formError, status: error.status)
            }
        }
        pages.get(.login) { request, context, visitor in
            if visitor.isSignedIn {
                return HTMLResponse.redirect(to: SitePage.safeReturnPath(request.uri.queryParameters.get("next")) ?? SitePage.home.path(visitor.language), context: context)
            }
            let notice = request.uri.queryParameters.get("next") != nil ? UIText.text("loginNeeded", visitor.language) : nil
            return try await loginPage(request, context, visitor, email: "", next: request.uri.queryParameters.get("next"), formError: nil, notice: notice, status: .ok)
        }
        pages.post(.login) { request, context, visitor, form in
            do {
                let profile = try await auth.verifiedCustomer(email: form["email"] ?? "", password: form["password"] ?? "", device: gate.device(request, context))
                let cookies = try await gate.signIn(userID: profile.id, request: request, context: context)
                let next = SitePage.safeReturnPath(form["next"]) ?? SitePage.home.path(visitor.language)
                return HTMLResponse.redirect(to: next, cookies: cookies, context: context)
            } catch let error as APIError where error.status.code < 500 {
                return try await loginPage(
                    request, context, visitor, email: form["email"] ?? "", next: form["next"],
                    formError: error.message.text(in: visitor.language), notice: nil, status: error.status
                )
            }
        }
        pages.get(.logout) { request, context, visitor in
            let spec = PageSpec(template: "logout", page: .logout, title: UIText.text("logoutTitle", visitor.language) + " · MathFarm")
            return try await renderer.render(spec, content: [String: String](), visitor: visitor, request: request, context: context)
        }
        pages.post(.logout) { request, context, visitor, _ in
            let cookies = try await gate.signOut(request: request)
            return HTMLResponse.redirect(to: SitePage.home.path(visitor.language), cookies: cookies, context: context)
        }
        pages.get(.account) { request, context, visitor in
            let session = try visitor.requireSession(returnTo: .account)
            let saved = request.uri.queryParameters.get("saved")
            let notice = saved == "profile" ? UIText.text("profileSaved", visitor.language) : saved == "password" ? UIText.text("passwordChanged", visitor.language) : nil
            return try await accountPage(request, context, visitor, session: session, values: [:], profileErrors: [:], profileError: nil, passwordErrors: [:], passwordError: nil, notice: notice, status: .ok)
        }
        pages.post(.account) { request, context, visitor, form in
            let session = try visitor.requireSession(returnTo: .account)
            let here = SitePage.account.path(visitor.language)
            if form["form"] == "password" {
                do {
                    try await auth.changePassword(
                        userID: session.userID, current: form["current_password"] ?? "", new: form["new_password"] ?? "",
                        keepingBrowserSession: session.id, device: gate.device(request, context)
                    )
                    return HTMLResponse.redirect(to: here + "?saved=password", context: context)
                } catch let error as APIError where error.status.code < 500 {
                    var (byField, formError) = Self.errors(error, fields: ["current_password", "new_password"], language: visitor.language)
                    // The password rules speak of "password": here that is the new one.
                    if error.details?["field"] == "password" { byField["new_password"] = error.message.text(in: visitor.language); formError = nil }
                    return try await accountPage(request, context, visitor, session: session, values: [:], profileErrors: [:], profileError: nil, passwordErrors: byField, passwordError: formError, notice: nil, status: error.status)
                }
            }
            do {
                _ = try await auth.updateProfile(userID: session.userID, fullName: form["full_name"] ?? "", phone: form.trimmed("phone"))
                return HTMLResponse.redirect(to: here + "?saved=profile", context: context)
            } catch let error as APIError where error.status.code < 500 {
                let (byField, formError) = Self.errors(error, fields: ["full_name", "phone"], language: visitor.language)
                return try await accountPage(request, context, visitor, session: session, values: form.values, profileErrors: byField, profileError: formError, passwordErrors: [:], passwordError: nil, notice: nil, status: error.status)
            }
        }
    }

    func registerPage(
        _ request: Request, _ context: AppRequestContext, _ visitor: Visitor, values: [String: String], errors: [String: String], formError: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let t = UIText.table(visitor.language)
        let next = SitePage.safeReturnPath(values["next"] ?? request.uri.queryParameters.get("next")) ?? ""
        let fields = [
            InputField(name: "email", label: t["labelEmail"] ?? "", type: "email", autocomplete: "email", value: values["email"] ?? "", hint: t["hintEmail"] ?? "", error: errors["email"], required: true),
            InputField(name: "full_name", label: t["labelFullName"] ?? "", type: "text", autocomplete: "name", value: values["full_name"] ?? "", hint: "", error: errors["full_name"], required: true),
            InputField(name: "phone", label: t["labelPhone"] ?? "", type: "tel", autocomplete: "tel", value: values["phone"] ?? "", hint: t["hintPhone"] ?? "", error: errors["phone"], required: false),
            InputField(name: "password", label: t["labelPassword"] ?? "", type: "password", autocomplete: "new-password", value: "", hint: t["hintPassword"] ?? "", error: errors["password"], required: true),
        ]
        var spec = PageSpec(template: "register", page: .register, title: (t["registerTitle"] ?? "") + " · MathFarm")
        spec.status = status
        spec.hasForm = true
        spec.description = t["registerLead"]
        let page = AuthForm(
            action: SitePage.register.path(visitor.language), next: next, fields: fields, formError: formError, notice: nil,
            loginHref: SitePage.login.path(visitor.language) + (next.isEmpty ? "" : "?next=" + (next.addingPercentEncoding(withAllowedCharacters: SitePage.unreserved) ?? "")),
            registerHref: ""
        )
        return try await renderer.render(spec, content: page, visitor: visitor, request: request, context: context)
    }

    func loginPage(
        _ request: Request, _ context: AppRequestContext, _ visitor: Visitor, email: String, next: String?, formError: String?, notice: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let t = UIText.table(visitor.language)
        let next = SitePage.safeReturnPath(next) ?? ""
        let fields = [
            InputField(name: "email", label: t["labelEmail"] ?? "", type: "email", autocomplete: "username", value: email, hint: "", error: nil, required: true),
            InputField(name: "password", label: t["labelPassword"] ?? "", type: "password", autocomplete: "current-password", value: "", hint: "", error: nil, required: true),
        ]
        var spec = PageSpec(template: "login", page: .login, title: (t["loginTitle"] ?? "") + " · MathFarm")
        spec.status = status
        spec.hasForm = true
        let page = AuthForm(
            action: SitePage.login.path(visitor.language), next: next, fields: fields, formError: formError, notice: notice, loginHref: "",
            registerHref: SitePage.register.path(visitor.language) + (next.isEmpty ? "" : "?next=" + (next.addingPercentEncoding(withAllowedCharacters: SitePage.unreserved) ?? ""))
        )
        return try await renderer.render(spec, content: page, visitor: visitor, request: request, context: context)
    }

    func accountPage(
        _ request: Request, _ context: AppRequestContext, _ visitor: Visitor, session: BrowserSession, values: [String: String],
        profileErrors: [String: String], profileError: String?, passwordErrors: [String: String], passwordError: String?, notice: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        guard let profile = try await auth.profile(session.userID) else { throw WebRejection.signInRequired(returnTo: SitePage.account.path(visitor.language)) }
        let t = UIText.table(visitor.language)
        let profileFields = [
            InputField(name: "full_name", label: t["labelFullName"] ?? "", type: "text", autocomplete: "name", value: values["full_name"] ?? profile.fullName, hint: "", error: profileErrors["full_name"], required: true),
            InputField(name: "phone", label: t["labelPhone"] ?? "", type: "tel", autocomplete: "tel", value: values["phone"] ?? profile.phone ?? "", hint: t["hintPhone"] ?? "", error: profileErrors["phone"], required: false),
        ]
        let passwordFields = [
            InputField(name: "current_password", label: t["labelCurrentPassword"] ?? "", type: "password", autocomplete: "current-password", value: "", hint: "", error: passwordErrors["current_password"], required: true),
            InputField(name: "new_password", label: t["labelNewPassword"] ?? "", type: "password", autocomplete: "new-password", value: "", hint: t["hintPassword"] ?? "", error: passwordErrors["new_password"], required: true),
        ]
        var spec = PageSpec(template: "account", page: .account, title: (t["accountTitle"] ?? "") + " · MathFarm")
        spec.status = status
        let page = Account(
            action: SitePage.account.path(visitor.language), email: profile.email, since: Formatting.dateTime(profile.createdAt, visitor.language),
            role: t["role." + profile.role] ?? profile.role, notice: notice, profileFields: profileFields, profileError: profileError,
            passwordFields: passwordFields, passwordError: passwordError
        )
        return try await renderer.render(spec, content: page, visitor: visitor, request: request, context: context)
    }
}

import Foundation
import Hummingbird
import MathFarmCore
import UserService

/// Deposit endpoints: the public method list, opening and reading a deposit, and the gateways'
/// notification endpoints (each answers in its gateway's dialect). Return URLs only display.
public struct DepositRoutes: Sendable {
    let deposits: DepositService
    let methods: PaymentMethods
    let auth: CustomerAuth
    let trustProxy: Bool
    /// Where a browser coming back from a gateway is sent (the website's deposit page); without
    /// it the return URLs answer JSON.
    let browserReturn: (@Sendable (Deposit, Request) -> String)?

    public init(
        deposits: DepositService, methods: PaymentMethods, auth: CustomerAuth, trustProxy: Bool,
        browserReturn: (@Sendable (Deposit, Request) -> String)? = nil
    ) {
        self.deposits = deposits
        self.methods = methods
        self.auth = auth
        self.trustProxy = trustProxy
        self.browserReturn = browserReturn
    }

    struct MethodList: Encodable {
        let methods: [PaymentMethod]
    }

    struct VNPayAnswer: Encodable {
        let RspCode: String
        let Message: String
    }

    struct ZaloPayAnswer: Encodable {
        let return_code: Int
        let return_message: String
    }

    struct BankAnswer: Encodable {
        let error: Int
        let message: String
        let code: String
    }

    public func register(on api: RouterGroup<AppRequestContext>) {
        api.get("payment-methods") { _, _ in
            try JSONBody.response(MethodList(methods: try await methods.active()))
        }
        api.post("deposits") { request, context in
            let principal = try await auth.authenticate(bearer: RequestMetadata.bearerToken(request))
            let key = try IdempotencyStore.key(from: request)
            let raw = try await JSONBody.bytes(of: request)
            let client = RequestMetadata(request: request, context: context, trustProxy: trustProxy)
            return try await deposits.create(userID: principal.userID, body: raw, clientIP: client.clientIP, idempotencyKey: key).response
        }
        api.get("deposits/:id") { request, context in
            let principal = try await auth.authenticate(bearer: RequestMetadata.bearerToken(request))
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("deposit") }
            return try JSONBody.response(try await deposits.deposit(id: id, userID: principal.userID))
        }
        api.get("payments/vnpay/ipn") { request, _ in
            guard deposits.isEnabled(.vnpay) else { throw APIError.gatewayDisabled }
            let answer = await deposits.vnpayIPN(rawQuery: request.uri.query ?? "")
            return try JSONBody.response(VNPayAnswer(RspCode: answer.rawValue, Message: answer.message))
        }
        api.get("payments/vnpay/return") { request, _ in
            // Display only: the IPN is what changes the deposit.
            try await returnPage(reference: VNPayProtocol.parseQuery(request.uri.query ?? "")?["vnp_TxnRef"], request: request)
        }
        api.get("payments/momo/return") { request, _ in
            try await returnPage(reference: VNPayProtocol.parseQuery(request.uri.query ?? "")?["orderId"], request: request)
        }
        api.get("payments/zalopay/return") { request, _ in
            // apptransid is "yyMMdd_<reference>".
            let transID = VNPayProtocol.parseQuery(request.uri.query ?? "")?["apptransid"]
            return try await returnPage(reference: transID.flatMap { $0.split(separator: "_").last.map(String.init) }, request: request)
        }
        api.post("payments/momo/ipn") { request, _ in
            guard deposits.isEnabled(.momo) else { throw APIError.gatewayDisabled }
            let status = await deposits.momoIPN(body: try await JSONBody.bytes(of: request))
            return Response(status: HTTPResponse.Status(code: status))
        }
        api.post("payments/zalopay/callback") { request, _ in
            guard deposits.isEnabled(.zalopay) else { throw APIError.gatewayDisabled }
            let (code, message) = await deposits.zaloPayCallback(body: try await JSONBody.bytes(of: request))
            return try JSONBody.response(ZaloPayAnswer(return_code: code, return_message: message))
        }
        api.post("payments/bank/webhook") { request, _ in
            guard deposits.isEnabled(.bankWebhook) else { throw APIError.gatewayDisabled }
            let (status, code, description) = await deposits.bankWebhook(body: try await JSONBody.bytes(of: request))
            return try JSONBody.response(BankAnswer(error: code == "00" ? 0 : 1, message: description, code: code), status: HTTPResponse.Status(code: status))
        }
    }

    struct ReturnView: Encodable {
        let reference: String
        let status: String
    }

    /// A browser (it asks for HTML) goes on to the website's page of the deposit; other
    /// clients get the status as JSON.
    private func returnPage(reference: String?, request: Request) async throws -> Response {
        guard let reference, let deposit = try await deposits.ledger.deposit(reference: reference) else { throw APIError.notFound("deposit") }
        if let browserReturn, request.headers[.accept]?.contains("text/html") == true {
            return Response(status: .seeOther, headers: [.location: browserReturn(deposit, request), .cacheControl: "no-store"])
        }
        return try JSONBody.response(ReturnView(reference: reference, status: deposit.status.rawValue))
    }
}

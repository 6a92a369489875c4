import Foundation
import PaymentService
import Testing

/// Every verified vector of research/payments.md §6, reproduced exactly.
@Suite("payment gateway protocols")
struct GatewayProtocolTests {
    /// A gateway without a key accepts nothing, not even a signature made with the empty key
    /// (which anybody can compute).
    @Test func noKeyVerifiesNothing() {
        var fields = ["vnp_TxnRef": "MF1", "vnp_Amount": "100000"]
        fields["vnp_SecureHash"] = VNPayProtocol.sign(fields, secret: "")
        #expect(!VNPayProtocol.verify(fields, secret: nil) && !VNPayProtocol.verify(fields, secret: ""))
        let data = #"{"app_trans_id":"x"}"#
        #expect(!ZaloPayProtocol.verifyCallback(data: data, mac: GatewaySignature.hmacSHA256(data, key: ""), key2: nil))
        #expect(!ZaloPayProtocol.verifyCallback(data: data, mac: GatewaySignature.hmacSHA256(data, key: ""), key2: ""))
        let payload: [String: PayOSWebhook.JSONScalar] = [:]
        #expect(!PayOSWebhook.verify(payload, signature: GatewaySignature.hmacSHA256(PayOSWebhook.signatureInput(payload), key: ""), checksumKey: nil))
        #expect(GatewaySignature.usable("") == nil && GatewaySignature.usable(nil) == nil && GatewaySignature.usable("k") == "k")
    }

    @Test func vnpayIPNFixtureWithEncoding() throws {
        // V2: lehuygiang28/vnpay fixture, key "test_secret"; spaces → '+', ':' → %3A.
        var fields = [
            "vnp_Amount": "1000000", "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14422574", "vnp_CardType": "ATM",
            "vnp_OrderInfo": "Thanh toan don hang 2024-05-21T02:17:31.249Z", "vnp_PayDate": "20240521091806", "vnp_ResponseCode": "00",
            "vnp_TmnCode": "TEST_TMN_CODE", "vnp_TransactionNo": "14422574", "vnp_TransactionStatus": "00", "vnp_TxnRef": "1716257871703",
        ]
        #expect(VNPayProtocol.canonicalString(fields) == "vnp_Amount=1000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14422574&vnp_CardType=ATM&vnp_OrderInfo=Thanh+toan+don+hang+2024-05-21T02%3A17%3A31.249Z&vnp_PayDate=20240521091806&vnp_ResponseCode=00&vnp_TmnCode=TEST_TMN_CODE&vnp_TransactionNo=14422574&vnp_TransactionStatus=00&vnp_TxnRef=1716257871703")
        #expect(VNPayProtocol.sign(fields, secret: "test_secret") == "649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361dbf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895")
        fields["vnp_ResponseCode"] = "99"
        #expect(VNPayProtocol.sign(fields, secret: "test_secret") == "503194f6d93b57b357b2d1d09742565e67e86d771352c5dca4fc8d39df3d392c6b3809add9405f97cfb9631f445e36c80656cfbf47eac67d97fa165865c13e1b")
    }

    @Test func vnpayVerifiesTheRawQueryAndRejectsTampering() throws {
        let raw = "vnp_Amount=1000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14422574&vnp_CardType=ATM&vnp_OrderInfo=Thanh+toan+don+hang+2024-05-21T02%3A17%3A31.249Z&vnp_PayDate=20240521091806&vnp_ResponseCode=00&vnp_TmnCode=TEST_TMN_CODE&vnp_TransactionNo=14422574&vnp_TransactionStatus=00&vnp_TxnRef=1716257871703&vnp_SecureHash=649982421BEB422556A1374713C74E58E716ECBD05007C0C0E1F7EFFDFAF361DBF146889CA446139AFE11B9954C4D5C486E99E3B86FCFAB6957F29EB0BE72895"
        let fields = try #require(VNPayProtocol.parseQuery(raw))
        #expect(fields["vnp_OrderInfo"] == "Thanh toan don hang 2024-05-21T02:17:31.249Z")
        #expect(VNPayProtocol.verify(fields, secret: "test_secret"))
        let tampered = try #require(VNPayProtocol.parseQuery(raw.replacingOccurrences(of: "vnp_Amount=1000000", with: "vnp_Amount=9000000")))
        #expect(!VNPayProtocol.verify(tampered, secret: "test_secret"))
        #expect(!VNPayProtocol.verify(fields, secret: "another_secret"))
        #expect(VNPayProtocol.parseQuery("vnp_Amount=%ZZ") == nil)
    }

    @Test func vnpayEncodingAndTime() {
        #expect(VNPayProtocol.urlencode("a b!'()*~&=é") == "a+b%21%27%28%29%2A%7E%26%3D%C3%A9")
        // 2024-05-21T02:17:31Z is 09:17:31 in Ho Chi Minh City.
        #expect(VNPayProtocol.timestamp(Date(timeIntervalSince1970: 1_716_257_851)) == "20240521091731")
    }

    @Test func zaloPayCreateAndCallbackMACs() {
        // Z1: official docs, app 553, key1.
        let input = ZaloPayProtocol.createMACInput(appID: 553, appTransID: "200904_000234", appUser: "user123", amount: 10000, appTime: 1_599_202_366_026, embedData: "{}", item: "[]")
        #expect(input == "553|200904_000234|user123|10000|1599202366026|{}|[]")
        #expect(GatewaySignature.hmacSHA256(input, key: "9phuAOYhan4urywHTh0ndEXiV3pKHr5Q") == "7e95836a9feace32458f23416feea423172ef0a098f27a668a1e10788b5a6838")
        // Z2: the callback MAC over the raw data string, key2 of app 2553.
        let data = #"{"app_id":2553,"app_trans_id":"200904_2553_1598435687208","app_time":1599189392817,"app_user":"demo","amount":10000,"embed_data":"{\"merchantinfo\":\"embeddata123\",\"promotioninfo\":\"\"}","item":"[{\"itemid\":\"knb\",\"itemname\":\"kim nguyen bao\",\"itemprice\":198400,\"itemquantity\":1}]","zp_trans_id":200904000000389,"server_time":1599189413498,"channel":38,"merchant_user_id":"7ZMSl3nEg5sOUJzOLSoUFT8xKNQVaLOLXHB--8Eytqc","user_fee_amount":0,"discount_amount":0}"#
        #expect(ZaloPayProtocol.verifyCallback(data: data, mac: "d8d33baf449b31d7f9b94fa50d7c942c08cd4d83f28fa185557da21acb104f67", key2: "kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz"))
        #expect(!ZaloPayProtocol.verifyCallback(data: data.replacingOccurrences(of: "10000", with: "10001"), mac: "d8d33baf449b31d7f9b94fa50d7c942c08cd4d83f28fa185557da21acb104f67", key2: "kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz"))
    }

    @Test func vietQRCRCsFromTheSpecAndZaloPay() {
        #expect(VietQR.crc("123456789") == "29B1")
        let vectors = [
            "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E",
            "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52",
            "00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN63049E6F",
            "00020101021226520010vn.zalopay0203001010627000503173916460741942585138620010A00000072701320006970454011899ZP23237O000015450208QRIBFTTA5204739953037045405690005802VN62210817391646074194258516304766E",
        ]
        for vector in vectors { #expect(VietQR.isValid(vector), "\(vector.suffix(8))") }
        // Our builder reproduces the NAPAS dynamic-account example field for field.
        #expect(VietQR.payload(bankBIN: "970403", account: "0011012345678", amount: 180_000, purpose: "thanh toan don hang", billNumber: "NPS6869") == vectors[0])
        #expect(!VietQR.isValid(String(vectors[0].dropLast()) + "F"))
    }

    @Test func payOSWebhookSignature() throws {
        // P1: payOS docs.
        let json = #"{"orderCode":123,"amount":3000,"description":"VQRIO123","accountNumber":"12345678","reference":"TF230204212323","transactionDateTime":"2023-02-04 18:25:00","currency":"VND","paymentLinkId":"124c33293c43417ab7879e14c8d9eb18","code":"00","desc":"Thành công","counterAccountBankId":"","counterAccountBankName":"","counterAccountName":"","counterAccountNumber":"","virtualAccountName":"","virtualAccountNumber":""}"#
        let data = try JSONDecoder().decode([String: PayOSWebhook.JSONScalar].self, from: Data(json.utf8))
        #expect(PayOSWebhook.signatureInput(data) == "accountNumber=12345678&amount=3000&code=00&counterAccountBankId=&counterAccountBankName=&counterAccountName=&counterAccountNumber=&currency=VND&desc=Thành công&description=VQRIO123&orderCode=123&paymentLinkId=124c33293c43417ab7879e14c8d9eb18&reference=TF230204212323&transactionDateTime=2023-02-04 18:25:00&virtualAccountName=&virtualAccountNumber=")
        #expect(PayOSWebhook.verify(data, signature: "412e915d2871504ed31be63c8f62a149a4410d34c4c42affc9006ef9917eaa03", checksumKey: "1a54716c8f0efb2744fb28b6e38b25da7f67a925d98bc1c18bd8faaecadd7675"))
    }

    @Test func momoSignatureStringsFollowTheDocumentedOrder() {
        // No public vector with a public secret exists (research §6 M2): the field order is tested.
        let create = MoMoProtocol.CreateRequest(partnerCode: "MOMO", requestId: "r1", amount: 50_000, orderId: "o1", orderInfo: "Nap tien", redirectUrl: "https://x/r", ipnUrl: "https://x/i")
        #expect(MoMoProtocol.createSignatureInput(create, accessKey: "F8BBA842ECF85") == "accessKey=F8BBA842ECF85&amount=50000&extraData=&ipnUrl=https://x/i&orderId=o1&orderInfo=Nap tien&partnerCode=MOMO&redirectUrl=https://x/r&requestId=r1&requestType=captureWallet")
        let ipn = MoMoProtocol.Notification(partnerCode: "MOMO", orderId: "o1", requestId: "r1", amount: 50_000, orderInfo: "Nạp tiền", orderType: "momo_wallet", transId: 4_088_878_653, resultCode: 0, message: "Successful.", payType: "qr", responseTime: 1_721_720_663_942, extraData: "", signature: "")
        let input = MoMoProtocol.notificationSignatureInput(ipn, accessKey: "F8BBA842ECF85")
        #expect(input == "accessKey=F8BBA842ECF85&amount=50000&extraData=&message=Successful.&orderId=o1&orderInfo=Nạp tiền&orderType=momo_wallet&partnerCode=MOMO&payType=qr&requestId=r1&responseTime=1721720663942&resultCode=0&transId=4088878653")
        var signed = ipn
        signed.signature = GatewaySignature.hmacSHA256(input, key: "K951B6PE1waDMi640xX08PD3vg6EkVlz")
        #expect(MoMoProtocol.verify(signed, accessKey: "F8BBA842ECF85", secretKey: "K951B6PE1waDMi640xX08PD3vg6EkVlz"))
        signed.amount = 500_000
        #expect(!MoMoProtocol.verify(signed, accessKey: "F8BBA842ECF85", secretKey: "K951B6PE1waDMi640xX08PD3vg6EkVlz"))
        #expect(MoMoProtocol.querySignatureInput(accessKey: "A", orderId: "o", partnerCode: "P", requestId: "q") == "accessKey=A&orderId=o&partnerCode=P&requestId=q")
    }

    @Test func constantTimeHexCompare() {
        #expect(GatewaySignature.hexEquals("ABcd", "abCD"))
        #expect(!GatewaySignature.hexEquals("abcd", "abce"))
        #expect(!GatewaySignature.hexEquals("abcd", "abcdab"))
        #expect(!GatewaySignature.hexEquals("zz", "zz"))
        #expect(!GatewaySignature.hexEquals("", ""))
    }
}

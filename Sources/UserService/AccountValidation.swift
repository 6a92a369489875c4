import Foundation
import MathFarmCore

/// Input rules for customer accounts. The limits are part of the public contract (README).
public enum AccountValidation {
    public static let maxEmailLength = 255
    public static let minPasswordLength = 10
    public static let maxPasswordLength = 72  // bcrypt reads at most 72 bytes; longer would be silently truncated
    public static let maxNameLength = 255
    public static let maxPhoneLength = 20

    /// Trimmed and lower-cased: addresses differing only in case are one account.
    public static func normalizedEmail(_ raw: String) throws -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard email.count <= maxEmailLength else { throw APIError.tooLong("email", limit: maxEmailLength) }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        let allowedLocal = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-")
        let allowedDomain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard parts.count == 2,
              let local = parts.first, let domain = parts.last,
              (1...64).contains(local.count), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
              local.unicodeScalars.allSatisfy(allowedLocal.contains),
              domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
              domain.unicodeScalars.allSatisfy(allowedDomain.contains),
              domain.split(separator: ".").allSatisfy({ !$0.hasPrefix("-") && !$0.hasSuffix("-") && $0.count <= 63 })
        else {
            throw APIError.invalidField("email", vi: "Địa chỉ email không hợp lệ.", en: "The email address is not valid.")
        }
        return email
    }

    /// Password policy: 10 to 72 bytes, at least one letter and one digit, not the email itself.
    public static func checkPassword(_ password: String, email: String) throws {
        let bytes = password.utf8.count
        guard bytes >= minPasswordLength else {
            throw APIError(
                .unprocessableContent, code: "weak_password",
                vi: "Mật khẩu phải có ít nhất \(minPasswordLength) ký tự.",
                en: "The password must be at least \(minPasswordLength) characters long.",
                details: ["field": "password"]
            )
        }
        guard bytes <= maxPasswordLength else { throw APIError.tooLong("password", limit: maxPasswordLength) }
        guard password.contains(where: \.isLetter), password.contains(where: \.isNumber) else {
            throw APIError(
                .unprocessableContent, code: "weak_password",
                vi: "Mật khẩu phải có cả chữ và số.", en: "The password must contain both letters and digits.",
                details: ["field": "password"]
            )
        }
        guard password.lowercased() != email else {
            throw APIError(
                .unprocessableContent, code: "weak_password",
                vi: "Mật khẩu không được trùng email.", en: "The password must not be the email address.",
                details: ["field": "password"]
            )
        }
    }

    public static func fullName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw APIError.missingField("full_name") }
        // Scalars, as the VARCHAR(255) column counts them (a name typed with combining marks has more).
        guard FieldRules.length(name) <= maxNameLength else { throw APIError.tooLong("full_name", limit: maxNameLength) }
        return name
    }

    public static func phone(_ raw: String?) throws -> String? {
        guard let raw else { return nil }
        let phone = raw.trimmingCharacters(in: .whitespaces)
        if phone.isEmpty { return nil }
        guard phone.count <= maxPhoneLength else { throw APIError.tooLong("phone", limit: maxPhoneLength) }
        let digits = phone.hasPrefix("+") ? phone.dropFirst() : Substring(phone)
        guard digits.count >= 8, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == " ") }) else {
            throw APIError.invalidField("phone", vi: "Số điện thoại không hợp lệ.", en: "The phone number is not valid.")
        }
        return phone
    }
}

import Foundation
import MathFarmCore
import Testing
import UserService

@Suite("Money")
struct MoneyTests {
    @Test func parsesDecimalStrings() {
        #expect(Money(parsing: "10000")?.minorUnits == 1_000_000)
        #expect(Money(parsing: "-2500.5")?.minorUnits == -250_050)
        #expect(Money(parsing: "12.34")?.minorUnits == 1234)
        #expect(Money(parsing: "0.07")?.minorUnits == 7)
    }

    @Test(arguments: ["", "1.", ".5", "1.234", "1e5", "abc", "12 34", "99999999999999", "--1", "0x10"])
    func rejectsMalformed(_ text: String) {
        #expect(Money(parsing: text) == nil)
    }

    @Test func formatsWithTwoDecimals() {
        #expect(Money(minorUnits: 1_000_000).description == "10000.00")
        #expect(Money(minorUnits: -5).description == "-0.05")
        #expect(Money(minorUnits: 1234).description == "12.34")
    }

    @Test func decodesIntegersAndStringsButNotFractionalNumbers() throws {
        struct Box: Decodable { let amount: Money }
        let decoder = JSONDecoder()
        #expect(try decoder.decode(Box.self, from: Data(#"{"amount":5000}"#.utf8)).amount == Money(dong: 5000))
        #expect(try decoder.decode(Box.self, from: Data(#"{"amount":"5000.25"}"#.utf8)).amount.minorUnits == 500_025)
        #expect(throws: DecodingError.self) { try decoder.decode(Box.self, from: Data(#"{"amount":50.5}"#.utf8)) }
    }
}

@Suite("Language negotiation")
struct LanguageTests {
    @Test func queryWins() {
        #expect(Language.negotiate(query: "en", acceptLanguage: "vi", default: .vi) == .en)
    }

    @Test func acceptLanguageWeights() {
        #expect(Language.negotiate(query: nil, acceptLanguage: "fr;q=1, en;q=0.5, vi;q=0.8", default: .en) == .vi)
        #expect(Language.negotiate(query: nil, acceptLanguage: "en-US,en;q=0.9", default: .vi) == .en)
        #expect(Language.negotiate(query: nil, acceptLanguage: "de", default: .vi) == .vi)
        #expect(Language.negotiate(query: nil, acceptLanguage: nil, default: .en) == .en)
    }
}

@Suite("SQL script splitting")
struct SQLScriptTests {
    @Test func splitsOnSemicolonsOutsideQuotesCommentsAndDollarBodies() {
        let script = """
            -- leading comment; with a semicolon
            CREATE TABLE a (x text DEFAULT 'a;b''c');
            CREATE FUNCTION f() RETURNS trigger AS $$
            BEGIN NEW.x = 'y;'; RETURN NEW; END;
            $$ LANGUAGE plpgsql;
            /* block; comment */ SELECT "we;ird" FROM a;
            CREATE FUNCTION g() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql
            """
        let statements = SQLScript.statements(script)
        #expect(statements.count == 4)
        #expect(statements[0].hasSuffix("DEFAULT 'a;b''c')"))
        #expect(statements[1].contains("RETURN NEW; END;\n$$ LANGUAGE plpgsql"))
        #expect(statements[2].hasSuffix(#"SELECT "we;ird" FROM a"#))
        #expect(statements[3].contains("$body$ SELECT 1; $body$"))
    }

    @Test func dropsEmptyAndCommentOnlyStatements() {
        #expect(SQLScript.statements(";;\n-- only a comment\n;").isEmpty)
    }

    @Test func positionalParametersAreNotDollarQuotes() {
        #expect(SQLScript.statements("SELECT $1; SELECT 2").count == 2)
    }
}

@Suite("Account validation")
struct AccountValidationTests {
    @Test func normalizesEmail() throws {
        #expect(try AccountValidation.normalizedEmail("  Student@Example.VN ") == "student@example.vn")
    }

    @Test(arguments: ["plain", "a@b", "@x.vn", "a..b@x.vn", "a@x..vn", "a b@x.vn", "a@-x.vn", String(repeating: "a", count: 250) + "@x.vn"])
    func rejectsBadEmails(_ email: String) {
        #expect(throws: APIError.self) { try AccountValidation.normalizedEmail(email) }
    }

    @Test func passwordPolicy() throws {
        try AccountValidation.checkPassword("correct-horse-1", email: "a@b.vn")
        #expect(throws: APIError.self) { try AccountValidation.checkPassword("short1", email: "a@b.vn") }
        #expect(throws: APIError.self) { try AccountValidation.checkPassword("onlyletterslong", email: "a@b.vn") }
        #expect(throws: APIError.self) { try AccountValidation.checkPassword(String(repeating: "a1", count: 40), email: "a@b.vn") }
    }
}

@Suite("Configuration")
struct ConfigurationTests {
    @Test func defaultsPointEveryDatabaseAtOneServer() throws {
        let configuration = try MathFarmConfiguration(environment: EnvironmentReader(["MATHFARM_ENV": "development"]))
        #expect(configuration.databaseURL(.payment).database == "payment_service_db")
        #expect(configuration.databaseURL(.user).port == 55432)
    }

    @Test func perDatabaseURLOverrides() throws {
        let configuration = try MathFarmConfiguration(environment: EnvironmentReader([
            "MATHFARM_ENV": "development",
            "MATHFARM_PAYMENT_DB_URL": "postgres://pay:secret@db.internal:6432/money",
        ]))
        let url = configuration.databaseURL(.payment)
        #expect(url.host == "db.internal" && url.port == 6432 && url.database == "money" && url.password == "secret")
        #expect(!url.description.contains("secret"))
    }

    /// The worker's linger: off unless asked for, and bounded, so a typo cannot stall batches.
    @Test func workerLingerIsOffByDefaultAndBounded() throws {
        let plain = try MathFarmConfiguration(environment: EnvironmentReader(["MATHFARM_ENV": "development"]))
        #expect(plain.jobs.workerLinger == .zero)
        let lingering = try MathFarmConfiguration(environment: EnvironmentReader(["MATHFARM_ENV": "development", "MATHFARM_WORKER_LINGER_MS": "5"]))
        #expect(lingering.jobs.workerLinger == .milliseconds(5))
        for bad in ["-1", "51", "soon"] {
            #expect(throws: ConfigurationError.self) {
                try MathFarmConfiguration(environment: EnvironmentReader(["MATHFARM_ENV": "development", "MATHFARM_WORKER_LINGER_MS": bad]))
            }
        }
    }

    @Test func refusesShortJWTSecret() {
        #expect(throws: ConfigurationError.self) {
            try MathFarmConfiguration(environment: EnvironmentReader(["MATHFARM_ENV": "development", "MATHFARM_JWT_SECRET": "short"]))
        }
    }
}

@Suite("Date fields")
struct DateFieldTests {
    /// Schemathesis found this: an offset no time zone has left Foundation's formatter without a
    /// time zone, and it trapped, taking the API down. Now it is a 422 like any bad date.
    @Test func impossibleOffsetsAreRefusedNotFatal() throws {
        for text in ["3953-05-23T20:07:10+21:37", "2026-01-01T00:00:00-19:00", "2026-01-01T00:00:00+07:99"] {
            #expect(throws: APIError.self) { try FieldRules.date(text, field: "to") }
        }
        let date = try FieldRules.date("2026-12-07T08:00:00+07:00", field: "from")
        #expect(date == Date(timeIntervalSince1970: 1_796_605_200))
        #expect(throws: APIError.self) { try FieldRules.date("2026-02-30", field: "from") }
    }
}

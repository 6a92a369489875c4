import Foundation
import MathFarmCore

/// The demo content `mathfarm seed-demo` installs, in Vietnamese with English translations:
/// a guide each for quadratic equations, linear systems and derivatives, and FAQs on top-up,
/// pricing and refunds. Idempotent (by slug and question).
public enum DemoContent {
    struct Guide {
        let slug: String
        let vi: (title: String, excerpt: String, body: String)
        let en: (title: String, excerpt: String, body: String)
    }

    static let guides = [
        Guide(
            slug: "huong-dan-phuong-trinh-bac-hai",
            vi: ("Giải phương trình bậc hai", "Biệt thức, nghiệm thực, nghiệm kép và nghiệm phức.",
                 "Phương trình ax² + bx + c = 0 (a ≠ 0) có biệt thức Δ = b² − 4ac. Δ > 0: hai nghiệm thực x = (−b ± √Δ)/(2a); Δ = 0: nghiệm kép x = −b/(2a); Δ < 0: hai nghiệm phức liên hợp. MathFarm trả nghiệm chính xác, căn thức đã rút gọn, kèm số thập phân tùy số chữ số bạn chọn."),
            en: ("Solving quadratic equations", "The discriminant, real, double and complex roots.",
                 "The equation ax² + bx + c = 0 (a ≠ 0) has discriminant Δ = b² − 4ac. Δ > 0: two real roots x = (−b ± √Δ)/(2a); Δ = 0: a double root x = −b/(2a); Δ < 0: two complex conjugate roots. MathFarm gives the roots exactly, radicals simplified, with decimals to the digits you ask for.")
        ),
        Guide(
            slug: "huong-dan-he-phuong-trinh-tuyen-tinh",
            vi: ("Hệ phương trình tuyến tính", "Khử Gauss, hạng, vô nghiệm và vô số nghiệm.",
                 "Viết hệ dưới dạng ma trận mở rộng [A | b] rồi khử Gauss–Jordan. Nếu rank(A) < rank([A | b]) hệ vô nghiệm; nếu rank(A) bằng số ẩn hệ có nghiệm duy nhất; còn lại hệ có vô số nghiệm, viết theo tham số. Gửi {\"equations\": [\"x + 2y = 5\", \"3x - y = 1\"]} cho dạng bài system_equations."),
            en: ("Systems of linear equations", "Gaussian elimination, rank, no solution and infinitely many.",
                 "Write the system as the augmented matrix [A | b] and eliminate (Gauss–Jordan). If rank(A) < rank([A | b]) there is no solution; if rank(A) equals the number of unknowns there is exactly one; otherwise infinitely many, written with parameters. Send {\"equations\": [\"x + 2y = 5\", \"3x - y = 1\"]} to the system_equations problem.")
        ),
        Guide(
            slug: "huong-dan-dao-ham",
            vi: ("Đạo hàm", "Các quy tắc tổng, tích, thương và dây chuyền.",
                 "Đạo hàm của tổng là tổng các đạo hàm; (uv)' = u'v + uv'; (u/v)' = (u'v − uv')/v²; (f(g(x)))' = f'(g(x))·g'(x). Với dạng f(x)^g(x) dùng đạo hàm logarit. MathFarm nêu quy tắc đã dùng ở từng bước."),
            en: ("Derivatives", "The sum, product, quotient and chain rules.",
                 "The derivative of a sum is the sum of the derivatives; (uv)' = u'v + uv'; (u/v)' = (u'v − uv')/v²; (f(g(x)))' = f'(g(x))·g'(x). For f(x)^g(x) use logarithmic differentiation. MathFarm names the rule used at every step.")
        ),
    ]

    static let faqs: [(vi: (String, String), en: (String, String), tags: [String])] = [
        (("Nạp tiền vào tài khoản thế nào?", "Chọn VNPay, MoMo, ZaloPay hoặc chuyển khoản/VietQR, nhập số tiền từ 10.000 đến 50.000.000 VND. Số dư tăng ngay khi cổng thanh toán xác nhận."),
         ("How do I top up my balance?", "Choose VNPay, MoMo, ZaloPay or a bank transfer/VietQR and enter 10,000 to 50,000,000 VND. Your balance rises as soon as the gateway confirms."), ["top-up", "payment"]),
        (("Giá mỗi bài là bao nhiêu?", "Mỗi dạng bài có giá riêng (xem danh mục bài). Tài khoản premium được giảm giá. Tiền chỉ bị trừ khi bài được giải xong."),
         ("How much does a problem cost?", "Each problem type has its price (see the catalog). Premium accounts get a discount. You pay only when the problem is solved."), ["pricing"]),
        (("Khi nào tôi được hoàn tiền?", "Nếu bài không giải được, quá thời gian hoặc bạn hủy khi bài còn trong hàng đợi, số tiền giữ chỗ được hoàn ngay vào số dư."),
         ("When do I get a refund?", "If a problem cannot be solved, times out, or you cancel it while it is still queued, the reserved amount goes straight back to your balance."), ["refund", "pricing"]),
    ]

    public static func install(into store: ContentStore) async throws {
        let guidesCategory = try await ensureCategory(store, name: "Hướng dẫn", slug: "huong-dan", english: "Guides")
        let helpCategory = try await ensureCategory(store, name: "Hỏi đáp", slug: "hoi-dap", english: "Help")
        for guide in guides {
            let id: UUID
            if let existing = try await store.pageID(slug: guide.slug) {
                id = existing
            } else {
                id = try await store.createPage(.init(categoryID: guidesCategory, title: guide.vi.title, slug: guide.slug, content: guide.vi.body, excerpt: guide.vi.excerpt), authorID: nil)
                _ = try await store.setStatus(id, to: .published)
            }
            for (field, text) in [("title", guide.en.title), ("excerpt", guide.en.excerpt), ("content", guide.en.body)] {
                try await store.translations.upsert(entityType: "page", entityID: id, language: .en, field: field, text: text, translatorID: nil)
            }
        }
        for (index, faq) in faqs.enumerated() {
            let id: UUID
            if let existing = try await store.faqID(question: faq.vi.0) {
                id = existing
            } else {
                id = try await store.createFAQ(.init(categoryID: helpCategory, question: faq.vi.0, answer: faq.vi.1, sortOrder: index, isFeatured: index == 0, tags: faq.tags))
            }
            try await store.translations.upsert(entityType: "faq", entityID: id, language: .en, field: "question", text: faq.en.0, translatorID: nil)
            try await store.translations.upsert(entityType: "faq", entityID: id, language: .en, field: "answer", text: faq.en.1, translatorID: nil)
        }
    }

    private static func ensureCategory(_ store: ContentStore, name: String, slug: String, english: String) async throws -> UUID {
        let id: UUID
        if let existing = try await store.categoryID(slug: slug) {
            id = existing
        } else {
            id = try await store.createCategory(.init(name: name, slug: slug))
        }
        try await store.translations.upsert(entityType: "category", entityID: id, language: .en, field: "name", text: english, translatorID: nil)
        return id
    }
}

/// The rules the integrator applies, named in both languages for the steps a student reads.
public enum IntegrationRule: String, Sendable {
    case constant, linearity, powerRule, table, linearSubstitution, polynomialDivision, logDerivative
    case partialFractions, substitution, byParts, expTrig, trigPowers, secTanPowers, weierstrass
    case radical, expansion, exponentialSubstitution, rootSubstitution, productToSum, squareSubstitution, logSubstitution
    case polynomialKernel, dirichletIntegral, trigBeta

    public var names: (vi: String, en: String) {
        switch self {
        case .constant: return ("tích phân hằng số", "integral of a constant")
        case .linearity: return ("tính tuyến tính", "linearity")
        case .powerRule: return ("công thức lũy thừa", "power rule")
        case .table: return ("bảng nguyên hàm cơ bản", "table of standard integrals")
        case .linearSubstitution: return ("đổi biến tuyến tính u = ax + b", "linear substitution u = ax + b")
        case .polynomialDivision: return ("chia đa thức", "polynomial division")
        case .logDerivative: return ("dạng u'/u → ln|u|", "the form u'/u → ln|u|")
        case .partialFractions: return ("phân tích phân thức đơn giản", "partial fractions")
        case .substitution: return ("đổi biến (có đạo hàm của hàm trong)", "substitution (the inner derivative is present)")
        case .byParts: return ("tích phân từng phần", "integration by parts")
        case .expTrig: return ("từng phần hai lần (e^(ax)·sin/cos)", "parts twice (e^(ax)·sin/cos)")
        case .trigPowers: return ("lũy thừa của sin và cos", "powers of sin and cos")
        case .secTanPowers: return ("lũy thừa của sec và tan", "powers of sec and tan")
        case .weierstrass: return ("đổi biến Weierstrass t = tan(x/2)", "the Weierstrass substitution t = tan(x/2)")
        case .radical: return ("dạng căn thức (đổi biến lượng giác)", "a square-root form (trigonometric substitution)")
        case .expansion: return ("khai triển tích", "expanding the product")
        case .exponentialSubstitution: return ("đổi biến t = e^(ax) (hàm hữu tỉ của e^(ax))", "the substitution t = e^(ax) (a rational function of e^(ax))")
        case .rootSubstitution: return ("đổi biến t = ⁿ√(ax + b) (khử căn)", "the substitution t = ⁿ√(ax + b) (removing the roots)")
        case .productToSum: return ("công thức biến đổi tích thành tổng", "the product-to-sum formulas")
        case .squareSubstitution: return ("đổi biến w = x² (x nhân một hàm của x²)", "the substitution w = x² (x times a function of x²)")
        case .logSubstitution: return ("đổi biến t = ln x (x = e^t)", "the substitution t = ln x (x = e^t)")
        case .dirichletIntegral: return ("tích phân Dirichlet ∫₀^∞ sin(ax)/x dx = sgn(a)·π/2", "the Dirichlet integral ∫₀^∞ sin(ax)/x dx = sgn(a)·π/2")
        case .trigBeta: return (
            "hàm Beta: ∫₀^{π/2} sinᵃx·cosᵇx dx = ½·B((a+1)/2, (b+1)/2), rút gọn bằng công thức phản xạ Γ(s)Γ(1−s) = π/sin(πs)",
            "the Beta function: ∫₀^{π/2} sinᵃx·cosᵇx dx = ½·B((a+1)/2, (b+1)/2), reduced by the reflection formula Γ(s)Γ(1−s) = π/sin(πs)"
        )
        case .polynomialKernel: return ("tìm nguyên hàm dạng r(x)·e^(p(x)) (phương trình r' + p'·r = q)", "an antiderivative of the form r(x)·e^(p(x)) (the equation r' + p'·r = q)")
        }
    }
}

/// One application of a rule: ∫ integrand d(variable) = result.
public struct IntegrationStep: Sendable {
    public var rule: IntegrationRule
    public var integrand: Expr
    public var result: Expr
}

/// Why there is no answer.
public enum IntegrationFailure: Error, Sendable, Equatable {
    /// A classic integrand without an elementary antiderivative (sin(x²), eˣ/x, …).
    case noElementaryAntiderivative
    /// Outside the classes the integrator covers.
    case unsupported
    case timeout
}

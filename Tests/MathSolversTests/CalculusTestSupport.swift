import Foundation
import Symbolic

/// Numeric agreement of two expressions at sample points where both are defined.
enum NumericCheck {
    /// Compares at `points`; returns the number of points compared (0 means nothing was checked).
    static func agreeCount(_ a: Expr, _ b: Expr, variable: String = "x", points: [Double], tolerance: Double = 1e-7) -> (compared: Int, mismatch: Double?) {
        var compared = 0
        for point in points {
            guard let va = NumericEvaluator.evaluate(a, [variable: point]), let vb = NumericEvaluator.evaluate(b, [variable: point]) else { continue }
            compared += 1
            if Swift.abs(va - vb) > tolerance * Swift.max(1, Swift.abs(va), Swift.abs(vb)) { return (compared, point) }
        }
        return (compared, nil)
    }

    static let samplePoints: [Double] = [-2.7, -1.3, -0.55, -0.2, 0.15, 0.45, 0.8, 1.35, 1.9, 2.6, 3.3]
}

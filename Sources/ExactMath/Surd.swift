/// Square-free decomposition for radicals: n = k²·m.
public enum Surd {
    /// Primes below this bound have their squares pulled out of a radicand; a square of a larger
    /// prime may stay under the root (still exact, just not fully simplified). Documented.
    public static let trialDivisionBound = 10_000

    static let primes: [Int] = {
        var sieve = [Bool](repeating: true, count: trialDivisionBound)
        sieve[0] = false
        sieve[1] = false
        var index = 2
        while index * index < trialDivisionBound {
            if sieve[index] {
                var multiple = index * index
                while multiple < trialDivisionBound {
                    sieve[multiple] = false
                    multiple += index
                }
            }
            index += 1
        }
        return sieve.indices.filter { sieve[$0] }
    }()

    /// For n > 0: (k, m) with n = k²·m, m free of squares of primes below the bound
    /// (and m = 1 whenever n is a perfect square).
    public static func extractSquares(_ n: BigInt, deadline: Deadline? = nil) throws(DeadlineExceeded) -> (outside: BigInt, inside: BigInt) {
        precondition(n.signum > 0, "radicand must be positive")
        if n.isPerfectSquare { return (n.squareRootFloor, .one) }
        var outside = BigInt.one
        var inside = n
        for (index, prime) in primes.enumerated() {
            if index & 255 == 0 { try deadline?.check() }
            let p = BigInt(prime)
            if p * p > inside { break }
            let (rest, count) = inside.removingFactor(p)
            guard count > 0 else { continue }
            outside = outside * p.power(UInt(count / 2))
            inside = count % 2 == 1 ? rest * p : rest
        }
        if inside.isPerfectSquare, inside != .one {
            outside = outside * inside.squareRootFloor
            inside = .one
        }
        return (outside, inside)
    }
}

import Foundation

/// Diekmann's (1985) Volunteer's Dilemma: n players, each gains b if at least one of them
/// acts, and the one who acts pays c. In the symmetric mixed equilibrium each acts with
/// probability p = 1 - (c/b)^(1/(n-1)) when c < b (else never), and nobody acts with
/// probability (c/b)^(n/(n-1)). Under buck-passing every state decides this way; a duty
/// holder's responsibility is not diluted by others, which is the case n = 1.
public enum VolunteersDilemma {
    @inlinable
    public static func actProbability(cost: Double, benefit: Double, poolSize n: Int) -> Double {
        guard benefit > 0, cost < benefit else { return 0 }
        guard cost > 0 else { return 1 }
        guard n > 1 else { return 1 }
        return 1 - pow(cost / benefit, 1 / Double(n - 1))
    }

    /// Whether a draw u acts: exactly `u < actProbability(...)`, without the pow when u is
    /// above an upper bound of the probability: 1 - r^e <= -e ln r <= e (1 - r) / sqrt(r) for
    /// r = c/b in (0, 1) and e = 1/(n-1); the margin covers the rounding of both sides.
    @inlinable
    public static func acts(_ u: Double, cost: Double, benefit: Double, poolSize n: Int) -> Bool {
        guard benefit > 0, cost < benefit else { return u < 0 }
        guard cost > 0, n > 1 else { return u < 1 }
        let r = cost / benefit
        let e = 1 / Double(n - 1)
        if u >= e * (1 - r) / r.squareRoot() * (1 + 1e-9) + 1e-15 { return false }
        return u < 1 - pow(r, e)
    }

    /// Probability that nobody in a symmetric pool acts: the analytic limit the tests check.
    public static func nobodyActs(costBenefitRatio r: Double, poolSize n: Int) -> Double {
        guard r < 1 else { return 1 }
        guard n > 1 else { return 0 }
        return pow(r, Double(n) / Double(n - 1))
    }
}

/// Gini coefficient of non-negative values (0 = equal burden, 1 = one state bears it all).
public func giniCoefficient(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let n = Double(sorted.count)
    let total = sorted.reduce(0, +)
    guard n > 1, total > 0 else { return 0 }
    var weighted = 0.0
    for (k, v) in sorted.enumerated() { weighted += Double(k + 1) * v }
    return (2 * weighted) / (n * total) - (n + 1) / n
}

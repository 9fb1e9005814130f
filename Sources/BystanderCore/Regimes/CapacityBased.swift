import Foundation

/// The ICJ's "capacity to influence" criterion (Genocide case, para. 430): duties go to the
/// k states with the highest leverage over the perpetrator, whatever their conduct. Both
/// Nollkaemper and Hakimi criticise it; it is the third arm of the comparison.
///
/// The criterion is vague (seed 000 L663-665: "indeterminate and flexible and inevitably
/// invite to blame-shifting"): in each run the states read each other's leverage with a
/// lognormal noise of log-scale sd `ranking_noise` (one reading per state, drawn from the run's
/// `ranking` stream), and the k highest readings are designated. Any state whose reading is
/// within 2 sqrt(2) sd (a 95% bound on the difference of two noisy readings) of the k-th
/// highest could plausibly be designated; each designated state feels k/m of its duty's pull,
/// m the number of plausible designees: the diffusion of a shared duty returns when the
/// criterion is vague and vanishes when it is crisp. `allocation(in:)`, per design point, is
/// the noise-free reading (the true leverage); with `ranking_noise` 0 every run uses it.
public struct CapacityBased: AllocationRegime {
    public init() {}
    public var name: String { "capacity_based" }

    public func duties(in scenario: Scenario) -> [DutySet] { designate(scenario, reading: scenario.leverage).duties }

    /// Capacity is the ground of the duty, so full effort is owed (within the capacity cap).
    public func requiredRestraint(of state: Int, in scenario: Scenario) -> Double { 1 }

    public func pullShare(in scenario: Scenario, duties: [DutySet]) -> [Double] { designate(scenario, reading: scenario.leverage).share }

    public func designatesPerRun(in scenario: Scenario) -> Bool { scenario.parameters.capacityRegime.rankingNoise > 0 }

    public func allocation(_ base: Allocation, in scenario: Scenario, seed: UInt64) -> Allocation {
        guard designatesPerRun(in: scenario) else { return base }
        let sigma = scenario.parameters.capacityRegime.rankingNoise
        let rng = RandomStream(seed: SeedDerivation.derive(seed, Mechanism.ranking.rawValue, 0))
        // One reading per bystander, in index order, whatever the ranking.
        var reading = scenario.leverage
        for i in scenario.bystanders { reading[i] = scenario.leverage[i] * exp(rng.gaussian(sd: sigma)) }
        let d = designate(scenario, reading: reading)
        return allocation(held: d.duties, share: d.share, in: scenario)
    }

    /// The k bystanders with the highest reading of leverage hold the regime's duties, each
    /// feeling k/m of their pull.
    func designate(_ scenario: Scenario, reading: [Double]) -> (duties: [DutySet], share: [Double]) {
        let p = scenario.parameters.capacityRegime
        var duties = [DutySet](repeating: [], count: scenario.world.count)
        var share = [Double](repeating: 1, count: scenario.world.count)
        let order = scenario.bystanders.sorted { (reading[$0], -$0) > (reading[$1], -$1) }
        guard p.k > 0, !order.isEmpty else { return (duties, share) }
        let kth = reading[order[min(p.k, order.count) - 1]]
        let bar = kth * exp(-2 * 2.0.squareRoot() * p.rankingNoise)
        let plausible = order.reduce(0) { $0 + (reading[$1] >= bar ? 1 : 0) }
        let s = Double(min(p.k, order.count)) / Double(max(plausible, 1))
        for i in order.prefix(p.k) { duties[i] = p.duties; share[i] = s }
        return (duties, share)
    }
}

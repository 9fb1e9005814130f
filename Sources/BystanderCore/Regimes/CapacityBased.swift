import Foundation

/// The ICJ's "capacity to influence" criterion (Genocide case, para. 430): duties go to the
/// k states with the highest leverage over the perpetrator, whatever their conduct. Both
/// Nollkaemper and Hakimi criticise it; it is the third arm of the comparison.
///
/// The criterion is vague (seed 000 L663-665: "indeterminate and flexible and inevitably
/// invite to blame-shifting"): states read each other's leverage with a log-scale noise of sd
/// `ranking_noise`, so any state whose leverage is within 2 sqrt(2) sd (a 95% bound on the
/// difference of two noisy readings) of the k-th highest could plausibly be designated. Each
/// designated state feels k/m of its duty's pull, m the number of plausible designees: the
/// diffusion of a shared duty returns when the criterion is vague and vanishes when it is crisp.
public struct CapacityBased: AllocationRegime {
    public init() {}
    public var name: String { "capacity_based" }

    func ranked(_ scenario: Scenario) -> [Int] {
        scenario.bystanders.sorted { (scenario.leverage[$0], -$0) > (scenario.leverage[$1], -$1) }
    }

    public func duties(in scenario: Scenario) -> [DutySet] {
        let p = scenario.parameters.capacityRegime
        var duties = [DutySet](repeating: [], count: scenario.world.count)
        for i in ranked(scenario).prefix(p.k) { duties[i] = p.duties }
        return duties
    }

    /// Capacity is the ground of the duty, so full effort is owed (within the capacity cap).
    public func requiredRestraint(of state: Int, in scenario: Scenario) -> Double { 1 }

    public func pullShare(in scenario: Scenario, duties: [DutySet]) -> [Double] {
        let p = scenario.parameters.capacityRegime
        var share = [Double](repeating: 1, count: scenario.world.count)
        let order = ranked(scenario)
        guard p.k > 0, !order.isEmpty else { return share }
        let kth = scenario.leverage[order[min(p.k, order.count) - 1]]
        let bar = kth * exp(-2 * 2.0.squareRoot() * p.rankingNoise)
        let plausible = order.reduce(0) { $0 + (scenario.leverage[$1] >= bar ? 1 : 0) }
        let s = Double(min(p.k, order.count)) / Double(max(plausible, 1))
        for i in order.prefix(p.k) { share[i] = s }
        return share
    }
}

/// The ICJ's "capacity to influence" criterion (Genocide case, para. 430): duties go to the
/// k states with the highest leverage over the perpetrator, whatever their conduct. Both
/// Nollkaemper and Hakimi criticise it; it is the third arm of the comparison.
public struct CapacityBased: AllocationRegime {
    public init() {}
    public var name: String { "capacity_based" }
    public func duties(in scenario: Scenario) -> [DutySet] {
        let p = scenario.parameters.capacityRegime
        var duties = [DutySet](repeating: [], count: scenario.world.count)
        let ranked = scenario.bystanders.sorted {
            (scenario.leverage[$0], -$0) > (scenario.leverage[$1], -$1)
        }
        for i in ranked.prefix(p.k) { duties[i] = p.duties }
        return duties
    }

    /// Capacity is the ground of the duty, so full effort is owed (within the capacity cap).
    public func requiredRestraint(of state: Int, in scenario: Scenario) -> Double { 1 }
}

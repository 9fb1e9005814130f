/// Discrete duties attached to particular states by their own conduct or relationships
/// (Hakimi, seed 001):
/// - respect: a state that supports the perpetrator (support > 0) must stop;
/// - protect: a state with governance >= threshold or substantial support must restrain;
/// - not obstruct: Council members must not vote down protective drafts;
/// - assist: a state that contributed to the risk, or has a special tie, must help lower it.
/// States without a duty behave as under buck-passing.
public struct IndividualDuty: AllocationRegime {
    public init() {}
    public var name: String { "individual_duty" }
    public func duties(in scenario: Scenario) -> [DutySet] {
        let d = scenario.parameters.duties
        let world = scenario.world
        var duties = [DutySet](repeating: [], count: world.count)
        let members = Set(world.permanent + world.electedByYear.flatMap { $0 })
        for i in scenario.bystanders {
            let l = world.links[i]
            var held: DutySet = []
            if l.support > 0 { held.insert(.respect) }
            if l.governance >= d.governanceThreshold || l.support >= d.substantialSupport { held.insert(.protect) }
            if members.contains(i) { held.insert(.notObstruct) }
            if l.pastSupport >= d.pastSupportThreshold || l.tie >= d.tieThreshold { held.insert(.assist) }
            duties[i] = held.intersection(d.enabled)
        }
        return duties
    }

    /// Due diligence in proportion to the link that grounds the duty (governance or support):
    /// the closer the relationship, the more is owed (an assumption; Hakimi, seed 001 L555,
    /// leaves the measure of diligence to the circumstances).
    public func requiredRestraint(of state: Int, in scenario: Scenario) -> Double {
        let l = scenario.world.links[state]
        return min(1, scenario.parameters.duties.diligence * max(l.governance, l.support))
    }
}

/// Collective responsibility (Nollkaemper): the obligation rests on all capable states at
/// once, so nobody holds a duty of their own. Every state decides as a volunteer in the
/// Volunteer's Dilemma of its pool, counting the UN as one more volunteer once the Council
/// is seized or a mission deployed (seed 000, section 4).
public struct BuckPassing: AllocationRegime {
    public init() {}
    public var name: String { "buck_passing" }
    public func duties(in scenario: Scenario) -> [DutySet] {
        [DutySet](repeating: [], count: scenario.world.count)
    }
    public func requiredRestraint(of state: Int, in scenario: Scenario) -> Double { 0 }
}

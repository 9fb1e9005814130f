/// How responsibility to protect is allocated: the one thing that differs between the arms
/// of a regime comparison (brief section 4). A regime names which states hold which duties;
/// everything else (triggers of duties, compliance, the behaviour of states without duties,
/// the Council, missions, the crisis) is shared, so outcome differences are attributable
/// to the rule.
public protocol AllocationRegime: Sendable {
    /// The name used in configs and outputs.
    var name: String { get }
    /// The duties each state holds (indexed like the world's states). They depend only on the
    /// scenario, so the engine computes them once per design point; whether a held duty binds
    /// in a given week depends on the situation (Simulation, step 3).
    func duties(in scenario: Scenario) -> [DutySet]
    /// The restraint effort in [0, 1] a holder of the duty to protect owes (before the
    /// capacity cap that every regime shares).
    func requiredRestraint(of state: Int, in scenario: Scenario) -> Double
}

/// The regimes the configs can name.
public enum Regimes {
    public static let names = ["buck_passing", "individual_duty", "capacity_based"]

    public static func named(_ name: String) -> (any AllocationRegime)? {
        switch name {
        case "buck_passing": BuckPassing()
        case "individual_duty": IndividualDuty()
        case "capacity_based": CapacityBased()
        default: nil
        }
    }
}

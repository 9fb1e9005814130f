import Foundation

/// How responsibility to protect is allocated: the one thing that differs between the arms
/// of a regime comparison (brief section 4). A regime names which states hold which duties;
/// everything else (triggers of duties, the compliance decision, the behaviour of states
/// without duties, the Council, missions, the crisis) is shared, so outcome differences are
/// attributable to the rule.
public protocol AllocationRegime: Sendable {
    /// The name used in configs and outputs.
    var name: String { get }
    /// The duties each bystander holds (indexed like the world's states). They depend only on
    /// the scenario; whether a held duty binds in a given week depends on the situation
    /// (Mechanisms/Duties.swift). The territorial state's primary duty is added by `allocation`.
    func duties(in scenario: Scenario) -> [DutySet]
    /// The restraint effort in [0, 1] a holder of the duty to protect owes (before the
    /// capacity cap that every regime shares).
    func requiredRestraint(of state: Int, in scenario: Scenario) -> Double
    /// The share of its duty's pull each holder feels (1: the duty is its own; less when the
    /// criterion that designates it is contestable).
    func pullShare(in scenario: Scenario, duties: [DutySet]) -> [Double]
    /// The allocation of one run (seed: the run's): `allocation(in:)` unless the regime
    /// designates from a reading drawn per run.
    func allocation(_ base: Allocation, in scenario: Scenario, seed: UInt64) -> Allocation
    /// Whether the holdings can differ from run to run (then `allocation(_:in:seed:)` draws them).
    func designatesPerRun(in scenario: Scenario) -> Bool
}

extension AllocationRegime {
    public func pullShare(in scenario: Scenario, duties: [DutySet]) -> [Double] {
        [Double](repeating: 1, count: scenario.world.count)
    }

    public func allocation(_ base: Allocation, in scenario: Scenario, seed: UInt64) -> Allocation { base }
    public func designatesPerRun(in scenario: Scenario) -> Bool { false }

    /// Everything the regime decides for a scenario, computed once per design point.
    public func allocation(in scenario: Scenario) -> Allocation {
        let held = duties(in: scenario)
        return allocation(held: held, share: pullShare(in: scenario, duties: held), in: scenario)
    }

    /// The allocation of these holdings: the territorial state's primary duty added, and what
    /// each holder of the duty to protect owes.
    func allocation(held bystanders: [DutySet], share: [Double], in scenario: Scenario) -> Allocation {
        var held = bystanders
        if scenario.parameters.duties.enabled.contains(.primary) { held[scenario.world.territorial].insert(.primary) }
        let owed = held.indices.map { held[$0].contains(.protect) ? requiredRestraint(of: $0, in: scenario) : 0 }
        return Allocation(duties: held, owed: owed, pullShare: share)
    }
}

/// A regime's allocation for one scenario: who holds what, what a protect-holder owes, and
/// the share of the pull each holder feels.
public struct Allocation: Sendable {
    public var duties: [DutySet]
    public var owed: [Double]
    public var pullShare: [Double]
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

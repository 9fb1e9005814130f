@testable import BystanderCore
import XCTest

/// Small worlds and runs for model tests, built directly from parameters (no config files).
enum ModelFixture {
    /// A world of `bystanders` identical states plus the territorial state, no named states,
    /// no links, no Council: the reduced form of the Volunteer's Dilemma.
    static func identicalStates(_ bystanders: Int) -> ModelParameters {
        var p = ModelParameters()
        p.world.named = []
        p.world.stateCount = bystanders + 1
        p.world.capacityLogSD = 0
        p.world.costSensitivityLogSD = 0
        p.world.backgroundAlignmentMean = 0
        p.world.neighbours = 0
        p.council.enabled = false
        p.council.permanent = []
        p.council.pledged = []
        return p
    }

    static func scenario(_ p: ModelParameters, worldSeed: UInt64 = 99) throws -> Scenario {
        Scenario(parameters: p, world: try WorldBuilder.synthetic(p, seed: worldSeed))
    }

    static func run(_ s: Scenario, _ regime: any AllocationRegime, seed: UInt64, votes: Bool = false) throws -> RunOutcome {
        try Simulation(scenario: s, regime: regime, seed: seed, recording: RecordingOptions(votes: votes)).run().outcome
    }

    static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(1, xs.count)) }
}

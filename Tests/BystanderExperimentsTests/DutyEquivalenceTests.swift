import BystanderCore
import Foundation
import XCTest
import Yams
@testable import BystanderExperiments

/// Equivalence that can fail (issue 13): with no pull (no internalisation, no enforcement,
/// reputation off) and no deference of non-holders to holders, a held duty changes nothing, so
/// individual_duty and capacity_based reproduce buck_passing run by run on the default experiment and on the Syria case, while the holdings
/// differ. At the default pull they do not, and Syria's aligned patrons breach their duty to protect.
final class DutyEquivalenceTests: XCTestCase {
    static let root = CaseLibraryTests.root
    static let configs = ["Experiments/default.yaml", "Experiments/cases/syria-2011.yaml"]
    static var noPull: [String: Node] { ["duties.enforcement": "0", "duties.internalisation": "0", "duties.reputation_weight": "0", "duties.deference": "0"] }

    func scenario(_ path: String, overrides: [String: Node]) throws -> Scenario {
        let config = try ExperimentConfig.load(path: Self.root.appendingPathComponent(path).path).with(overrides: overrides)
        return try Experiment(config: config, configText: "").scenario(point: 0)
    }

    /// Outcome fields but the breach counts and the buck-passing index (which leaves holders out).
    static func kept(_ o: RunOutcome) -> [String] {
        zip(RunOutcome.columns, o.fields).filter { !$0.0.name.hasPrefix("breaches_") && $0.0.name != "buck_passing_index" }.map(\.1)
    }

    func testWithNoPullTheRegimesReproduceBuckPassingOnTheDefaultExperimentAndSyria() throws {
        for path in Self.configs {
            let s = try scenario(path, overrides: Self.noPull)
            let regimes: [any AllocationRegime] = [BuckPassing(), IndividualDuty(), CapacityBased()]
            let allocations = regimes.map { $0.allocation(in: s) }
            XCTAssertNotEqual(allocations[1].duties, allocations[0].duties, path)
            XCTAssertNotEqual(allocations[2].duties, allocations[0].duties, path)
            var deaths = Set<Double>(), breaches = 0
            for r in 0..<60 {
                let seed = SeedDerivation.runSeed(root: 5, point: 0, replicate: r)
                let base = try Simulation(scenario: s, regime: regimes[0], seed: seed, allocation: allocations[0]).run()
                for k in 1...2 {
                    let other = try Simulation(scenario: s, regime: regimes[k], seed: seed, allocation: allocations[k]).run()
                    XCTAssertEqual(Self.kept(other.outcome), Self.kept(base.outcome), "\(path) \(regimes[k].name) replicate \(r)")
                    breaches += other.outcome.breachesProtect + other.outcome.breachesAssist
                }
                deaths.insert(base.outcome.deathsTotal)
            }
            XCTAssertGreaterThan(deaths.count, 20, path)
            XCTAssertGreaterThan(breaches, 0, "\(path): holders must be bound, or the test proves nothing")
        }
    }

    func testAtTheDefaultPullSyriasAlignedPatronsBreachTheirDutyToProtectInMostRuns() throws {
        let s = try scenario(Self.configs[1], overrides: [:])
        let a = IndividualDuty().allocation(in: s)
        let patrons = s.world.iso.indices.filter { a.duties[$0].contains(.protect) && s.world.links[$0].alignment >= 0.7 }
        XCTAssertFalse(patrons.isEmpty, "the Syria case has aligned holders of the duty to protect")
        var breached = [Int](repeating: 0, count: patrons.count), differ = 0
        let runs = 60
        for r in 0..<runs {
            let seed = SeedDerivation.runSeed(root: 6, point: 0, replicate: r)
            let result = try Simulation(scenario: s, regime: IndividualDuty(), seed: seed, allocation: a).run()
            for (k, i) in patrons.enumerated() where result.breached[i].contains(.protect) { breached[k] += 1 }
            if try Simulation(scenario: s, regime: BuckPassing(), seed: seed).run().outcome.deathsTotal != result.outcome.deathsTotal { differ += 1 }
        }
        for (k, i) in patrons.enumerated() {
            XCTAssertGreaterThan(Double(breached[k]) / Double(runs), 0.5, s.world.iso[i])
        }
        XCTAssertGreaterThan(differ, 10, "with pull, the duty regime must differ from buck-passing")
    }
}

import BystanderCore
import Foundation
import XCTest
import Yams
@testable import BystanderExperiments

/// The designated-responder effect (duties.deference; seed 000 L653-655, L663-665): states
/// without a duty defer to those that hold it. It is what can make individual duty lose to
/// buck-passing, so each direction is tested on the default experiment with paired seeds.
final class DutyDeferenceTests: XCTestCase {
    static let path = "Experiments/default.yaml"

    func scenario(_ overrides: [String: Node]) throws -> Scenario {
        let config = try ExperimentConfig.load(path: CaseLibraryTests.root.appendingPathComponent(Self.path).path).with(overrides: overrides)
        return try Experiment(config: config, configText: "").scenario(point: 0)
    }

    /// Deaths of `runs` paired replicates under `regime` with these overrides.
    func deaths(_ regime: any AllocationRegime, _ overrides: [String: Node], runs: Int, root: UInt64) throws -> [Double] {
        let s = try scenario(overrides)
        let a = regime.allocation(in: s)
        return try (0..<runs).map { r in
            try Simulation(scenario: s, regime: regime, seed: SeedDerivation.runSeed(root: root, point: 0, replicate: r), allocation: a).run().outcome.deathsTotal
        }
    }

    func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }

    /// Under buck-passing nobody holds a duty, so nobody defers: outcomes are identical run by run.
    func testBuckPassingIsUnchangedByDeference() throws {
        let s0 = try scenario(["duties.deference": "0"]), s1 = try scenario(["duties.deference": "1"])
        for r in 0..<40 {
            let seed = SeedDerivation.runSeed(root: 7, point: 0, replicate: r)
            let a = try Simulation(scenario: s0, regime: BuckPassing(), seed: seed).run().outcome
            let b = try Simulation(scenario: s1, regime: BuckPassing(), seed: seed).run().outcome
            XCTAssertEqual(a.fields, b.fields, "replicate \(r)")
        }
    }

    /// The more the others defer to the holders, the more die under individual duty (paired seeds).
    func testDeathsUnderIndividualDutyRiseWithDeference() throws {
        let levels = ["0", "0.3", "0.6", "1"]
        let means = try levels.map { mean(try deaths(IndividualDuty(), ["duties.deference": Node($0)], runs: 150, root: 8)) }
        for k in 1..<means.count {
            XCTAssertGreaterThan(means[k], means[k - 1], "deference \(levels[k - 1]) -> \(levels[k]): \(means)")
        }
    }

    /// With a weak pull and strong deference individual duty does worse than buck-passing:
    /// the paired difference in deaths is positive with a 95% interval that excludes 0.
    func testWithWeakPullAndStrongDeferenceIndividualDutyLosesToBuckPassing() throws {
        let weak: [String: Node] = ["duties.enforcement": "0.05", "duties.internalisation": "0", "duties.reputation_weight": "0", "duties.deference": "0.9"]
        let runs = 300
        let d = zip(try deaths(IndividualDuty(), weak, runs: runs, root: 9), try deaths(BuckPassing(), weak, runs: runs, root: 9)).map { $0 - $1 }
        let m = mean(d)
        let sd = (d.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(runs - 1)).squareRoot()
        let half = 1.96 * sd / Double(runs).squareRoot()
        XCTAssertGreaterThan(m - half, 0, "individual_duty - buck_passing deaths: \(m) +- \(half)")
    }
}

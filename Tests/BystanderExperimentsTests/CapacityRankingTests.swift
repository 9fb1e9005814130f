import BystanderCore
import Foundation
import XCTest
import Yams
@testable import BystanderExperiments

/// The capacity arm's noisy ranking (capacity_regime.ranking_noise; seed 000 L663-665): each
/// run designates by its own noisy reading of leverage, on the default experiment.
final class CapacityRankingTests: XCTestCase {
    func scenario(_ noise: String) throws -> Scenario {
        let path = CaseLibraryTests.root.appendingPathComponent("Experiments/default.yaml").path
        let config = try ExperimentConfig.load(path: path).with(overrides: ["capacity_regime.ranking_noise": Node(noise)])
        return try Experiment(config: config, configText: "").scenario(point: 0)
    }

    /// Noise 0: every run holds the per-point allocation (the true ranking, a crisp list).
    /// Noise > 0: the holders differ from run to run, and the same seed gives the same holders.
    func testDesignationIsPerRunAndDeterministic() throws {
        let crisp = try scenario("0"), noisy = try scenario("1")
        let base = CapacityBased().allocation(in: crisp), point = CapacityBased().allocation(in: noisy)
        var lists = Set<[DutySet]>()
        for r in 0..<20 {
            let seed = SeedDerivation.runSeed(root: 11, point: 0, replicate: r)
            XCTAssertEqual(CapacityBased().allocation(base, in: crisp, seed: seed).duties, base.duties)
            let a = CapacityBased().allocation(point, in: noisy, seed: seed)
            XCTAssertEqual(a.duties, CapacityBased().allocation(point, in: noisy, seed: seed).duties)
            XCTAssertEqual(a.duties.filter { $0.contains(.protect) }.count, noisy.parameters.capacityRegime.k)
            lists.insert(a.duties)
        }
        XCTAssertGreaterThan(lists.count, 5, "a noisy reading must change who is designated")
    }

    /// The noisier the criterion, the more die under capacity-based allocation (paired seeds).
    func testCapacityBasedDeathsRiseWithRankingNoise() throws {
        let levels = ["0", "0.5", "1", "2"]
        let means = try levels.map { noise -> Double in
            let s = try scenario(noise)
            let a = CapacityBased().allocation(in: s)
            let deaths = try (0..<200).map { r in
                try Simulation(scenario: s, regime: CapacityBased(), seed: SeedDerivation.runSeed(root: 12, point: 0, replicate: r), allocation: a).run().outcome.deathsTotal
            }
            return deaths.reduce(0, +) / Double(deaths.count)
        }
        for k in 1..<means.count {
            XCTAssertGreaterThan(means[k], means[k - 1], "ranking_noise \(levels[k - 1]) -> \(levels[k]): \(means)")
        }
    }
}

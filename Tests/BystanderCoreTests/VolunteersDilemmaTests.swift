@testable import BystanderCore
import XCTest

/// The analytic limit of the brief (section 8): n identical states, one decision, no Council.
/// In the symmetric mixed equilibrium nobody acts with probability (c/b)^(n/(n-1)).
final class VolunteersDilemmaTests: XCTestCase {
    func testActProbabilityFormula() {
        XCTAssertEqual(VolunteersDilemma.actProbability(cost: 0.5, benefit: 1, poolSize: 2), 0.5, accuracy: 1e-12)
        XCTAssertEqual(VolunteersDilemma.actProbability(cost: 1, benefit: 1, poolSize: 5), 0)   // c >= b: never
        XCTAssertEqual(VolunteersDilemma.actProbability(cost: 2, benefit: 1, poolSize: 5), 0)
        XCTAssertEqual(VolunteersDilemma.actProbability(cost: 0.5, benefit: 1, poolSize: 1), 1) // alone: act if c < b
        XCTAssertEqual(VolunteersDilemma.actProbability(cost: 0, benefit: 1, poolSize: 9), 1)
        XCTAssertEqual(VolunteersDilemma.actProbability(cost: 0.5, benefit: 0, poolSize: 3), 0)
        // Each player is indifferent in equilibrium: b(1 - P(no other acts)) = b - c.
        for n in [2, 3, 7] {
            let p = VolunteersDilemma.actProbability(cost: 0.3, benefit: 1, poolSize: n)
            XCTAssertEqual(1 - pow(1 - p, Double(n - 1)), 1 - 0.3, accuracy: 1e-12)
        }
    }

    /// The whole simulation, reduced to the game: one week of mass killing that every state
    /// sees (salience 1), restraint the only affordable action, c/b set exactly.
    func testNobodyActsMatchesTheMixedEquilibriumThroughTheModel() throws {
        let replicates = 4000
        for n in [2, 3, 5, 10, 50] {
            for ratio in [0.1, 0.5, 0.9] {
                var p = ModelFixture.identicalStates(n)
                p.horizonWeeks = 1
                p.crisis.initialPhase = .atrocity
                p.information.reportingDelayWeeks = 0
                p.information.warningDeaths = 0; p.information.emergencyDeaths = 0
                p.information.levelSalience = [1, 1, 1, 1]; p.information.salienceDecay = 0
                p.bystanders.benefitScale = 1
                p.bystanders.restrainCost = ratio           // capacity 1, sensitivity 1: c = ratio
                p.bystanders.sanctionCost = 10               // unaffordable: restraint is the one decision
                p.bystanders.unDeference = false
                p.crisis.settlementBase = 0                  // no settlement before the decision
                let s = try ModelFixture.scenario(p)
                XCTAssertEqual(s.bystanders.count, n)
                var nobody = 0
                for r in 0..<replicates {
                    let out = try ModelFixture.run(s, BuckPassing(), seed: SeedDerivation.runSeed(root: 5, point: n, replicate: r))
                    if out.firstActionWeek == nil { nobody += 1 }
                }
                let expected = VolunteersDilemma.nobodyActs(costBenefitRatio: ratio, poolSize: n)
                let observed = Double(nobody) / Double(replicates)
                let se = (expected * (1 - expected) / Double(replicates)).squareRoot()
                XCTAssertEqual(observed, expected, accuracy: 4 * se, "n = \(n), c/b = \(ratio)")
            }
        }
    }

    func testGini() {
        XCTAssertEqual(giniCoefficient([1, 1, 1, 1]), 0, accuracy: 1e-12)
        XCTAssertEqual(giniCoefficient([0, 0, 0, 4]), 0.75, accuracy: 1e-12) // (n-1)/n
        XCTAssertEqual(giniCoefficient([0, 0]), 0)
        XCTAssertEqual(giniCoefficient([1, 3]), 0.25, accuracy: 1e-12)
    }
}

/// The count distributions behind weekly deaths, including the extremes GSL cannot take.
final class CountDistributionTests: XCTestCase {
    func testPoissonAndNegativeBinomialMomentsAndHugeMeans() {
        let rng = RandomStream(seed: 1)
        for mean in [0.5, 30.0, 5e3] {
            let xs = (0..<20_000).map { _ in rng.negativeBinomial(mean: mean, size: 2) }
            let m = xs.reduce(0, +) / Double(xs.count)
            let v = xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count - 1)
            XCTAssertEqual(m, mean, accuracy: 5 * (mean + mean * mean / 2).squareRoot() / Double(xs.count).squareRoot())
            XCTAssertEqual(v / (mean + mean * mean / 2), 1, accuracy: 0.15)
        }
        // Means far beyond 2^32 (where GSL's own sampler does not terminate) return at once.
        XCTAssertEqual(rng.poisson(mean: 1e13) / 1e13, 1, accuracy: 1e-5)
        for _ in 0..<1000 { XCTAssertTrue(rng.negativeBinomial(mean: 1e9, size: 0.001).isFinite) }
        XCTAssertEqual(rng.poisson(mean: .infinity), 0)
        XCTAssertEqual(rng.poisson(mean: .nan), 0)
    }
}

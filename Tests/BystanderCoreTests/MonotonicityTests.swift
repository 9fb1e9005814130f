@testable import BystanderCore
import XCTest

/// Monotone responses in expectation (brief section 8). Regimes and levels share seeds
/// (common random numbers), so a few hundred replicates separate the means clearly; the
/// tolerance is that each step must move the mean in the stated direction.
final class MonotonicityTests: XCTestCase {
    let replicates = 300

    func meanOutcome(_ p: ModelParameters, _ regime: any AllocationRegime, _ f: (RunOutcome) -> Double) throws -> Double {
        let s = try ModelFixture.scenario(p)
        return ModelFixture.mean(try (0..<replicates).map { r in
            f(try ModelFixture.run(s, regime, seed: SeedDerivation.runSeed(root: 17, point: 0, replicate: r)))
        })
    }

    func testMoreDeployedTroopsFewerDeaths() throws {
        var means: [Double] = []
        for troops in [0.0, 1000, 4000, 12000] {
            var p = ModelParameters()
            p.crisis.initialPhase = .atrocity
            p.horizonWeeks = 30
            p.council.enabled = false
            p.missions.initialTroops = troops
            p.missions.initialMandate = .protect
            p.missions.casualtyRate = 0
            means.append(try meanOutcome(p, BuckPassing()) { $0.deathsTotal })
        }
        for k in 1..<means.count { XCTAssertLessThan(means[k], means[k - 1], "deaths by troops: \(means)") }
        // 12,000 troops protect a share protection_max x (1 - exp(-12000/troop_scale)) of the
        // people from the start; the toll falls by at least three quarters of that share (less
        // than all of it, since the people spared stay at risk).
        let m = ModelParameters().missions
        let protection = m.protectionMax * (1 - exp(-12000 / m.troopScale))
        XCTAssertLessThan(means.last!, (1 - 0.75 * protection) * means.first!, "a large mission must prevent most killing: \(means)")
    }

    /// crisis.intent: destruction multiplies the kill rate by destruction_factor and nothing
    /// else: at factor 1 it is the instrumental run, seed for seed; larger factors kill more.
    func testIntentToDestroyMultipliesTheKillRate() throws {
        var p = ModelParameters()
        p.crisis.initialPhase = .atrocity
        p.horizonWeeks = 12
        p.crisis.intent = .instrumental
        let instrumental = try meanOutcome(p, BuckPassing()) { $0.deathsTotal }
        p.crisis.intent = .destruction
        var means: [Double] = []
        for factor in [1.0, 4, 16] {
            p.crisis.destructionFactor = factor
            means.append(try meanOutcome(p, BuckPassing()) { $0.deathsTotal })
        }
        XCTAssertEqual(means[0], instrumental, "destruction at factor 1 must be the instrumental run")
        for k in 1..<means.count { XCTAssertGreaterThan(means[k], means[k - 1], "deaths by destruction factor: \(means)") }
    }

    func testMoreEnforcementFewerBreaches() throws {
        var means: [Double] = []
        for enforcement in [0.0, 0.5, 2, 8] {
            var p = RegimeTests.linkedWorld()
            p.duties.enforcement = enforcement
            means.append(try meanOutcome(p, IndividualDuty()) {
                Double($0.breachesRespect + $0.breachesProtect + $0.breachesNotObstruct + $0.breachesAssist)
            })
        }
        for k in 1..<means.count { XCTAssertLessThan(means[k], means[k - 1], "breaches by enforcement: \(means)") }
    }

    func testAlignedPermanentMemberVetoesMore() throws {
        var means: [Double] = []
        for alignment in [0.0, 0.5, 0.9] {
            var p = ModelParameters()
            p.crisis.initialPhase = .atrocity
            p.council.pledged = []
            let rus = p.world.named.firstIndex { $0.iso == "RUS" }!
            p.world.named[rus].links.alignment = alignment
            means.append(try meanOutcome(p, BuckPassing()) { o in
                Double(o.vetoesBy.split(separator: ";").first { $0.hasPrefix("RUS=") }.map { Int($0.dropFirst(4))! } ?? 0)
            })
        }
        for k in 1..<means.count { XCTAssertGreaterThan(means[k], means[k - 1], "RUS vetoes by alignment: \(means)") }
    }

    func testVetoRestraintPledgeRemovesVetoes() throws {
        var p = ModelParameters()
        p.crisis.initialPhase = .atrocity
        let rus = p.world.named.firstIndex { $0.iso == "RUS" }!
        p.world.named[rus].links.alignment = 0.9
        let russianVetoes = { (o: RunOutcome) in Double(o.vetoesBy.split(separator: ";").first { $0.hasPrefix("RUS=") }.map { Int($0.dropFirst(4))! } ?? 0) }
        p.council.pledged = []
        let unpledged = try meanOutcome(p, BuckPassing(), russianVetoes)
        p.council.pledged = ["RUS"]
        let pledged = try meanOutcome(p, BuckPassing(), russianVetoes)
        XCTAssertGreaterThan(unpledged, 0.5)
        XCTAssertEqual(pledged, 0, "a strict pledge means no negative vote by the pledged member")
    }
}

@testable import BystanderCore
import XCTest

/// Invariants over random parameter draws (brief section 8): deaths never exceed the
/// population at risk; costs are non-negative; shares lie in [0, 1]; nothing is NaN or infinite.
final class InvariantTests: XCTestCase {
    func randomParameters(_ rng: RandomStream) -> ModelParameters {
        var p = RegimeTests.linkedWorld()
        func u(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * rng.uniform() }
        p.horizonWeeks = 1 + rng.uniformInt(150)
        p.world.stateCount = 8 + rng.uniformInt(250)
        p.world.capacityLogSD = u(0, 4)
        p.world.backgroundAlignmentMean = u(0, 0.9)
        p.crisis.initialPhase = [Phase.latent, .escalating, .atrocity][rng.uniformInt(3)]
        p.crisis.perpetrator = rng.bernoulli(0.5) ? .state : .nonState
        p.crisis.populationAtRisk = rng.bernoulli(0.1) ? 0 : pow(10, u(0, 9))
        p.crisis.riskFactors = (0..<8).map { _ in rng.uniform() }
        p.crisis.onsetHazardMax = u(0, 1)
        p.crisis.killRate = rng.bernoulli(0.1) ? 1 : u(0, 0.5)
        p.crisis.deathDistribution = rng.bernoulli(0.5) ? .poisson : .negativeBinomial
        p.crisis.deathDispersion = pow(10, u(-3, 6))
        p.crisis.initialStrength = u(0, 100)
        p.crisis.supportGrowth = u(0, 10)
        p.crisis.sanctionErosion = u(0, 10)
        p.crisis.settlementPressure = u(0, 1)
        p.information.signalNoiseSD = u(0, 5)
        p.information.reportingDelayWeeks = rng.uniformInt(10)
        p.bystanders.restrainCost = u(0, 5)
        p.bystanders.benefitScale = u(0, 10)
        p.bystanders.unilateralForce = rng.bernoulli(0.3)
        p.council.enabled = rng.bernoulli(0.8)
        p.council.vetoThreshold = rng.uniformInt(3)
        p.council.voteNoiseSD = u(0, 5)
        p.missions.initialTroops = rng.bernoulli(0.3) ? u(0, 20000) : 0
        p.missions.initialMandate = p.missions.initialTroops > 0 ? .protect : .none
        p.missions.casualtyRate = u(0, 0.01)
        p.missions.deploymentLagWeeks = rng.uniformInt(30)
        p.duties.enforcement = u(0, 50)
        p.capacityRegime.k = rng.uniformInt(20)
        return p
    }

    func testInvariantsHoldOverRandomParameters() throws {
        let rng = RandomStream(seed: 2024)
        var runs = 0
        for draw in 0..<120 {
            let p = randomParameters(rng)
            guard let world = try? WorldBuilder.synthetic(p, seed: UInt64(draw)) else { continue } // e.g. too few states for the quota
            let s = Scenario(parameters: p, world: world)
            for regime in [BuckPassing(), IndividualDuty(), CapacityBased()] as [any AllocationRegime] {
                let result = try Simulation(scenario: s, regime: regime, seed: UInt64(draw), recording: .init(weeks: true)).run()
                let o = result.outcome
                runs += 1
                let context = "draw \(draw), \(regime.name)"
                XCTAssertLessThanOrEqual(o.deathsTotal, p.crisis.populationAtRisk, context)
                XCTAssertEqual(o.deathsTotal + o.populationRemaining, p.crisis.populationAtRisk, accuracy: 1e-6 * max(1, p.crisis.populationAtRisk), context)
                XCTAssertEqual(o.deathsTotal, o.deathsEscalating + o.deathsAtrocity, context)
                XCTAssertGreaterThanOrEqual(o.populationRemaining, 0, context)
                XCTAssertGreaterThanOrEqual(o.burdenTotal, 0, context)
                XCTAssertTrue((0...1).contains(o.burdenGini), context)
                XCTAssertTrue((0...1).contains(o.burdenTopShare), context)
                if let b = o.buckPassingIndex { XCTAssertTrue((0...1).contains(b), context) }
                XCTAssertTrue(o.isFinite, context)
                XCTAssertLessThanOrEqual(o.atrocityWeeks, p.horizonWeeks, context)
                XCTAssertLessThanOrEqual(o.troopsDeployedPeak, max(o.troopsAuthorised, p.missions.initialTroops) + 1e-9, context)
                for w in result.weeks {
                    for x in [w.salience, w.restraint, w.sanctions, w.protection] {
                        XCTAssertTrue(x.isFinite && (0...1).contains(x), "\(context), week \(w.week)")
                    }
                    XCTAssertTrue(w.strength.isFinite && w.strength >= 0, context)
                    XCTAssertGreaterThanOrEqual(w.deaths, 0, context)
                }
            }
        }
        XCTAssertGreaterThan(runs, 250)
    }
}

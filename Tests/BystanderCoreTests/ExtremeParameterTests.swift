@testable import BystanderCore
import XCTest

/// Extreme but valid parameters run to completion with sensible outcomes.
final class ExtremeParameterTests: XCTestCase {
    func runAll(_ p: ModelParameters, replicates: Int = 3) throws -> [RunOutcome] {
        let s = try ModelFixture.scenario(p)
        var outs: [RunOutcome] = []
        for r in 0..<replicates {
            for regime in [BuckPassing(), IndividualDuty(), CapacityBased()] as [any AllocationRegime] {
                let o = try ModelFixture.run(s, regime, seed: UInt64(r))
                XCTAssertTrue(o.isFinite)
                XCTAssertLessThanOrEqual(o.deathsTotal, p.crisis.populationAtRisk)
                outs.append(o)
            }
        }
        return outs
    }

    func testOneStateWorld() throws {
        var p = ModelFixture.identicalStates(0)
        p.crisis.initialPhase = .atrocity
        let outs = try runAll(p)
        XCTAssertTrue(outs.allSatisfy { $0.firstActionWeek == nil && $0.burdenTotal == 0 }, "nobody is there to act")
        XCTAssertTrue(outs.contains { $0.deathsTotal > 0 })
    }

    func testZeroCapacityEverywhere() throws {
        var p = RegimeTests.linkedWorld()
        for k in p.world.named.indices { p.world.named[k].military = 0; p.world.named[k].economic = 0; p.world.named[k].diplomatic = 0 }
        p.world.capacityLogSD = 0
        p.bystanders.capableThreshold = 2 // median capacity 1: nobody is capable
        let outs = try runAll(p)
        XCTAssertTrue(outs.allSatisfy { ($0.buckPassingIndex ?? 1) == 1 || $0.buckPassingIndex == nil })
    }

    func testTenThousandStatesAndAThousandWeeks() throws {
        var big = ModelParameters()
        big.world.stateCount = 10_000
        big.horizonWeeks = 60
        big.crisis.initialPhase = .escalating
        _ = try runAll(big, replicates: 1)
        var long = ModelParameters()
        long.horizonWeeks = 1000
        let outs = try runAll(long, replicates: 2)
        XCTAssertTrue(outs.allSatisfy { $0.atrocityWeeks <= 1000 })
    }

    func testProbabilitiesAtZeroAndOne() throws {
        for extreme in [0.0, 1.0] {
            var p = RegimeTests.linkedWorld()
            p.crisis.initialPhase = .latent
            p.crisis.onsetHazardMax = extreme
            p.crisis.escalationRate = extreme
            p.crisis.killRate = extreme
            p.crisis.settlementBase = extreme
            p.crisis.settlementPressure = extreme
            p.crisis.riskFactors = Array(repeating: extreme, count: 8)
            p.crisis.territorialProtectionMax = extreme
            p.information.salienceDecay = extreme
            p.information.awarenessThreshold = extreme
            p.information.attentionFloor = extreme
            p.bystanders.maxRestraint = extreme
            p.bystanders.supporterCutPropensity = extreme
            p.council.embargoLeakage = extreme
            p.missions.consentStateLed = extreme
            p.missions.protectionMax = extreme
            p.world.backgroundAlignmentMean = extreme == 1 ? 0.99 : 0
            let outs = try runAll(p)
            if extreme == 0 { XCTAssertTrue(outs.allSatisfy { $0.onsetWeek == nil && $0.deathsTotal == 0 }, "no hazard, no onset") }
            if extreme == 1 { XCTAssertTrue(outs.allSatisfy { $0.onsetWeek == 0 }, "certain onset in week 0") }
        }
    }
}

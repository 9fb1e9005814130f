@testable import BystanderCore
import XCTest

/// The decision of a duty holder (Mechanisms/Duties.swift) and the mechanisms around it:
/// each moves outcomes in the direction its source says, and each could fail.
final class DutyDecisionTests: XCTestCase {
    typealias D = Duties

    /// Breach probability 1 - q rises with the interest against complying (cost, alignment,
    /// support) and falls with the pressure (enforcement, salience, peers, reputation), with
    /// internalisation and with what the state would do anyway.
    func testBreachProbabilityIsMonotoneInEachComponent() {
        func breach(base: Double = 0.1, share: Double = 1, h: Double = 0.1, p: Double = 1, i: Double = 1) -> Double {
            1 - D.complianceProbability(base: base, share: share, internalisation: h, pressure: p, interest: i)
        }
        let grid = [0.0, 0.2, 0.5, 1, 2, 4, 8]
        for (a, b) in zip(grid, grid.dropFirst()) {
            XCTAssertLessThan(breach(i: a), breach(i: b), "interest (cost, alignment, support) \(a) -> \(b)")
            XCTAssertGreaterThan(breach(p: a), breach(p: b), "pressure (enforcement, salience) \(a) -> \(b)")
        }
        for (a, b) in [(0.0, 0.3), (0.3, 0.9)] {
            XCTAssertGreaterThan(breach(h: a), breach(h: b), "internalisation")
            XCTAssertGreaterThan(breach(base: a), breach(base: b), "base")
            XCTAssertGreaterThan(breach(share: a + 0.05), breach(share: b), "share of the pull")
        }
        // No pull: the holder does exactly what it would do without the duty.
        XCTAssertEqual(D.complianceProbability(base: 0.37, share: 1, internalisation: 0, pressure: 0, interest: 0), 0.37)
        XCTAssertEqual(D.complianceProbability(base: 0, share: 1, internalisation: 0, pressure: 0, interest: 3), 0)
    }

    /// A world with one aligned supporter holding the duty to protect (and respect).
    static func patronWorld(alignment: Double, enforcement: Double = 1) -> ModelParameters {
        var p = RegimeTests.linkedWorld()
        p.world.named[p.world.named.firstIndex { $0.iso == "PAT" }!].links.alignment = alignment
        p.duties.enforcement = enforcement
        return p
    }

    /// Share of runs in which the patron breached its duty to protect, and the mean number of
    /// protect breaches per run.
    func patronBreaches(_ p: ModelParameters, runs: Int = 150) throws -> (share: Double, mean: Double) {
        let s = try ModelFixture.scenario(p)
        let pat = s.world.iso.firstIndex(of: "PAT")!
        var breachedRuns = 0, total = 0
        for r in 0..<runs {
            let result = try Simulation(scenario: s, regime: IndividualDuty(), seed: SeedDerivation.runSeed(root: 21, point: 0, replicate: r)).run()
            if result.breached[pat].contains(.protect) { breachedRuns += 1 }
            total += result.outcome.breachesProtect
        }
        return (Double(breachedRuns) / Double(runs), Double(total) / Double(runs))
    }

    /// In whole runs: a more aligned patron breaches more, stronger enforcement less.
    func testPatronBreachesRiseWithAlignmentAndFallWithEnforcement() throws {
        let low = try patronBreaches(Self.patronWorld(alignment: 0.1)), high = try patronBreaches(Self.patronWorld(alignment: 0.9))
        XCTAssertGreaterThan(high.mean, low.mean * 1.2, "alignment")
        let weak = try patronBreaches(Self.patronWorld(alignment: 0.6, enforcement: 0.2))
        let strong = try patronBreaches(Self.patronWorld(alignment: 0.6, enforcement: 5))
        XCTAssertLessThan(strong.mean, weak.mean * 0.8, "enforcement")
        // A strongly aligned patron holding the duty to protect breaches it in most runs.
        XCTAssertGreaterThan(high.share, 0.5)
    }

    /// The primary duty: a perpetrating territorial state breaches it in every week of killing.
    func testPerpetratingTerritorialStateBreachesItsPrimaryDutyEveryWeekOfKilling() throws {
        let s = try ModelFixture.scenario(RegimeTests.linkedWorld())
        var killingWeeks = 0
        for r in 0..<40 {
            for regime in [BuckPassing(), IndividualDuty()] as [any AllocationRegime] {
                let result = try Simulation(scenario: s, regime: regime, seed: UInt64(r), recording: .init(weeks: true)).run()
                let weeks = result.weeks.filter { $0.phase == .escalating || $0.phase == .atrocity }.count
                XCTAssertEqual(result.outcome.breachesPrimary, weeks)
                XCTAssertEqual(result.breached[s.world.territorial].contains(.primary), weeks > 0)
                killingWeeks += weeks
            }
        }
        XCTAssertGreaterThan(killingWeeks, 0)
        var p = RegimeTests.linkedWorld()
        p.duties.enabled.remove(.primary)
        XCTAssertEqual(try ModelFixture.run(ModelFixture.scenario(p), BuckPassing(), seed: 1).breachesPrimary, 0)
    }

    /// The capacity criterion: crisp (no noise) designates k states who each feel their whole
    /// duty; the vaguer it is, the more states it plausibly designates and the less pull each feels.
    func testCapacityCriterionDiffusesThePullAsItGetsVaguer() throws {
        var shares: [Double] = []
        for noise in [0.0, 0.25, 1, 3] {
            var p = RegimeTests.linkedWorld()
            p.capacityRegime.rankingNoise = noise
            let s = try ModelFixture.scenario(p)
            let a = CapacityBased().allocation(in: s)
            let designated = a.duties.indices.filter { a.duties[$0].contains(.protect) }
            XCTAssertEqual(designated.count, p.capacityRegime.k)
            shares.append(a.pullShare[designated[0]])
            XCTAssertTrue(designated.allSatisfy { a.pullShare[$0] == a.pullShare[designated[0]] })
        }
        XCTAssertEqual(shares[0], 1)
        for (a, b) in zip(shares, shares.dropFirst()) { XCTAssertGreaterThanOrEqual(a, b) }
        XCTAssertLessThan(shares[3], 0.5)
        // Individual duties are each state's own.
        let s = try ModelFixture.scenario(RegimeTests.linkedWorld())
        XCTAssertTrue(IndividualDuty().allocation(in: s).pullShare.allSatisfy { $0 == 1 })
    }

    /// Leverage counts the perpetrator's power and the veto that shields it.
    func testLeverageFallsWithThePerpetratorsPowerAndAShieldingVeto() throws {
        var p = RegimeTests.linkedWorld()
        p.bystanders.vetoShield = 0
        p.bystanders.perpetratorPowerWeight = 0
        let plain = try ModelFixture.scenario(p)
        var weak = p; weak.bystanders.perpetratorPowerWeight = 1
        var strong = weak
        var ter = NamedState(iso: "TER"); ter.group = .africa; ter.military = 80; ter.economic = 80; ter.diplomatic = 80
        strong.world.named.append(ter)
        let usa = plain.world.iso.firstIndex(of: "COL")!
        let l0 = plain.leverage[usa], l1 = try ModelFixture.scenario(weak).leverage[usa], l2 = try ModelFixture.scenario(strong).leverage[usa]
        XCTAssertLessThan(l1, l0); XCTAssertLessThan(l2, l1 * 0.5)
        // RUS (alignment 0.7) holds a veto: everyone else's leverage is cut, RUS's is not.
        var shielded = p; shielded.bystanders.vetoShield = 0.5
        let sh = try ModelFixture.scenario(shielded), rus = sh.world.iso.firstIndex(of: "RUS")!
        XCTAssertEqual(sh.leverage[usa], plain.leverage[usa] * 0.5, accuracy: 1e-12)
        XCTAssertEqual(sh.leverage[rus], plain.leverage[rus])
        var noPatron = shielded; noPatron.bystanders.patronAlignment = 0.9
        XCTAssertEqual(try ModelFixture.scenario(noPatron).leverage[usa], plain.leverage[usa])
    }

    /// With no pull and no deference, a held duty changes nothing: every outcome but the breach
    /// counts and the buck-passing index (which leaves holders out) is buck-passing's, run by
    /// run, while the holdings differ. Fails if any duty still moves a holder or a non-holder.
    func testWithNoPullTheDutyRegimesReproduceBuckPassing() throws {
        var p = RegimeTests.linkedWorld()
        p.duties.enforcement = 0; p.duties.internalisation = 0; p.duties.reputationWeight = 0; p.duties.deference = 0
        let s = try ModelFixture.scenario(p)
        let skip = Set(RunOutcome.columns.enumerated().filter { $0.element.name.hasPrefix("breaches_") || $0.element.name == "buck_passing_index" }.map(\.offset))
        func kept(_ o: RunOutcome) -> [String] { o.fields.enumerated().filter { !skip.contains($0.offset) }.map(\.element) }
        var breaches = 0, deaths = Set<Double>()
        for r in 0..<120 {
            let base = try Simulation(scenario: s, regime: BuckPassing(), seed: UInt64(r), recording: .init(weeks: true, votes: true)).run()
            for regime in [IndividualDuty(), CapacityBased()] as [any AllocationRegime] {
                let other = try Simulation(scenario: s, regime: regime, seed: UInt64(r), recording: .init(weeks: true, votes: true)).run()
                XCTAssertEqual(kept(other.outcome), kept(base.outcome), "\(regime.name), replicate \(r)")
                XCTAssertEqual(other.burden, base.burden)
                breaches += other.outcome.breachesProtect + other.outcome.breachesAssist + other.outcome.breachesRespect
            }
            deaths.insert(base.outcome.deathsTotal)
        }
        XCTAssertGreaterThan(breaches, 0, "holders must be bound, or the test proves nothing")
        XCTAssertGreaterThan(deaths.count, 40)
        // With the default pull, the same runs differ.
        let withPull = try ModelFixture.scenario(RegimeTests.linkedWorld())
        let differ = try (0..<40).filter { r in
            try ModelFixture.run(withPull, IndividualDuty(), seed: UInt64(r)).deathsTotal != ModelFixture.run(withPull, BuckPassing(), seed: UInt64(r)).deathsTotal
        }
        XCTAssertGreaterThan(differ.count, 5)
    }

    /// Crises in sequence: the last crisis runs on the run's seed, so with reputation off a
    /// sequence ends exactly as a single crisis does; with reputation on, what states did
    /// before changes it.
    func testReputationCarriesAcrossCrisesAndOnlyThroughTheDuties() throws {
        var off = RegimeTests.linkedWorld()
        off.duties.reputationWeight = 0
        var offSeq = off; offSeq.crises = 4
        var on = RegimeTests.linkedWorld()
        on.duties.reputationWeight = 3; on.duties.reputationInitial = 0.5; on.duties.reputationLearning = 1
        var onSeq = on; onSeq.crises = 4
        let s0 = try ModelFixture.scenario(off), s1 = try ModelFixture.scenario(offSeq)
        let s2 = try ModelFixture.scenario(on), s3 = try ModelFixture.scenario(onSeq)
        var changed = 0
        for r in 0..<60 {
            let seed = UInt64(r)
            XCTAssertEqual(try ModelFixture.run(s1, IndividualDuty(), seed: seed).fields, try ModelFixture.run(s0, IndividualDuty(), seed: seed).fields)
            XCTAssertEqual(try ModelFixture.run(s3, BuckPassing(), seed: seed).fields, try ModelFixture.run(s2, BuckPassing(), seed: seed).fields,
                           "buck-passing has no holders, so nothing to carry")
            if try ModelFixture.run(s3, IndividualDuty(), seed: seed).fields != ModelFixture.run(s2, IndividualDuty(), seed: seed).fields { changed += 1 }
        }
        XCTAssertGreaterThan(changed, 5)
    }

    /// Reputation moves towards the honoured share of what others saw, weighted by salience.
    func testReputationUpdate() throws {
        var p = RegimeTests.linkedWorld()
        p.duties.reputationInitial = 0.5; p.duties.reputationLearning = 0.5
        let s = try ModelFixture.scenario(p)
        var d = Duties(s, allocation: IndividualDuty().allocation(in: s))
        d.observedBound[1] = 2; d.observedHonoured[1] = 2
        d.observedBound[2] = 4; d.observedHonoured[2] = 0
        d.updateReputation()
        XCTAssertEqual(d.reputation[1], 0.75); XCTAssertEqual(d.reputation[2], 0.25); XCTAssertEqual(d.reputation[3], 0.5)
        XCTAssertEqual(d.observedBound[1], 0)
    }
}

import XCTest
@testable import BystanderCore

final class VotingPowerTests: XCTestCase {

    private let tolerance = 1e-12

    /// The Charter rule and reform rules studied in the literature.
    private var rules: [(String, VotingRule)] {
        let p5 = [0, 1, 2, 3, 4]
        return [
            ("charter", .charter),
            ("no veto", VotingRule(seats: 15, permanentSeats: p5, quota: 9, vetoThreshold: 0)),
            ("double veto", VotingRule(seats: 15, permanentSeats: p5, quota: 9, vetoThreshold: 2)),
            ("quota 7", VotingRule(seats: 15, permanentSeats: p5, quota: 7, vetoThreshold: 1)),
            ("quota 10", VotingRule(seats: 15, permanentSeats: p5, quota: 10, vetoThreshold: 1)),
            ("20 seats, 6 permanent", VotingRule(seats: 20, permanentSeats: [0, 3, 6, 9, 12, 15], quota: 12, vetoThreshold: 1)),
            ("20 seats, 6 permanent, double veto", VotingRule(seats: 20, permanentSeats: Array(0..<6), quota: 14, vetoThreshold: 2)),
            ("30 seats, 5 permanent", VotingRule(seats: 30, permanentSeats: Array(0..<5), quota: 18, vetoThreshold: 1)),
        ]
    }

    private func assertClose(_ a: [Double], _ b: [Double], _ message: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x, y, accuracy: tolerance, message, file: file, line: line)
        }
    }

    // MARK: - Efficiency (sums to 1)

    func testIndicesSumToOne() {
        for (name, rule) in rules {
            let ss = VotingPower.shapleyShubik(rule)
            let bz = VotingPower.banzhaf(rule)
            XCTAssertEqual(ss.count, rule.seats, name)
            XCTAssertEqual(bz.count, rule.seats, name)
            XCTAssertEqual(ss.reduce(0, +), 1, accuracy: tolerance, "Shapley-Shubik, \(name)")
            XCTAssertEqual(bz.reduce(0, +), 1, accuracy: tolerance, "Banzhaf, \(name)")
            XCTAssertTrue(ss.allSatisfy { $0 >= 0 } && bz.allSatisfy { $0 >= 0 }, name)
        }
    }

    // MARK: - Agreement with the brute-force references

    func testAgreesWithBruteForceOnSmallCouncils() {
        let cases: [(String, VotingRule)] = [
            ("3 seats, one veto player", VotingRule(seats: 3, permanentSeats: [0], quota: 2, vetoThreshold: 1)),
            ("5 seats, one veto player", VotingRule(seats: 5, permanentSeats: [2], quota: 3, vetoThreshold: 1)),
            ("5 seats, 2 permanent, single veto", VotingRule(seats: 5, permanentSeats: [0, 3], quota: 3, vetoThreshold: 1)),
            ("5 seats, 2 permanent, double veto", VotingRule(seats: 5, permanentSeats: [0, 3], quota: 3, vetoThreshold: 2)),
            ("7 seats, 2 permanent", VotingRule(seats: 7, permanentSeats: [1, 5], quota: 4, vetoThreshold: 1)),
            ("7 seats, 2 permanent, double veto", VotingRule(seats: 7, permanentSeats: [1, 5], quota: 5, vetoThreshold: 2)),
            ("8 seats, no veto, quota 5", VotingRule(seats: 8, permanentSeats: [0, 1], quota: 5, vetoThreshold: 0)),
            ("8 seats, 3 permanent", VotingRule(seats: 8, permanentSeats: [2, 4, 7], quota: 5, vetoThreshold: 1)),
        ]
        for (name, rule) in cases {
            assertClose(VotingPower.shapleyShubik(rule), VotingPower.bruteForceShapleyShubik(rule), "Shapley-Shubik, \(name)")
            assertClose(VotingPower.banzhaf(rule), VotingPower.bruteForceBanzhaf(rule), "Banzhaf, \(name)")
        }
    }

    /// Every rule with up to 6 seats: every number of permanent seats, quota and veto threshold.
    func testAgreesWithBruteForceExhaustivelyUpToSixSeats() {
        for n in 1...6 {
            for p in 0...n {
                // Spread the permanent seats so they are not always the first indices.
                let permanent = (0..<p).map { ($0 * 2 + 1) % n }
                let distinct = Set(permanent).count == p ? permanent : Array(0..<p)
                for quota in 1...n {
                    for veto in 0...p {
                        let rule = VotingRule(seats: n, permanentSeats: distinct, quota: quota, vetoThreshold: veto)
                        let name = "n=\(n) permanent=\(distinct) quota=\(quota) veto=\(veto)"
                        assertClose(VotingPower.shapleyShubik(rule), VotingPower.bruteForceShapleyShubik(rule), "SS \(name)")
                        assertClose(VotingPower.banzhaf(rule), VotingPower.bruteForceBanzhaf(rule), "BZ \(name)")
                    }
                }
            }
        }
    }

    func testBanzhafAgreesWithBruteForceOnCharterSizedRules() {
        for (name, rule) in rules where rule.seats <= 15 {
            assertClose(VotingPower.banzhaf(rule), VotingPower.bruteForceBanzhaf(rule), name)
        }
    }

    // MARK: - Known values for the Charter rule

    func testCharterShapleyShubik() {
        // An elected member is pivotal iff it is preceded by all five permanent members and exactly
        // three of the other nine elected members: C(9,3) * 8! * 6! / 15! = 4/2145.
        // By efficiency a permanent member gets (1 - 10 * 4/2145) / 5 = 421/2145.
        let fact = { (m: Int) -> Double in (1...max(1, m)).reduce(1.0) { $0 * Double($1) } }
        let elected = 84 * fact(8) * fact(6) / fact(15)
        XCTAssertEqual(elected, 4.0 / 2145.0, accuracy: 1e-15)

        let ss = VotingPower.shapleyShubik(.charter)
        for seat in 0..<5 { XCTAssertEqual(ss[seat], 421.0 / 2145.0, accuracy: tolerance) }
        for seat in 5..<15 { XCTAssertEqual(ss[seat], 4.0 / 2145.0, accuracy: tolerance) }
        XCTAssertEqual(ss[0], 0.196270, accuracy: 1e-6)
        XCTAssertEqual(ss[5], 0.001865, accuracy: 1e-6)
    }

    func testCharterBanzhaf() {
        // Permanent member: swings iff the other four permanent members and at least four of the
        // ten elected members vote yes: sum_{b=4}^{10} C(10,b) = 848.
        // Elected member: swings iff all five permanent and exactly three of the other nine elected
        // members vote yes: C(9,3) = 84. Total 5 * 848 + 10 * 84 = 5080.
        let counts = VotingPower.banzhafSwingCounts(.charter)
        XCTAssertEqual(counts, Array(repeating: 848, count: 5) + Array(repeating: 84, count: 10))

        let bz = VotingPower.banzhaf(.charter)
        for seat in 0..<5 { XCTAssertEqual(bz[seat], 106.0 / 635.0, accuracy: tolerance) }   // 848/5080
        for seat in 5..<15 { XCTAssertEqual(bz[seat], 21.0 / 1270.0, accuracy: tolerance) }  // 84/5080
        XCTAssertEqual(bz[0], 0.16693, accuracy: 1e-5)
        XCTAssertEqual(bz[5], 0.016535, accuracy: 1e-6)
    }

    // MARK: - Symmetry

    func testSymmetry() {
        for (name, rule) in rules {
            let permanent = Set(rule.permanentSeats)
            for index in [VotingPower.shapleyShubik(rule), VotingPower.banzhaf(rule)] {
                let p = index.indices.filter { permanent.contains($0) }.map { index[$0] }
                let e = index.indices.filter { !permanent.contains($0) }.map { index[$0] }
                for x in p { XCTAssertEqual(x, p[0], accuracy: tolerance, name) }
                for x in e { XCTAssertEqual(x, e[0], accuracy: tolerance, name) }
                if rule.vetoThreshold == 1, let first = p.first, let other = e.first {
                    XCTAssertGreaterThan(first, other, name)
                }
            }
        }
    }

    func testIdenticalSeatsHaveEqualPower() {
        for n in [1, 2, 5, 15, 20, 30] {
            for quota in Set([1, (n + 1) / 2, n]) {
                // No veto: permanent and elected seats are indistinguishable.
                for permanent in [[], Array(0..<min(5, n))] {
                    let rule = VotingRule(seats: n, permanentSeats: permanent, quota: quota, vetoThreshold: 0)
                    for index in [VotingPower.shapleyShubik(rule), VotingPower.banzhaf(rule)] {
                        for x in index { XCTAssertEqual(x, 1.0 / Double(n), accuracy: tolerance, "n=\(n) q=\(quota)") }
                    }
                }
            }
        }
    }

    func testDoubleVetoShiftsPowerToElectedMembers() {
        let p5 = [0, 1, 2, 3, 4]
        let double = VotingRule(seats: 15, permanentSeats: p5, quota: 9, vetoThreshold: 2)
        let charter = VotingPower.shapleyShubik(.charter)
        let reform = VotingPower.shapleyShubik(double)
        XCTAssertLessThan(reform[0], charter[0])
        XCTAssertGreaterThan(reform[5], charter[5])
    }

    func testLargeCouncilIsFast() {
        let rule = VotingRule(seats: 60, permanentSeats: Array(0..<11), quota: 37, vetoThreshold: 2)
        XCTAssertEqual(VotingPower.shapleyShubik(rule).reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(VotingPower.banzhaf(rule).reduce(0, +), 1, accuracy: 1e-12)
    }

    // MARK: - The adoption rule (Art. 27(3))

    private enum Vote: CaseIterable { case yes, no, abstain }

    func testAdoptsMatchesCharterExhaustively() {
        let rule = VotingRule.charter
        var profiles = 0
        // All 3^5 votes of the permanent members ...
        for code in 0..<243 {
            var permanentVotes: [Vote] = []
            var c = code
            for _ in 0..<5 { permanentVotes.append(Vote.allCases[c % 3]); c /= 3 }
            let permanentYes = permanentVotes.filter { $0 == .yes }.count
            let permanentNo = permanentVotes.filter { $0 == .no }.count
            // ... times every split of the ten elected members into yes / no / abstain.
            for electedYes in 0...10 {
                for electedNo in 0...(10 - electedYes) {
                    let electedAbstain = 10 - electedYes - electedNo
                    XCTAssertEqual(electedYes + electedNo + electedAbstain, 10)
                    // Literal Charter: nine affirmative votes including the concurring votes of the
                    // permanent members, where an abstention counts as concurring (not a veto).
                    let literal = permanentYes + electedYes >= 9 && !permanentVotes.contains(.no)
                    XCTAssertEqual(rule.adopts(yes: permanentYes + electedYes, permanentNo: permanentNo), literal,
                                   "permanent=\(permanentVotes) elected yes=\(electedYes) no=\(electedNo)")
                    profiles += 1
                }
            }
        }
        XCTAssertEqual(profiles, 243 * 66)
    }

    func testPermanentAbstentionNeverBlocks() {
        let rule = VotingRule.charter
        for abstaining in 0...5 {
            let permanentYes = 5 - abstaining
            for electedYes in 0...10 {
                let yes = permanentYes + electedYes
                // Abstentions never block: the outcome depends on the quota alone.
                XCTAssertEqual(rule.adopts(yes: yes, permanentNo: 0), yes >= 9)
                // Replacing an abstention by a "no" is a veto.
                if abstaining > 0 { XCTAssertFalse(rule.adopts(yes: yes, permanentNo: 1)) }
            }
        }
        // The 1950 Korea pattern in reverse: four permanent yes, one absent/abstaining, ten elected yes.
        XCTAssertTrue(rule.adopts(yes: 14, permanentNo: 0))
    }
}

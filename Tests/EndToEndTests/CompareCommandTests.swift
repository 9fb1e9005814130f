import Foundation
import XCTest

/// `bystander compare`: the parameter values of each point, the stacked and wide tables, the
/// duty-breach marks, and `--contrast A-B` between design points on common random numbers.
final class CompareCommandTests: XCTestCase {
    /// A two-point sweep: point 0 without a permanent-member patron, point 1 with RUS as one.
    func patronSweep(_ dir: URL, commonRandomNumbers: Bool) throws -> String {
        let config = dir.appendingPathComponent("patron-\(commonRandomNumbers).yaml")
        try CLI.write("""
        name: patron
        seed: 11
        replicates: 24
        horizon_weeks: 52
        regimes: [buck_passing, individual_duty, capacity_based]
        crisis: {initial_phase: escalating, perpetrator: state}
        sweep:
          method: grid
          common_random_numbers: \(commonRandomNumbers)
          parameters:
            world.states.RUS.links.alignment: {values: [0, 0.9]}

        """, to: config)
        let out = dir.appendingPathComponent("out-\(commonRandomNumbers)").path
        let r = try CLI.run(["sweep", config.path, "-o", out, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return out
    }

    func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func testTablesCarryTheDesignColumns() throws {
        let out = try patronSweep(CLI.temporaryFolder(self), commonRandomNumbers: true)
        XCTAssertEqual(try rows("\(out)/summary.csv")[0].prefix(4), ["point", "world.states.RUS.links.alignment", "regime", "outcome"])
        XCTAssertEqual(try rows("\(out)/comparison.csv")[0].prefix(4), ["point", "world.states.RUS.links.alignment", "regime", "reference"])
        // members.csv holds exactly the votes of runs.csv's vetoes_by, one row per run and member.
        let members = try rows("\(out)/members.csv")
        XCTAssertEqual(members[0], ["point", "world.states.RUS.links.alignment", "regime", "replicate", "member", "vetoes"])
        let runs = try rows("\(out)/runs.csv")
        let v = runs[0].firstIndex(of: "vetoes_by")!
        let expected = runs.dropFirst().flatMap { r in r[v].split(separator: ";").map { e -> [String] in
            let kv = e.split(separator: "=").map(String.init)
            return [r[0], r[1], r[2], r[3], kv[0], kv[1]]
        } }
        XCTAssertEqual(Array(members.dropFirst()), expected)
        XCTAssertFalse(expected.isEmpty, "the patron should veto in some run (the test needs vetoes to check)")
        for row in try rows("\(out)/summary.csv").dropFirst() { XCTAssertEqual(row[1], row[0] == "0" ? "0" : "0.9") }
    }

    func testCompareNamesThePointsAndFitsATerminal() throws {
        let out = try patronSweep(CLI.temporaryFolder(self), commonRandomNumbers: true)
        let r = try CLI.run(["compare", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("point 0: world.states.RUS.links.alignment=0\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("point 1: world.states.RUS.links.alignment=0.9\n"), r.stdout)
        XCTAssertLessThanOrEqual(r.stdout.split(separator: "\n").map(\.count).max() ?? 0, 100, r.stdout)
        // Buck-passing holds no duties: its breach rows say so instead of showing zeros. Under
        // capacity-based allocation the capable states hold the duty to protect.
        let lines = r.stdout.split(separator: "\n").map(String.init)
        for outcome in ["breaches_respect", "breaches_protect", "breaches_not_obstruct", "breaches_assist"] {
            let k = try XCTUnwrap(lines.firstIndex(of: outcome))
            XCTAssertTrue(lines[k + 1].hasPrefix("  buck_passing") && lines[k + 1].hasSuffix("no duty held"), lines[k + 1])
        }
        let k = try XCTUnwrap(lines.firstIndex(of: "breaches_protect"))
        XCTAssertTrue(lines[k + 3].hasPrefix("  capacity_based") && !lines[k + 3].contains("no duty held"), lines[k + 3])
        // The marks are borne out by the data: no breach of that kind in any run. (The
        // territorial state's primary duty is held under every regime, buck-passing included.)
        let breachRows = try rows("\(out)/summary.csv").dropFirst().filter { $0[3].hasPrefix("breaches_") && $0[2] == "buck_passing" }
        XCTAssertEqual(Set(breachRows.map { $0[3] }), ["breaches_respect", "breaches_protect", "breaches_not_obstruct", "breaches_assist", "breaches_primary"])
        for row in breachRows where row[3] != "breaches_primary" { XCTAssertEqual(row[5], "0", row.joined(separator: ",")) }
        let primary = try XCTUnwrap(lines.firstIndex(of: "breaches_primary"))
        XCTAssertFalse(lines[primary + 1].contains("no duty held"), lines[primary + 1])
        let wide = try CLI.run(["compare", out, "--point", "1", "--wide"])
        XCTAssertTrue(wide.stdout.contains("individual_duty - buck_passing mean [95% CI]"), wide.stdout)
        XCTAssertTrue(wide.stdout.hasPrefix("point 1: world.states.RUS.links.alignment=0.9\n"), wide.stdout)
    }

    /// The contrast's mean difference is the mean over replicates of point A minus point B,
    /// recomputed here from runs.csv; its difference in differences likewise.
    func testContrastIsPairedBySeed() throws {
        let out = try patronSweep(CLI.temporaryFolder(self), commonRandomNumbers: true)
        let r = try CLI.run(["compare", out, "--contrast", "1-0", "--format", "csv", "--all"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let csv = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(csv[0], ["point_a", "point_b", "kind", "regime", "reference", "outcome", "value_a", "value_b", "n_pairs", "mean_difference", "ci95_low", "ci95_high", "p_value"])
        let runs = try rows("\(out)/runs.csv")
        let col = runs[0].firstIndex(of: "deaths_total")!
        var deaths: [String: Double] = [:]   // "point/regime/replicate"
        for row in runs.dropFirst() { deaths["\(row[0])/\(row[2])/\(row[3])"] = Double(row[col]) }
        func mean(_ f: (Int) -> Double) -> Double { (0..<24).map(f).reduce(0, +) / 24 }
        let d = { (p: Int, g: String, k: Int) in deaths["\(p)/\(g)/\(k)"]! }
        let within = try XCTUnwrap(csv.first { $0[2] == "regime" && $0[3] == "buck_passing" && $0[5] == "deaths_total" })
        XCTAssertEqual(Double(within[9])!, mean { d(1, "buck_passing", $0) - d(0, "buck_passing", $0) }, accuracy: 1e-6)
        XCTAssertEqual(within[8], "24")
        let interaction = try XCTUnwrap(csv.first { $0[2] == "interaction" && $0[3] == "individual_duty" && $0[5] == "deaths_total" })
        XCTAssertEqual(interaction[4], "buck_passing")
        XCTAssertEqual(Double(interaction[9])!, mean { (d(1, "individual_duty", $0) - d(1, "buck_passing", $0)) - (d(0, "individual_duty", $0) - d(0, "buck_passing", $0)) }, accuracy: 1e-6)
        XCTAssertLessThanOrEqual(Double(within[10])!, Double(within[9])!)
        XCTAssertGreaterThanOrEqual(Double(within[11])!, Double(within[9])!)
        let table = try CLI.run(["compare", out, "--contrast", "1-0"])
        XCTAssertTrue(table.stdout.hasPrefix("contrast: point 1 - point 0"), table.stdout)
        XCTAssertTrue(table.stdout.contains("point 1: world.states.RUS.links.alignment=0.9\npoint 0: world.states.RUS.links.alignment=0\n"), table.stdout)
    }

    /// A sweep prints its first points, each with its parameter values, and says how to see the rest.
    func testSweepSaysHowToSeeTheRest() throws {
        let out = CLI.temporaryFolder(self).appendingPathComponent("out").path
        let r = try CLI.run(["sweep", CLI.fixtures.appendingPathComponent("experiments/small-sweep.yaml").path, "-o", out, "--progress", "quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("point 2: duties.enforcement=2, council.veto_restraint_pledges=[]\n"), r.stdout)
        XCTAssertFalse(r.stdout.contains("\npoint 3:"), r.stdout)
        XCTAssertTrue(r.stdout.contains("... 1 more points: `bystander compare \(out)` shows them all, `--point K` one of them\n"), r.stdout)
        // The fourth point, with a value that holds a comma, quoted in the CSV and shown whole.
        let point3 = try CLI.run(["compare", out, "--point", "3"])
        XCTAssertTrue(point3.stdout.hasPrefix("point 3: duties.enforcement=2, council.veto_restraint_pledges=[FRA, GBR, RUS]\n"), point3.stdout)
        let csv = try CLI.run(["compare", out, "--point", "3", "--format", "csv"])
        XCTAssertTrue(csv.stdout.hasPrefix("point,duties.enforcement,council.veto_restraint_pledges,outcome,regime,"), csv.stdout)
        XCTAssertTrue(csv.stdout.contains("\n3,2,\"[FRA, GBR, RUS]\",deaths_total,"), csv.stdout)
    }

    func testContrastIsRefusedWithoutCommonRandomNumbers() throws {
        let dir = CLI.temporaryFolder(self)
        let out = try patronSweep(dir, commonRandomNumbers: false)
        let r = try CLI.run(["compare", out, "--contrast", "1-0"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("common_random_numbers: true"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertEqual(try CLI.run(["compare", out, "--contrast", "1-1"]).status, 2)
        let missing = try CLI.run(["compare", try patronSweep(dir, commonRandomNumbers: true), "--contrast", "5-0"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no point 5"), missing.stderr)
    }
}

import Foundation
import XCTest

/// states.csv: one row per design point, regime and state, consistent with runs.csv.
final class StatesTableTests: XCTestCase {
    func table(_ path: String) throws -> (header: [String], rows: [[String: String]]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (lines[0], lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) })
    }

    func testStatesTableAgreesWithTheRuns() throws {
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("states.yaml")
        try CLI.write("""
            name: states
            seed: 11
            replicates: 30
            horizon_weeks: 80
            world:
              count: 60
              states:
                PAT: {group: africa, capacity: {military: 8, economic: 6, diplomatic: 5}, distance_km: 900, links: {support: 0.6, alignment: 0.9}}
            crisis: {initial_phase: escalating}
            """, to: config)
        let out = dir.appendingPathComponent("out").path
        let r = try CLI.run(["run", config.path, "--output", out, "--quiet", "--jobs", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let states = try table("\(out)/states.csv"), runs = try table("\(out)/runs.csv")
        let duties = ["respect", "protect", "not_obstruct", "assist", "primary"]
        XCTAssertEqual(states.header, ["point", "regime", "iso3", "runs", "burden_mean"] + duties.map { "held_\($0)" } + duties.map { "breached_\($0)_share" })
        XCTAssertEqual(states.rows.count, 3 * 60)
        for regime in ["buck_passing", "individual_duty", "capacity_based"] {
            let rows = states.rows.filter { $0["regime"] == regime }, regimeRuns = runs.rows.filter { $0["regime"] == regime }
            XCTAssertTrue(rows.allSatisfy { $0["runs"] == "30" })
            // The states' mean burdens add up to the mean total burden of the runs.
            let perState = rows.reduce(0) { $0 + Double($1["burden_mean"]!)! }
            let total = regimeRuns.reduce(0) { $0 + Double($1["burden_total"]!)! } / 30
            XCTAssertEqual(perState, total, accuracy: 1e-9 * max(1, total), regime)
            // The territorial state holds the primary duty in every regime and breaches it (as
            // the perpetrator) in exactly the runs with breaches_primary > 0.
            let ter = rows.first { $0["iso3"] == "TER" }!
            XCTAssertEqual(ter["held_primary"], "1")
            let breachedRuns = regimeRuns.filter { Int($0["breaches_primary"]!)! > 0 }.count
            XCTAssertEqual(Double(ter["breached_primary_share"]!)!, Double(breachedRuns) / 30, accuracy: 1e-12)
            XCTAssertGreaterThan(breachedRuns, 0)
        }
        let pat = { (regime: String) in states.rows.first { $0["regime"] == regime && $0["iso3"] == "PAT" }! }
        XCTAssertEqual(pat("buck_passing")["held_protect"], "0")
        XCTAssertEqual(pat("individual_duty")["held_protect"], "1")
        XCTAssertEqual(pat("individual_duty")["held_respect"], "1")
        // A strongly aligned patron with the duty to protect breaches it in most runs.
        XCTAssertGreaterThan(Double(pat("individual_duty")["breached_protect_share"]!)!, 0.5)
    }
}

import Foundation
import XCTest

final class RunCommandTests: XCTestCase {
    func testRunWritesResultsAndPrintsRegimesSideBySide() throws {
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("small.yaml")
        try CLI.write("name: small\nseed: 7\nreplicates: 20\nhorizon_weeks: 60\ncrisis: {initial_phase: escalating}\n", to: config)
        let out = dir.appendingPathComponent("out").path
        let r = try CLI.run(["run", config.path, "--output", out, "--quiet", "--jobs", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for name in ["runs.csv", "summary.csv", "comparison.csv", "members.csv", "manifest.json", "votes.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(name)"), name)
        }
        // The regimes stacked under each outcome, differences against the first regime.
        XCTAssertTrue(r.stdout.contains("median [5%, 95%]") && r.stdout.contains("- buck_passing [95% CI]"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\ndeaths_total\n  buck_passing ") && r.stdout.contains("\n  individual_duty "), r.stdout)
        let runs = try String(contentsOfFile: "\(out)/runs.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(runs.count, 1 + 20 * 3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/.progress.json"), "checkpoint removed when complete")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/manifest.json"))) as! [String: Any]
        for key in ["config_hash", "resolved_config", "root_seed", "package_version", "git_commit", "swift_version", "gsl_version", "host", "started", "finished"] {
            XCTAssertNotNil(manifest[key], key)
        }
        XCTAssertEqual((manifest["config_hash"] as? String)?.count, 64)

        // The same command again verifies the folder and leaves it intact (exit 0); another
        // experiment into it is refused without --force.
        let again = try CLI.run(["run", config.path, "--output", out, "--quiet"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("already complete"), again.stdout)
        try CLI.write("name: small\nseed: 8\nreplicates: 20\nhorizon_weeks: 60\n", to: config)
        let other = try CLI.run(["run", config.path, "--output", out, "--quiet"])
        XCTAssertEqual(other.status, 2)
        XCTAssertTrue(other.stderr.contains("already holds complete results"), other.stderr)
        XCTAssertEqual(try String(contentsOfFile: "\(out)/runs.csv", encoding: .utf8).split(separator: "\n").count, 61)
    }

    func testHelpAndVersion() throws {
        let help = try CLI.run(["--help"])
        XCTAssertEqual(help.status, 0)
        for sub in ["run", "sweep", "compare", "reproduce", "merge", "slurm-script", "council-power", "params"] {
            XCTAssertTrue(help.stdout.contains(sub), sub)
        }
        let runHelp = try CLI.run(["run", "--help"])
        for option in ["--output", "--force", "--jobs", "--timeseries", "--quiet"] { XCTAssertTrue(runHelp.stdout.contains(option), option) }
        let version = try CLI.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.contains("0."), version.stdout)
    }

    func testUsageErrorsExitWithStatusTwo() throws {
        XCTAssertEqual(try CLI.run(["run"]).status, 2)
        XCTAssertEqual(try CLI.run(["run", "/nonexistent.yaml"]).status, 2)
        XCTAssertEqual(try CLI.run(["frobnicate"]).status, 2)
    }
}

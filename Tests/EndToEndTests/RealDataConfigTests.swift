import Foundation
import XCTest

/// A config with `world.source: data` runs on the real COW and CEPII files when they are
/// beside the project (../shared/data), and on the small fixtures always.
final class RealDataConfigTests: XCTestCase {
    func config(capabilities: String, distances: String, year: Int, territorial: String, extra: String = "") -> String {
        """
        name: real
        seed: 3
        replicates: 4
        horizon_weeks: 20
        world: {source: data, capabilities: \(capabilities), distances: \(distances), year: \(year)\(extra)}
        crisis: {territorial_state: \(territorial), initial_phase: atrocity}
        council: {enabled: false, permanent: [], veto_restraint_pledges: []}
        """
    }

    func testFixtureWorldRuns() throws {
        let dir = CLI.temporaryFolder(self)
        let fx = CLI.fixtures.appendingPathComponent("realdata")
        let file = dir.appendingPathComponent("c.yaml")
        try CLI.write(config(capabilities: fx.appendingPathComponent("cow-small.csv").path, distances: fx.appendingPathComponent("cepii-small.csv").path, year: 2016, territorial: "FRA"), to: file)
        let r = try CLI.run(["run", file.path, "-o", dir.appendingPathComponent("out").path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testMissingYearIsAConfigError() throws {
        let dir = CLI.temporaryFolder(self)
        let fx = CLI.fixtures.appendingPathComponent("realdata")
        let file = dir.appendingPathComponent("c.yaml")
        try CLI.write(config(capabilities: fx.appendingPathComponent("cow-small.csv").path, distances: fx.appendingPathComponent("cepii-small.csv").path, year: 1900, territorial: "FRA"), to: file)
        let r = try CLI.run(["run", file.path, "-o", dir.appendingPathComponent("out").path, "--quiet"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("world.source") && r.stderr.contains("1900"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    func testRealFilesRwanda1994() throws {
        let data = CLI.root.deletingLastPathComponent().appendingPathComponent("shared/data")
        let cow = data.appendingPathComponent("cow-nmc-6.0-abridged.csv"), cepii = data.appendingPathComponent("cepii-geodist.csv")
        guard FileManager.default.fileExists(atPath: cow.path), FileManager.default.fileExists(atPath: cepii.path) else {
            throw XCTSkip("real data not found at \(data.path): download COW NMC 6.0 and CEPII GeoDist to run this test (see README)")
        }
        let dir = CLI.temporaryFolder(self)
        let file = dir.appendingPathComponent("c.yaml")
        try CLI.write(config(capabilities: cow.path, distances: cepii.path, year: 1994, territorial: "RWA", extra: ", states: {FRA: {links: {support: 0.6}}}"), to: file)
        let out = dir.appendingPathComponent("out").path
        let r = try CLI.run(["run", file.path, "-o", out, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/manifest.json"))) as! [String: Any]
        let world = (manifest["resolved_config"] as! [String: Any])["world"] as! [String: Any]
        XCTAssertEqual(world["source"] as? String, "data")
        XCTAssertEqual(world["year"] as? Int, 1994)
    }
}

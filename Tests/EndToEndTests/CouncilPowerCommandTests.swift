import Foundation
import XCTest

final class CouncilPowerCommandTests: XCTestCase {
    func power(_ config: String?) throws -> [[String: Any]] {
        let r = try CLI.run(["council-power"] + (config.map { [$0] } ?? []) + ["--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        return object["members"] as! [[String: Any]]
    }

    func testCharterRuleAndReforms() throws {
        let charter = try power(nil)
        XCTAssertEqual(charter.count, 15)
        XCTAssertEqual(charter.map { $0["shapley_shubik"] as! Double }.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(charter.map { $0["banzhaf_normalised"] as! Double }.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(charter[0]["shapley_shubik"] as! Double, 421.0 / 2145, accuracy: 1e-12)
        XCTAssertEqual(charter[14]["banzhaf_normalised"] as! Double, 21.0 / 1270, accuracy: 1e-12)
        let dir = CLI.temporaryFolder(self)
        let noVeto = dir.appendingPathComponent("noveto.yaml")
        try CLI.write("council: {veto_threshold: 0}\n", to: noVeto)
        for m in try power(noVeto.path) { XCTAssertEqual(m["shapley_shubik"] as! Double, 1.0 / 15, accuracy: 1e-12) }
        let table = try CLI.run(["council-power"])
        XCTAssertTrue(table.stdout.contains("CHN"), table.stdout)
    }
}

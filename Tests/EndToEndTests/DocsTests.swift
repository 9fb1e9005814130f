import Foundation
import XCTest

/// The docs quote the code's own parameter table; these tests keep them in step
/// (regenerate with scripts/update-docs.sh).
final class DocsTests: XCTestCase {
    func block(_ doc: String) throws -> String {
        let text = try String(contentsOf: CLI.root.appendingPathComponent(doc), encoding: .utf8)
        let begin = "<!-- parameters:begin -->\n", end = "<!-- parameters:end -->"
        guard let i = text.range(of: begin), let j = text.range(of: end) else { throw XCTSkip("\(doc) has no parameter block") }
        return String(text[i.upperBound..<j.lowerBound])
    }

    func testParameterTablesMatchTheCode() throws {
        let params = try CLI.run(["params"])
        XCTAssertEqual(params.status, 0)
        for doc in ["docs/MODEL.md", "docs/EXPERIMENTS.md"] {
            XCTAssertEqual(try block(doc), params.stdout, "\(doc) is out of date: run scripts/update-docs.sh")
        }
    }

    func testEveryRunsColumnIsDocumented() throws {
        let model = try String(contentsOf: CLI.root.appendingPathComponent("docs/MODEL.md"), encoding: .utf8)
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("c.yaml")
        try CLI.write("replicates: 1\nhorizon_weeks: 2\n", to: config)
        XCTAssertEqual(try CLI.run(["run", config.path, "-o", dir.appendingPathComponent("o").path, "--quiet"]).status, 0)
        let header = try String(contentsOf: dir.appendingPathComponent("o/runs.csv"), encoding: .utf8).split(separator: "\n")[0]
        for column in header.split(separator: ",") where !["point", "regime", "replicate", "seed", "error"].contains(String(column)) {
            XCTAssertTrue(model.contains("`\(column)`"), "docs/MODEL.md does not document runs.csv column \(column)")
        }
    }
}

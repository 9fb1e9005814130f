import Foundation
import XCTest
@testable import BystanderExperiments

/// `git_dirty` in a manifest says whether the sources differ from the recorded commit; results
/// and generated reports written into the tracked tree (make run, make figures) do not count.
final class ProvenanceTests: XCTestCase {
    func testResultsWrittenIntoTheTreeLeaveItClean() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bystander-git-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        let git = { (args: [String]) -> String? in Provenance.run(["git", "-C", root, "-c", "user.name=t", "-c", "user.email=t@t"] + args) }
        for dir in ["Sources", "Experiments", "Results/default", "docs"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(dir)", withIntermediateDirectories: true)
        }
        let files = ["Sources/model.swift": "let a = 1\n", "Experiments/default.yaml": "seed: 1\n",
                     "Results/default/summary.csv": "point\n", "docs/VALIDATION.md": "report\n"]
        for (path, text) in files { try text.write(toFile: "\(root)/\(path)", atomically: true, encoding: .utf8) }
        XCTAssertNotNil(git(["init", "-q"]))
        XCTAssertNotNil(git(["add", "-A"]))
        XCTAssertNotNil(git(["commit", "-q", "-m", "start"]))
        XCTAssertEqual(Provenance.git(at: root)?.dirty, false)

        // What `make figures` does: rewrite tracked results and reports, add new ones.
        try "point\n0\n".write(toFile: "\(root)/Results/default/summary.csv", atomically: true, encoding: .utf8)
        try "new\n".write(toFile: "\(root)/Results/default/manifest.json", atomically: true, encoding: .utf8)
        try "regenerated\n".write(toFile: "\(root)/docs/VALIDATION.md", atomically: true, encoding: .utf8)
        XCTAssertEqual(Provenance.git(at: root)?.dirty, false, "results and reports must not make the tree dirty")

        // A changed config or source does.
        try "seed: 2\n".write(toFile: "\(root)/Experiments/default.yaml", atomically: true, encoding: .utf8)
        XCTAssertEqual(Provenance.git(at: root)?.dirty, true)
        XCTAssertNotNil(git(["checkout", "-q", "--", "Experiments"]))
        try "let a = 2\n".write(toFile: "\(root)/Sources/model.swift", atomically: true, encoding: .utf8)
        XCTAssertEqual(Provenance.git(at: root)?.dirty, true)
    }
}

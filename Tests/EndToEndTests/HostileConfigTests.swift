import Foundation
import XCTest

/// The corpus of hostile inputs (Tests/Fixtures/hostile-configs/): each fixture states the
/// message it must produce (`# expect:` lines) and, where YAML gives one, the line (`# line:`).
/// Every one must give exactly one line on standard error, exit status 2, no crash or stack
/// trace, and leave no output folder behind.
final class HostileConfigTests: XCTestCase {
    let folder = CLI.fixtures.appendingPathComponent("hostile-configs")

    func fixtures() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    func testTheCorpusIsLargeEnough() throws {
        XCTAssertGreaterThanOrEqual(try fixtures().count, 50, "the hostile corpus must not shrink silently")
    }

    func testEveryHostileConfigIsRejectedWithItsMessage() throws {
        for file in try fixtures() {
            let name = file.lastPathComponent
            let header = String(decoding: try Data(contentsOf: file), as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("# ") }
            let expected = header.filter { $0.hasPrefix("# expect: ") }.map { String($0.dropFirst("# expect: ".count)) }
            let line = header.first { $0.hasPrefix("# line: ") }.map { String($0.dropFirst("# line: ".count)) }
            XCTAssertFalse(expected.isEmpty, "\(name) states no expected message")
            let out = CLI.temporaryFolder(self).appendingPathComponent("out").path
            let r = try CLI.run(["run", file.path, "--output", out, "--quiet"], timeout: 60)
            XCTAssertEqual(r.status, 2, "\(name): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(name): one line expected, got: \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("bystander: "), "\(name): \(r.stderr)")
            for e in expected { XCTAssertTrue(r.stderr.contains(e), "\(name): expected '\(e)' in: \(r.stderr)") }
            if let line { XCTAssertTrue(r.stderr.contains("line \(line):"), "\(name): expected line \(line) in: \(r.stderr)") }
            if header.contains("# no line") { XCTAssertFalse(r.stderr.contains("line "), "\(name): no line number expected in: \(r.stderr)") }
            for bad in ["Fatal error", "Stack dump", "backtrace", "Current stack trace"] { XCTAssertFalse(r.stderr.contains(bad), "\(name): \(r.stderr)") }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(name) left an output folder behind")
        }
    }

    func testHostileCommandLines() throws {
        let dir = CLI.temporaryFolder(self)
        let config = CLI.fixtures.appendingPathComponent("experiments/small-sweep.yaml").path
        let file = dir.appendingPathComponent("a-file")
        try CLI.write("x", to: file)
        let cases: [([String], String)] = [
            (["sweep", config, "--shard", "4/3", "-o", "\(dir.path)/o"], "the index must be between 0 and 2"),
            (["sweep", config, "--shard", "x", "-o", "\(dir.path)/o"], "--shard must be I/N"),
            (["sweep", config, "--jobs", "0", "-o", "\(dir.path)/o"], "--jobs must be between 1 and 4096"),
            (["sweep", config, "-o", file.path], "exists and is not a folder"),
            (["run", "\(dir.path)/missing.yaml"], "does not exist"),
            (["compare", "\(dir.path)/nothing"], "cannot read"),
            (["merge", "\(dir.path)/m", "\(dir.path)/nothing"], "holds no finished shard"),
            (["reproduce", "\(dir.path)/nothing/manifest.json"], "cannot read manifest"),
            (["run", config, "--progress", "loud"], "--progress must be"),
        ]
        for (args, message) in cases {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): expected '\(message)' in: \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Fatal error"), "\(args)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir.path)/o"))
    }
}

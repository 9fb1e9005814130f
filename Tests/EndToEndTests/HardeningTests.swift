import Foundation
import XCTest

/// Inputs at the edges of what the code can represent, one writer per folder, resumes from any
/// point, reruns that are no-ops, signals (see docs/RELIABILITY.md). Each test failed on the
/// code before these guarantees were built.
final class HardeningTests: XCTestCase {
    /// About 0.3 s a run in a debug build: long enough to be caught in the middle.
    static let slowConfig = "name: slow\nseed: 3\nreplicates: 16\nhorizon_weeks: 1000\nregimes: [buck_passing]\nworld: {count: 10000}\ncrisis: {initial_phase: escalating}\n"
    static let smallConfig = "name: small\nseed: 5\nreplicates: 6\nhorizon_weeks: 40\n"

    func config(_ text: String, in dir: URL, _ name: String = "c.yaml") throws -> String {
        let url = dir.appendingPathComponent(name)
        try CLI.write(text, to: url)
        return url.path
    }

    /// A bystander process in the background, its standard error collected.
    final class Background {
        let process = Process()
        let errors = Pipe()
        init(_ args: [String]) throws {
            process.executableURL = CLI.executable
            process.arguments = args
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
        }
        func waitFor(file: String, timeout: TimeInterval = 60) {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline && process.isRunning && !FileManager.default.fileExists(atPath: file) { usleep(2000) }
        }
        func finish() -> (status: Int32, stderr: String) {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
    }

    func rows(_ folder: String, _ file: String = "runs.csv") throws -> [Substring] {
        try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8).split(separator: "\n")
    }

    // MARK: 1. Numbers at the edges of what the code can represent

    func testExtremeCommandLineValuesExitTwoWithoutATrap() throws {
        let dir = CLI.temporaryFolder(self)
        let sweep = CLI.fixtures.appendingPathComponent("experiments/small-sweep.yaml").path
        let max = String(Int.max)
        let cases: [([String], String)] = [
            (["sweep", sweep, "--jobs", max, "-o", "\(dir.path)/a"], "--jobs must be between 1 and 4096"),
            (["sweep", sweep, "--shard", "\(Int.max - 1)/\(max)", "-o", "\(dir.path)/b"], "more shards than the"),
            (["sweep", sweep, "--shard", "0/\(max)", "-o", "\(dir.path)/c"], "more shards than the"),
            (["sweep", sweep, "--shard", "0/99999999999999999999", "-o", "\(dir.path)/d"], "--shard must be I/N"),
            (["reproduce", "\(dir.path)/x/manifest.json", "--jobs", max], "--jobs must be between"),
            (["sweep", sweep, "--max-points", "0", "-o", "\(dir.path)/e"], "--max-points must be at least 1"),
            (["sweep", sweep, "--max-points", "3", "-o", "\(dir.path)/f"], "the design has 4 points, above the limit of 3"),
            (["sweep", sweep, "--max-runs", "10", "-o", "\(dir.path)/g"], "above the limit of 10 (raise it with --max-runs)"),
            (["run", sweep, "-o", "\(dir.path)/h\nrm -rf x"], "--output must not contain control characters"),
        ]
        for (args, message) in cases {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): expected '\(message)' in: \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Fatal error"), "\(args): \(r.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "no output folder left behind")
    }

    func testCouncilPowerRefusesCouncilsItCannotCount() throws {
        let dir = CLI.temporaryFolder(self)
        let big = try config("name: big\ncouncil: {elected_seats: {africa: 20, asia_pacific: 20, eastern_europe: 10, latin_america_caribbean: 4, western_europe_others: 4}}\n", in: dir)
        let r = try CLI.run(["council-power", big])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("1 to 62 seats; this Council has 63"), r.stderr)
        let quota = try config("name: q\ncouncil: {enabled: false, quota: 40}\n", in: dir, "q.yaml")
        let q = try CLI.run(["council-power", quota])
        XCTAssertEqual(q.status, 2, q.stderr)
        XCTAssertTrue(q.stderr.contains("council.quota (40) is larger than the number of seats (15)"), q.stderr)
    }

    /// A 70 MB config (measured: about a minute and 1.9 GB in Yams before its error), a 1 MB
    /// key (12 s in the suggestion, and echoed whole), a 1 MB value: refused at once, the
    /// message one line of bounded length.
    func testLargeHostileConfigsFailFastWithBoundedMessages() throws {
        let dir = CLI.temporaryFolder(self)
        var big = "name: big\n"
        let line = String(repeating: "unknown_key_with_a_value: 1\n", count: 1000)
        while big.utf8.count < 70 << 20 { big += line }
        let cases: [(String, String)] = [
            (big, "is larger than 1048576 bytes (1 MiB), the limit for a config"),
            ("name: k\n? " + String(repeating: "k", count: 1_000_000) + "\n: 1\n", "more characters): unknown key"),
            ("name: " + String(repeating: "v", count: 1_000_000) + "\n", "more characters)'"),
        ]
        // An endless file and a folder as configs, too.
        let endless = cases.map { ($0.0, $0.1, nil as String?) } + [("", "is larger than 1048576 bytes", "/dev/zero"), ("", "is a folder", dir.path)]
        for (k, (text, message, given)) in endless.enumerated() {
            let path = try given ?? config(text, in: dir, "big\(k).yaml")
            let r = try CLI.run(["run", path, "-o", "\(dir.path)/out", "-q"], timeout: 60)
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains(message), String(r.stderr.prefix(300)))
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1)
            XCTAssertLessThan(r.stderr.utf8.count, 1200, "the message quotes a bounded part of the input")
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir.path)/out"))
        }
    }

    // MARK: 3. One writer per output folder

    func testASecondProcessIsRefusedWhileTheFirstHoldsTheFolder() throws {
        let dir = CLI.temporaryFolder(self)
        let path = try config(Self.slowConfig, in: dir)
        let out = "\(dir.path)/out"
        let first = try Background(["run", path, "-o", out, "-q", "--jobs", "1"])
        first.waitFor(file: "\(out)/runs.csv")
        guard first.process.isRunning else { throw XCTSkip("the run finished before a second process could try") }
        for extra in [[], ["--force"]] {
            let second = try CLI.run(["run", path, "-o", out, "-q"] + extra)
            XCTAssertEqual(second.status, 2, second.stderr)
            XCTAssertTrue(second.stderr.contains("is in use by another bystander process (pid \(first.process.processIdentifier))"), second.stderr)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/runs.csv"), "--force deleted nothing")
        kill(first.process.processIdentifier, SIGTERM)
        XCTAssertEqual(first.finish().status, 130)
        let resumed = try CLI.run(["run", path, "-o", out, "-q"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try rows(out).count, 1 + 16)
    }

    // MARK: 4. Resume from any point; reruns; options; merge; manifests

    /// kill -9 before the first chunk is committed: the folder resumes (it used to be "not
    /// empty; use --force").
    func testAKillBeforeTheFirstCheckpointResumes() throws {
        let dir = CLI.temporaryFolder(self)
        let path = try config(Self.slowConfig, in: dir)
        let out = "\(dir.path)/out"
        let p = try Background(["run", path, "-o", out, "-q", "--jobs", "1"])
        p.waitFor(file: "\(out)/runs.csv")
        guard p.process.isRunning else { throw XCTSkip("the run finished before it could be killed") }
        kill(p.process.processIdentifier, SIGKILL)
        _ = p.finish()
        XCTAssertEqual(try rows(out).count, 1, "killed before any run was committed")
        let resumed = try CLI.run(["run", path, "-o", out, "-q", "--jobs", "2"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try rows(out).count, 1 + 16)
    }

    func testResumingWithOtherOutputOptionsIsRefusedWithTheDifference() throws {
        let dir = CLI.temporaryFolder(self)
        // 40 runs: more than one chunk of 32 on one thread, so that an interrupt leaves a partial run.
        let path = try config("name: partial\nseed: 3\nreplicates: 40\nhorizon_weeks: 300\nregimes: [buck_passing]\nworld: {count: 10000}\ncrisis: {initial_phase: escalating}\n", in: dir)
        let out = "\(dir.path)/out"
        let p = try Background(["run", path, "-o", out, "-q", "--jobs", "1", "--no-votes"])
        p.waitFor(file: "\(out)/runs.csv")
        usleep(300_000)
        kill(p.process.processIdentifier, SIGINT)
        guard p.finish().status == 130 else { throw XCTSkip("the run finished before it could be interrupted") }
        let other = try CLI.run(["run", path, "-o", out, "-q", "--timeseries", "2"])
        XCTAssertEqual(other.status, 2, other.stderr)
        XCTAssertTrue(other.stderr.contains("recorded with votes off and --timeseries 0; this command asks for votes on and --timeseries 2"), other.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/timeseries.csv"))
        let same = try CLI.run(["run", path, "-o", out, "-q", "--no-votes"])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertEqual(try rows(out).count, 1 + 40)
    }

    /// The same command on a complete folder verifies it and exits 0 (a Slurm requeue); a
    /// changed file, other options or another experiment are refused.
    func testRerunningACompleteFolderVerifiesItAndExitsZero() throws {
        let dir = CLI.temporaryFolder(self)
        let path = try config(Self.smallConfig, in: dir)
        let out = "\(dir.path)/out"
        XCTAssertEqual(try CLI.run(["run", path, "-o", out, "-q"]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(out)/manifest.json"))
        let again = try CLI.run(["run", path, "-o", out, "-q"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("already complete"), again.stdout)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(out)/manifest.json")), before, "nothing rewritten")
        let options = try CLI.run(["run", path, "-o", out, "-q", "--no-votes"])
        XCTAssertEqual(options.status, 2)
        XCTAssertTrue(options.stderr.contains("made with votes on and --timeseries 0; this command asks for votes off"), options.stderr)
        try CLI.write(Self.smallConfig + "description: another\n", to: URL(fileURLWithPath: path))
        let other = try CLI.run(["run", path, "-o", out, "-q"])
        XCTAssertEqual(other.status, 2)
        XCTAssertTrue(other.stderr.contains("already holds complete results of another experiment"), other.stderr)
        try CLI.write(Self.smallConfig, to: URL(fileURLWithPath: path))
        var runs = try String(contentsOfFile: "\(out)/runs.csv", encoding: .utf8)
        runs += "x\n"
        try runs.write(toFile: "\(out)/runs.csv", atomically: true, encoding: .utf8)
        let changed = try CLI.run(["run", path, "-o", out, "-q"])
        XCTAssertEqual(changed.status, 2)
        XCTAssertTrue(changed.stderr.contains("runs.csv no longer matches manifest.json"), changed.stderr)
    }

    func testAFailedMergeLeavesNothingAndCorruptManifestsExitTwo() throws {
        let dir = CLI.temporaryFolder(self).path
        let sweep = CLI.fixtures.appendingPathComponent("experiments/small-sweep.yaml").path
        for i in 0..<2 { XCTAssertEqual(try CLI.run(["sweep", sweep, "-o", "\(dir)/s\(i)", "--shard", "\(i)/2", "-q"]).status, 0) }
        // A merge that fails once it has started writing (a shard lost its runs.csv).
        try FileManager.default.moveItem(atPath: "\(dir)/s1/runs.csv", toPath: "\(dir)/runs.csv.saved")
        let failed = try CLI.run(["merge", "\(dir)/merged", "\(dir)/s0", "\(dir)/s1"])
        XCTAssertEqual(failed.status, 2, failed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir)/merged"), "a failed merge leaves no folder")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("merging") }, [])
        try FileManager.default.moveItem(atPath: "\(dir)/runs.csv.saved", toPath: "\(dir)/s1/runs.csv")
        XCTAssertEqual(try CLI.run(["merge", "\(dir)/merged", "\(dir)/s0", "\(dir)/s1"]).status, 0)
        // Corrupt and foreign manifests: exit 2 with a message, not 1 ("differences found").
        for (text, message) in [("{\"runs\": ", "not a JSON object"), ("{\"name\": \"x\"}", "no experiment_hash")] {
            try text.write(toFile: "\(dir)/s0/manifest.json", atomically: true, encoding: .utf8)
            try text.write(toFile: "\(dir)/merged/manifest.json", atomically: true, encoding: .utf8)
            for args in [["reproduce", "\(dir)/merged/manifest.json"], ["merge", "\(dir)/m2", "\(dir)/s0", "\(dir)/s1"]] {
                let r = try CLI.run(args)
                XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains("is not a bystander manifest (\(message)"), "\(args): \(r.stderr)")
            }
        }
    }

    // MARK: 5. Signals

    /// The first SIGTERM stops between runs, not at the end of the chunk: all 16 runs are one
    /// chunk here, which the old engine finished (exit 0) before it looked at the signal.
    func testTheFirstSignalStopsBetweenRuns() throws {
        let dir = CLI.temporaryFolder(self)
        let path = try config(Self.slowConfig, in: dir)
        let out = "\(dir.path)/out"
        let p = try Background(["run", path, "-o", out, "-q", "--jobs", "1"])
        p.waitFor(file: "\(out)/runs.csv")
        usleep(500_000)
        kill(p.process.processIdentifier, SIGTERM)
        let r = p.finish()
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertTrue(r.stderr.contains("stopping after the runs in progress"), r.stderr)
        let committed = try rows(out).count - 1
        XCTAssertLessThan(committed, 16, "stopped before the end of the chunk")
        let resumed = try CLI.run(["run", path, "-o", out, "-q"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("(resumed after \(committed))") || committed == 0, resumed.stdout)
        XCTAssertEqual(try rows(out).count, 1 + 16)
    }

    func testASecondSignalExitsAtOnceAndTheFolderResumes() throws {
        let dir = CLI.temporaryFolder(self)
        // Runs of about a second: the second signal comes while the first waits for one.
        let path = try config("name: slower\nseed: 3\nreplicates: 4\nhorizon_weeks: 2000\nregimes: [buck_passing]\nworld: {count: 20000}\ncrisis: {initial_phase: escalating}\n", in: dir)
        let out = "\(dir.path)/out"
        let p = try Background(["run", path, "-o", out, "-q", "--jobs", "1"])
        p.waitFor(file: "\(out)/runs.csv")
        usleep(1_000_000)
        kill(p.process.processIdentifier, SIGINT)
        usleep(20_000)
        guard p.process.isRunning else { throw XCTSkip("the first signal had already stopped the run") }
        kill(p.process.processIdentifier, SIGINT)
        let r = p.finish()
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertTrue(r.stderr.contains("interrupted again: stopped at once"), r.stderr)
        XCTAssertFalse(r.stderr.contains("runs are committed"), "it did not wait for the run in progress: \(r.stderr)")
        let resumed = try CLI.run(["run", path, "-o", out, "-q"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try rows(out).count, 1 + 4)
    }
}

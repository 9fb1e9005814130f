import Foundation
import XCTest

/// Determinism, resumption and sharding of sweeps, through the CLI as a user runs them.
final class SweepTests: XCTestCase {
    let sweepConfig = CLI.fixtures.appendingPathComponent("experiments/small-sweep.yaml").path

    func read(_ folder: String, _ file: String) throws -> String { try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8) }

    func sweep(_ config: String, _ out: String, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.run(["sweep", config, "--output", out, "--quiet"] + extra)
    }

    func testOutputsAreByteIdenticalWhateverTheThreadsOrShards() throws {
        let dir = CLI.temporaryFolder(self).path
        XCTAssertEqual(try sweep(sweepConfig, "\(dir)/one", ["--jobs", "1"]).status, 0)
        XCTAssertEqual(try sweep(sweepConfig, "\(dir)/two", ["--jobs", "2"]).status, 0)
        for i in 0..<3 { XCTAssertEqual(try sweep(sweepConfig, "\(dir)/shard\(i)", ["--shard", "\(i)/3", "--jobs", "2"]).status, 0) }
        let merge = try CLI.run(["merge", "\(dir)/merged", "\(dir)/shard2", "\(dir)/shard0", "\(dir)/shard1"])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        for file in ["runs.csv", "summary.csv", "comparison.csv", "members.csv", "state-runs.csv", "states.csv"] {
            let reference = try read("\(dir)/one", file)
            XCTAssertEqual(try read("\(dir)/two", file), reference, "\(file): --jobs 1 vs 2")
            XCTAssertEqual(try read("\(dir)/merged", file), reference, "\(file): 3 shards merged vs whole")
        }
        let runs = try read("\(dir)/one", "runs.csv").split(separator: "\n")
        XCTAssertEqual(runs.count, 1 + 4 * 3 * 8)
        XCTAssertTrue(runs[0].hasPrefix("point,duties.enforcement,council.veto_restraint_pledges,regime,replicate,seed,"))
        // Merging an incomplete set of shards is refused.
        XCTAssertEqual(try CLI.run(["merge", "\(dir)/bad", "\(dir)/shard0", "\(dir)/shard1"]).status, 2)
    }

    func testSameSeedSameBytesAndDifferentSeedsDifferentOutcomes() throws {
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("c.yaml")
        try CLI.write("name: s\nseed: 5\nreplicates: 30\nhorizon_weeks: 60\ncrisis: {initial_phase: escalating}\n", to: config)
        XCTAssertEqual(try CLI.run(["run", config.path, "-o", "\(dir.path)/a", "--quiet"]).status, 0)
        XCTAssertEqual(try CLI.run(["run", config.path, "-o", "\(dir.path)/b", "--quiet", "--jobs", "1"]).status, 0)
        XCTAssertEqual(try read("\(dir.path)/a", "runs.csv"), try read("\(dir.path)/b", "runs.csv"))
        XCTAssertEqual(try read("\(dir.path)/a", "votes.csv"), try read("\(dir.path)/b", "votes.csv"))
        // The manifests differ only in times, host-dependent values and the output location.
        let ma = try JSONSerialization.jsonObject(with: Data(read("\(dir.path)/a", "manifest.json").utf8)) as! [String: Any]
        let mb = try JSONSerialization.jsonObject(with: Data(read("\(dir.path)/b", "manifest.json").utf8)) as! [String: Any]
        XCTAssertEqual(ma["config_hash"] as? String, mb["config_hash"] as? String)
        XCTAssertEqual(ma["outputs"] as? [String: String], mb["outputs"] as? [String: String])

        try CLI.write("name: s\nseed: 6\nreplicates: 30\nhorizon_weeks: 60\ncrisis: {initial_phase: escalating}\n", to: config)
        XCTAssertEqual(try CLI.run(["run", config.path, "-o", "\(dir.path)/c", "--quiet"]).status, 0)
        let deaths = { (f: String) -> [String] in try self.read(f, "runs.csv").split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[8]) } }
        XCTAssertNotEqual(try deaths("\(dir.path)/a"), try deaths("\(dir.path)/c"))
    }

    /// Replicate r of point p has the same seed and row however many replicates or points are
    /// requested (appending grid values appends points).
    func testAddingReplicatesOrPointsLeavesExistingRunsUnchanged() throws {
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("c.yaml")
        let base = "name: g\nseed: 9\nhorizon_weeks: 50\ncrisis: {initial_phase: escalating}\nregimes: [buck_passing, individual_duty]\n"
        try CLI.write(base + "replicates: 10\nsweep: {method: grid, parameters: {duties.enforcement: {values: [0, 1]}}}\n", to: config)
        XCTAssertEqual(try CLI.run(["sweep", config.path, "-o", "\(dir.path)/small", "--quiet"]).status, 0)
        try CLI.write(base + "replicates: 25\nsweep: {method: grid, parameters: {duties.enforcement: {values: [0, 1, 3]}}}\n", to: config)
        XCTAssertEqual(try CLI.run(["sweep", config.path, "-o", "\(dir.path)/large", "--quiet"]).status, 0)
        let small = try read("\(dir.path)/small", "runs.csv").split(separator: "\n")
        let large = Set(try read("\(dir.path)/large", "runs.csv").split(separator: "\n"))
        XCTAssertEqual(small.count, 1 + 2 * 10 * 2)
        for row in small { XCTAssertTrue(large.contains(row), "missing from the larger sweep: \(row.prefix(60))") }
    }

    /// kill -9 in the middle of a sweep, rerun the same command: the files are byte-identical
    /// to an uninterrupted sweep, no run lost or duplicated.
    func testKilledSweepResumesToIdenticalResults() throws {
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("c.yaml")
        try CLI.write("name: k\nseed: 13\nreplicates: 400\nhorizon_weeks: 104\nsweep: {method: grid, parameters: {duties.enforcement: {values: [0, 1, 2, 4]}}}\n", to: config)
        let reference = "\(dir.path)/reference", killed = "\(dir.path)/killed"
        XCTAssertEqual(try CLI.run(["sweep", config.path, "-o", reference, "--quiet"]).status, 0)
        var killedOnce = false
        for attempt in 0..<3 where !killedOnce {
            try? FileManager.default.removeItem(atPath: killed)
            let p = Process()
            p.executableURL = CLI.executable
            p.arguments = ["sweep", config.path, "-o", killed, "--quiet", "--jobs", "2"]
            try p.run()
            // Wait for the first checkpoint, then kill without warning.
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && !FileManager.default.fileExists(atPath: "\(killed)/.progress.json") && p.isRunning { usleep(2000) }
            usleep(useconds_t(20_000 * (attempt + 1)))
            if p.isRunning { kill(p.processIdentifier, SIGKILL); killedOnce = true }
            p.waitUntilExit()
        }
        XCTAssertTrue(killedOnce, "the sweep finished before it could be killed; make it longer")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(killed)/.progress.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(killed)/manifest.json"))
        let resumed = try CLI.run(["sweep", config.path, "-o", killed, "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        for file in ["runs.csv", "summary.csv", "comparison.csv", "members.csv", "state-runs.csv", "states.csv"] {
            XCTAssertEqual(try read(killed, file), try read(reference, file), file)
        }
        // A different config into the partial folder is refused without --force.
        try CLI.write("name: k\nseed: 14\nreplicates: 4\n", to: config)
        try FileManager.default.removeItem(atPath: "\(killed)/manifest.json")
        try "{\"experimentHash\":\"x\",\"tasksDone\":1,\"failed\":0,\"offsets\":{},\"started\":\"\"}".write(toFile: "\(killed)/.progress.json", atomically: true, encoding: .utf8)
        let refused = try CLI.run(["run", config.path, "-o", killed, "--quiet"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("different experiment"), refused.stderr)
    }

    func testReproduceVerifiesEveryFileAndReportsDifferences() throws {
        let dir = CLI.temporaryFolder(self).path
        XCTAssertEqual(try sweep(sweepConfig, "\(dir)/r").status, 0)
        let ok = try CLI.run(["reproduce", "\(dir)/r/manifest.json"])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertTrue(ok.stdout.contains("byte-identical"), ok.stdout)
        for file in ["runs.csv", "summary.csv", "comparison.csv", "members.csv", "state-runs.csv", "states.csv"] { XCTAssertTrue(ok.stdout.contains("same  \(file)"), ok.stdout) }
        var runs = try read("\(dir)/r", "runs.csv")
        runs = runs.replacingOccurrences(of: ",buck_passing,3,", with: ",buck_passing,3,1")
        try runs.write(toFile: "\(dir)/r/runs.csv", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["reproduce", "\(dir)/r/manifest.json"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stdout.contains("DIFFERENT  runs.csv"), bad.stdout)
    }

    func testCompareFormats() throws {
        let dir = CLI.temporaryFolder(self).path
        XCTAssertEqual(try sweep(sweepConfig, "\(dir)/r").status, 0)
        let table = try CLI.run(["compare", "\(dir)/r", "--point", "0"])
        XCTAssertEqual(table.status, 0)
        XCTAssertTrue(table.stdout.contains("deaths_total"))
        let json = try CLI.run(["compare", "\(dir)/r", "--point", "1", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["regimes"] as? [String], ["buck_passing", "individual_duty", "capacity_based"])
        let csv = try CLI.run(["compare", "\(dir)/r", "--format", "csv"])
        XCTAssertEqual(csv.stdout.split(separator: "\n").filter { $0.hasPrefix("point,") }.count, 1, "one header for all points")
        let md = try CLI.run(["compare", "\(dir)/r", "--format", "markdown", "--point", "0"])
        XCTAssertTrue(md.stdout.contains("| deaths_total |"))
    }

    /// A small fixed config's runs.csv, pinned. Update only for an intended behaviour change
    /// and explain it in the commit message.
    func testGoldenChecksum() throws {
        let dir = CLI.temporaryFolder(self).path
        let r = try CLI.run(["run", CLI.fixtures.appendingPathComponent("experiments/golden.yaml").path, "-o", dir, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let manifest = try JSONSerialization.jsonObject(with: Data(read(dir, "manifest.json").utf8)) as! [String: Any]
        let outputs = manifest["outputs"] as! [String: String]
        XCTAssertEqual(outputs["runs.csv"], GoldenTests.runsSHA256, "runs.csv of Tests/Fixtures/experiments/golden.yaml changed")
    }
}

enum GoldenTests {
    static let runsSHA256 = "40b2bd9abcfdbcdc56bb295d81eae58d690ea843d2abdb925cbeb667a5f0b029"
}

final class FailureHandlingTests: XCTestCase {
    /// A run that fails is recorded with its error and does not sink the sweep; the exit
    /// status (3) says that some runs failed, and the summaries leave the failed runs out.
    func testFailedRunsAreRecordedAndTheSweepCompletes() throws {
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("c.yaml")
        try CLI.write("name: f\nseed: 2\nreplicates: 5\nhorizon_weeks: 30\nregimes: [buck_passing, individual_duty]\n", to: config)
        let out = dir.appendingPathComponent("out").path
        let r = try CLI.run(["run", config.path, "-o", out, "--quiet"], environment: ["BYSTANDER_INJECT_FAILURES": "0/1,0/3"])
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("4 run(s) failed"), r.stderr)
        let rows = try String(contentsOfFile: "\(out)/runs.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 1 + 10)
        XCTAssertEqual(rows.filter { $0.hasSuffix("injected failure (BYSTANDER_INJECT_FAILURES)") }.count, 4)
        let summary = try String(contentsOfFile: "\(out)/summary.csv", encoding: .utf8)
        XCTAssertTrue(summary.contains("\n0,buck_passing,deaths_total,3,"), "3 of 5 runs remain in the summary")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/manifest.json"))
    }

    /// Ctrl-C finishes the runs in flight, commits them, says how to resume, exits 130; the
    /// same command then completes the run.
    func testInterruptIsResumable() throws {
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("c.yaml")
        try CLI.write("name: i\nseed: 4\nreplicates: 800\nhorizon_weeks: 104\n", to: config)
        let out = dir.appendingPathComponent("out").path
        let p = Process()
        p.executableURL = CLI.executable
        p.arguments = ["run", config.path, "-o", out, "--quiet", "--jobs", "1"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !FileManager.default.fileExists(atPath: "\(out)/.progress.json") && p.isRunning { usleep(2000) }
        guard p.isRunning else { throw XCTSkip("the run finished before it could be interrupted") }
        kill(p.processIdentifier, SIGINT)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130, message)
        XCTAssertTrue(message.contains("run the same command again to resume"), message)
        let resumed = try CLI.run(["run", config.path, "-o", out, "--quiet", "--jobs", "2"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try String(contentsOfFile: "\(out)/runs.csv", encoding: .utf8).split(separator: "\n").count, 1 + 2400)
    }
}

final class DiskFailureTests: XCTestCase {
    /// A disk that fills up mid-sweep: a clear error (status 2) that says how to resume, the
    /// partial state left consistent, and after moving it to a disk with room, resuming gives
    /// files byte-identical to an uninterrupted sweep.
    func testDiskFullMidSweepIsResumable() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to mount a small tmpfs") }
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("c.yaml")
        try CLI.write("name: d\nseed: 21\nreplicates: 300\nhorizon_weeks: 40\n", to: config)
        let reference = dir.appendingPathComponent("reference").path
        XCTAssertEqual(try CLI.run(["run", config.path, "-o", reference, "--quiet", "--no-votes"]).status, 0)
        let small = dir.appendingPathComponent("small").path
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=96k", "tmpfs", small]
        try mount.run(); mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { throw XCTSkip("cannot mount a tmpfs here") }
        defer { let u = Process(); u.executableURL = URL(fileURLWithPath: "/bin/umount"); u.arguments = [small]; try? u.run(); u.waitUntilExit() }
        let full = try CLI.run(["run", config.path, "-o", "\(small)/out", "--quiet", "--no-votes", "--jobs", "1"])
        XCTAssertEqual(full.status, 2, full.stderr)
        XCTAssertTrue(full.stderr.contains("run the same command again to resume"), full.stderr)
        XCTAssertEqual(full.stderr.split(separator: "\n").count, 1, "one line: \(full.stderr)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(small)/out/.progress.json"))
        // Move the partial results to a disk with room and resume there.
        let moved = dir.appendingPathComponent("moved").path
        try FileManager.default.copyItem(atPath: "\(small)/out", toPath: moved)
        let resumed = try CLI.run(["run", config.path, "-o", moved, "--quiet", "--no-votes"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        for file in ["runs.csv", "summary.csv", "comparison.csv", "members.csv", "state-runs.csv", "states.csv"] {
            XCTAssertEqual(try String(contentsOfFile: "\(moved)/\(file)", encoding: .utf8),
                           try String(contentsOfFile: "\(reference)/\(file)", encoding: .utf8), file)
        }
    }

    /// Several kill -9 at random points of one sweep, each followed by a resume: the final
    /// files are byte-identical to an uninterrupted sweep.
    func testRepeatedKillsAtRandomPoints() throws {
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("c.yaml")
        try CLI.write("name: r\nseed: 77\nreplicates: 500\nhorizon_weeks: 80\nsweep: {method: grid, parameters: {duties.enforcement: {values: [0, 2]}}}\n", to: config)
        let reference = dir.appendingPathComponent("reference").path, killed = dir.appendingPathComponent("killed").path
        XCTAssertEqual(try CLI.run(["sweep", config.path, "-o", reference, "--quiet"]).status, 0)
        var kills = 0
        var delay: UInt32 = 12_345
        for _ in 0..<8 {
            let p = Process()
            p.executableURL = CLI.executable
            p.arguments = ["sweep", config.path, "-o", killed, "--quiet", "--jobs", "2"]
            try p.run()
            delay = delay &* 1_103_515_245 &+ 12_345            // a fixed pseudo-random schedule of kill times
            usleep(100_000 + delay % 700_000)
            if p.isRunning { kill(p.processIdentifier, SIGKILL); kills += 1 }
            p.waitUntilExit()
            if FileManager.default.fileExists(atPath: "\(killed)/manifest.json") { break }
        }
        let last = try CLI.run(["sweep", config.path, "-o", killed, "--quiet"])
        if FileManager.default.fileExists(atPath: "\(killed)/manifest.json") && last.status == 2 {
            XCTAssertTrue(last.stderr.contains("already holds complete results"), last.stderr)
        } else {
            XCTAssertEqual(last.status, 0, last.stderr)
        }
        XCTAssertGreaterThanOrEqual(kills, 2, "the sweep must have been killed several times")
        for file in ["runs.csv", "summary.csv", "comparison.csv", "members.csv", "state-runs.csv", "states.csv"] {
            XCTAssertEqual(try String(contentsOfFile: "\(killed)/\(file)", encoding: .utf8),
                           try String(contentsOfFile: "\(reference)/\(file)", encoding: .utf8), file)
        }
        print("kill -9 trials: \(kills) kills at random points, resumed to byte-identical results")
    }
}

final class PairedPointsTests: XCTestCase {
    /// With sweep.common_random_numbers, points that differ only in a parameter that cannot
    /// matter (the pledge cost under strict veto restraint) give identical outcomes.
    func testCommonRandomNumbersAcrossPoints() throws {
        let dir = CLI.temporaryFolder(self)
        let config = dir.appendingPathComponent("c.yaml")
        let base = "name: p\nseed: 3\nreplicates: 6\nhorizon_weeks: 50\ncrisis: {initial_phase: escalating}\nregimes: [buck_passing]\n"
        for (paired, name) in [(true, "paired"), (false, "unpaired")] {
            try CLI.write(base + "sweep: {method: grid, common_random_numbers: \(paired), parameters: {council.pledge_cost: {values: [1, 2]}}}\n", to: config)
            XCTAssertEqual(try CLI.run(["sweep", config.path, "-o", "\(dir.path)/\(name)", "--quiet"]).status, 0)
            let rows = try String(contentsOfFile: "\(dir.path)/\(name)/runs.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            let outcomes = { (point: String) in rows.filter { $0.hasPrefix("\(point),") }.map { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst(5).joined(separator: ",") } }
            if paired { XCTAssertEqual(outcomes("0"), outcomes("1")) } else { XCTAssertNotEqual(outcomes("0"), outcomes("1")) }
        }
    }
}

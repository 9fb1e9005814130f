import Foundation
import XCTest

/// The script of `bystander slurm-script` checks that the binary starts, at submission and in
/// every job, and names the problem (e.g. the Swift runtime missing on a node) instead of
/// letting each shard fail with the loader's message alone.
final class SlurmScriptTests: XCTestCase {
    /// A stand-in for a binary whose libraries are missing on this node: it fails the way the
    /// dynamic loader does.
    func brokenBinary(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("broken-bystander").path
        try CLI.write("#!/bin/sh\necho \"$0: error while loading shared libraries: libswiftCore.so: cannot open shared object file: No such file or directory\" >&2\nexit 127\n", to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return path
    }

    func bash(_ script: String, path: String) throws -> CLI.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script]
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = path
        env.removeValue(forKey: "SBATCH_WAIT")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLI.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func testJobsCheckThatTheBinaryStarts() throws {
        let dir = CLI.temporaryFolder(self)
        // A fake sbatch that accepts the jobs, so the script runs to the end without a cluster.
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try CLI.write("#!/bin/sh\necho 4242\n", to: bin.appendingPathComponent("sbatch"))
        chmod(bin.appendingPathComponent("sbatch").path, 0o755)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let out = dir.appendingPathComponent("merged").path
        let generated = try CLI.run(["slurm-script", CLI.fixtures.appendingPathComponent("slurm/sweep.yaml").path, "--shards", "2", "--output", out])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertTrue(generated.stdout.contains("make dist"), "the script says how to deploy without a toolchain")
        let script = dir.appendingPathComponent("submit.sh")
        try CLI.write(generated.stdout, to: script)
        let submitted = try bash(script.path, path: path)
        XCTAssertEqual(submitted.status, 0, submitted.stderr)
        XCTAssertTrue(submitted.stdout.contains("submitted array job 4242"), submitted.stdout)

        // Each job script, run on a node where the binary cannot start, stops with the reason.
        let broken = try brokenBinary(in: dir)
        for job in ["shard.sbatch", "merge.sbatch"] {
            let text = try String(contentsOfFile: "\(out).shards/\(job)", encoding: .utf8)
            XCTAssertEqual(text.split(separator: "\n").filter { $0.hasPrefix("BYSTANDER=") }.count, 1, text)
            let onNode = text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("BYSTANDER=") ? "BYSTANDER=\(broken)" : String($0) }.joined(separator: "\n")
            let jobScript = dir.appendingPathComponent("node-\(job)")
            try CLI.write(onNode, to: jobScript)
            let r = try bash(jobScript.path, path: path)
            XCTAssertEqual(r.status, 2, "\(job): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("does not start on") && r.stderr.contains("libswiftCore.so") && r.stderr.contains("make dist"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out).shards/0/runs.csv"), "no shard ran")
        }

        // At submission too: nothing is submitted with a binary that does not start.
        let atSubmit = generated.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("BYSTANDER=") ? "BYSTANDER='\(broken)'" : String($0) }.joined(separator: "\n")
        try CLI.write(atSubmit, to: script)
        let refused = try bash(script.path, path: path)
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("does not start here"), refused.stderr)
        XCTAssertFalse(refused.stdout.contains("submitted"), refused.stdout)
    }
}

import Foundation
import XCTest

/// `bystander slurm-script` with hostile names and paths: values that cannot be made safe are
/// refused (exit 2); the others are quoted so that the generated script, run with a fake
/// `sbatch` that executes the jobs it is given, runs nothing but bystander sweep and merge.
final class SlurmScriptTests: XCTestCase {
    static let fakeSbatch = """
        #!/usr/bin/env bash
        # Fake sbatch: logs its arguments, then runs the job script (every task of an array)
        # with the job script's arguments, as Slurm would, and prints a job id.
        printf 'sbatch %s\\n' "$*" >> "$FAKE_SBATCH_LOG"
        array=""
        while [ $# -gt 0 ]; do
            case "$1" in
                --array=*) array="${1#--array=}" ;;
                --*) ;;
                *) break ;;
            esac
            shift
        done
        script=$1; shift
        if [ -n "$array" ]; then
            last=${array#0-}
            for i in $(seq 0 "$last"); do
                SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=$((last + 1)) bash "$script" "$@" >> "$FAKE_SBATCH_LOG.jobs" 2>&1 || exit 1
            done
        else
            bash "$script" "$@" >> "$FAKE_SBATCH_LOG.jobs" 2>&1 || exit 1
        fi
        echo 4242

        """

    func bash(_ script: String, in dir: URL, path: String) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["bash", script]
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        for k in ["SBATCH_WAIT", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"] { env.removeValue(forKey: k) }
        env["PATH"] = path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["FAKE_SBATCH_LOG"] = dir.appendingPathComponent("sbatch.log").path
        p.environment = env
        let out = Pipe()
        p.standardOutput = out; p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    func findPwned(_ dir: URL) -> [String] {
        (FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).filter { ($0 as NSString).lastPathComponent.hasPrefix("pwned") }
    }

    func testHostilePathsAreQuotedAndOnlyBystanderRuns() throws {
        let root = CLI.temporaryFolder(self)
        let bin = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try CLI.write(Self.fakeSbatch, to: bin.appendingPathComponent("sbatch"))
        chmod(bin.appendingPathComponent("sbatch").path, 0o755)
        // A config and an output whose paths try every way out of a shell word.
        let hostile = "a'b\"c $(touch pwned1) `touch pwned2`; touch pwned3 & $HOME \\ *"
        let configDir = root.appendingPathComponent("cfg \(hostile)")
        try FileManager.default.createDirectory(at: configDir, withIntermediateDirectories: true)
        let config = configDir.appendingPathComponent("sweep.yaml")
        try FileManager.default.copyItem(at: CLI.fixtures.appendingPathComponent("experiments/small-sweep.yaml"), to: config)
        let output = root.appendingPathComponent("out \(hostile)").path
        let generated = try CLI.run(["slurm-script", config.path, "--shards", "2", "--output", output, "--cpus", "1", "--partition", ""])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let script = root.appendingPathComponent("submit.sh")
        try CLI.write(generated.stdout, to: script)
        let submitted = try bash(script.path, in: root, path: bin.path)
        XCTAssertEqual(submitted.status, 0, submitted.output)
        XCTAssertEqual(findPwned(root), [], "a command from a path ran")
        // Exactly the two submissions, and the merged results where they were asked for.
        let log = try String(contentsOf: root.appendingPathComponent("sbatch.log"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(log.count, 2, log.joined(separator: "\n"))
        XCTAssertTrue(log.first?.contains("--array=0-1") ?? false)
        let reference = root.appendingPathComponent("reference").path
        XCTAssertEqual(try CLI.run(["sweep", config.path, "-o", reference, "-q"]).status, 0)
        for file in ["runs.csv", "summary.csv", "comparison.csv"] {
            XCTAssertEqual(try String(contentsOfFile: "\(output)/\(file)", encoding: .utf8),
                           try String(contentsOfFile: "\(reference)/\(file)", encoding: .utf8), file)
        }
        // A rerun of the script (a requeue) finds the shards complete and merges again.
        try FileManager.default.removeItem(atPath: output)
        XCTAssertEqual(try bash(script.path, in: root, path: bin.path).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/runs.csv"))
    }

    func testValuesThatCannotBeMadeSafeAreRefused() throws {
        let root = CLI.temporaryFolder(self)
        let config = CLI.fixtures.appendingPathComponent("experiments/small-sweep.yaml").path
        let out = root.appendingPathComponent("o").path
        let cases: [([String], String)] = [
            (["--shards", "2", "--output", out + "\nrm -rf ~"], "--output must not contain control characters"),
            (["--shards", "2", "--output", out + "%a"], "must not contain '%'"),
            (["--shards", "2", "--output", out, "--partition", "gpu;touch pwned"], "--partition must be"),
            (["--shards", "2", "--output", out, "--time", "1:00$(touch pwned)"], "--time must be"),
            (["--shards", "2", "--output", out, "--memory", "2G\n#SBATCH --array=0-999"], "--memory must be"),
            (["--output", out, "--shards", "0"], "--shards must be between 1 and"),
            (["--output", out, "--shards", String(Int.max)], "--shards must be between 1 and"),
            (["--shards", "2", "--output", out, "--cpus", String(Int.max)], "--cpus must be between 1 and"),
        ]
        for (args, message) in cases {
            let r = try CLI.run(["slurm-script", config] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): expected '\(message)' in \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "no script printed")
        }
        let badName = root.appendingPathComponent("bad.yaml")
        try CLI.write("name: \"x\\\"; touch pwned\"\nsweep: {parameters: {duties.enforcement: {values: [0, 1]}}}\n", to: badName)
        let r = try CLI.run(["slurm-script", badName.path, "--shards", "2", "--output", out])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("name: must be 1-64 letters"), r.stderr)
        XCTAssertEqual(findPwned(root), [])
    }

    /// A stand-in for a binary whose libraries are missing on this node: it fails the way the
    /// dynamic loader does.
    func brokenBinary(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("broken-bystander").path
        try CLI.write("#!/bin/sh\necho \"$0: error while loading shared libraries: libswiftCore.so: cannot open shared object file: No such file or directory\" >&2\nexit 127\n", to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return path
    }

    /// The script checks that the binary starts, at submission and in every job, and names the
    /// problem (e.g. the Swift runtime missing on a node) instead of letting each shard fail
    /// with the loader's message alone.
    func testJobsCheckThatTheBinaryStarts() throws {
        let dir = CLI.temporaryFolder(self)
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        // An sbatch that only accepts the jobs, so the script runs to the end without a cluster.
        try CLI.write("#!/bin/sh\necho 4242\n", to: bin.appendingPathComponent("sbatch"))
        chmod(bin.appendingPathComponent("sbatch").path, 0o755)
        let out = dir.appendingPathComponent("merged").path
        let config = CLI.fixtures.appendingPathComponent("slurm/sweep.yaml").path
        let generated = try CLI.run(["slurm-script", config, "--shards", "2", "--output", out])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertTrue(generated.stdout.contains("make dist"), "the script says how to deploy without a toolchain")
        let script = dir.appendingPathComponent("submit.sh")
        try CLI.write(generated.stdout, to: script)
        let submitted = try bash(script.path, in: dir, path: bin.path)
        XCTAssertEqual(submitted.status, 0, submitted.output)
        XCTAssertTrue(submitted.output.contains("submitted array job 4242"), submitted.output)

        // Each job script, given a binary that cannot start on its node, stops with the reason.
        let broken = try brokenBinary(in: dir)
        let jobArguments = ["shard.sbatch": [broken, config, "\(out).shards", "1"],
                            "merge.sbatch": [broken, out, "\(out).shards", "2"]]
        for (job, arguments) in jobArguments.sorted(by: { $0.key < $1.key }) {
            let runner = dir.appendingPathComponent("node-\(job).sh")
            try CLI.write("exec bash \(SlurmScriptQuote.word("\(out).shards/\(job)")) " + arguments.map(SlurmScriptQuote.word).joined(separator: " ") + "\n", to: runner)
            let r = try bash(runner.path, in: dir, path: bin.path)
            XCTAssertEqual(r.status, 2, "\(job): \(r.output)")
            XCTAssertTrue(r.output.contains("does not start on") && r.output.contains("libswiftCore.so") && r.output.contains("make dist"), r.output)
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out).shards/0/runs.csv"), "no shard ran")
        }

        // At submission too: nothing is submitted with a binary that does not start.
        let atSubmit = generated.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("BYSTANDER=") ? "BYSTANDER=\(SlurmScriptQuote.word(broken))" : String($0) }.joined(separator: "\n")
        try CLI.write(atSubmit, to: script)
        let refused = try bash(script.path, in: dir, path: bin.path)
        XCTAssertEqual(refused.status, 2, refused.output)
        XCTAssertTrue(refused.output.contains("does not start here"), refused.output)
        XCTAssertFalse(refused.output.contains("submitted"), refused.output)
    }
}

/// Single-quotes a word for bash (the tests' own, so that they do not trust the code under test).
enum SlurmScriptQuote {
    static func word(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

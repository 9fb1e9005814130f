import Foundation

/// The options that decide which files a run writes: a run is resumed, or a complete
/// folder accepted, only with the same ones (else votes.csv or timeseries.csv would cover
/// part of the runs).
struct OutputOptions: Codable, Equatable {
    var votes: Bool
    var timeseriesReplicates: Int
    var text: String { "votes \(votes ? "on" : "off") and --timeseries \(timeseriesReplicates)" }
}

/// The checkpoint of a partial run: how many runs (in canonical order) are committed and how
/// long each output file was at that moment. Written before the first run, so a folder is
/// resumable from its creation on.
struct Checkpoint: Codable {
    var experimentHash: String
    var shard: String?
    var tasksDone: Int
    var failed: Int
    var offsets: [String: UInt64]
    var started: String
    /// Absent in checkpoints written before the options were recorded (accepted as they are).
    var options: OutputOptions?
}

/// The files of one output folder, and the rules for (re)using the folder.
struct OutputLayout {
    let folder: String
    var runs: String { "\(folder)/runs.csv" }
    var votes: String { "\(folder)/votes.csv" }
    var timeseries: String { "\(folder)/timeseries.csv" }
    var summary: String { "\(folder)/summary.csv" }
    var comparison: String { "\(folder)/comparison.csv" }
    var members: String { "\(folder)/members.csv" }
    var stateRuns: String { "\(folder)/state-runs.csv" }
    var states: String { "\(folder)/states.csv" }
    var manifest: String { "\(folder)/manifest.json" }
    var checkpoint: String { "\(folder)/.progress.json" }
    var dataFiles: [String] { [runs, votes, timeseries, summary, comparison, members, stateRuns, states] }

    enum State { case fresh, resume(Checkpoint), complete(runs: Int, failed: Int) }

    /// Lock the folder (created if need be) and decide what to do with it: start afresh, resume
    /// a partial run of the same experiment and options, or accept complete results of the
    /// same experiment and options whose files still match their manifest (a rerun of the same
    /// command is then a no-op). Anything else that holds results is refused unless `force`.
    /// The lock is held by the returned object: keep it for the whole run.
    func prepare(experimentHash: String, shard: (index: Int, count: Int)?, force: Bool, options: OutputOptions) throws -> (State, OutputLock) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: folder, isDirectory: &isDir) {
            guard isDir.boolValue else { throw OutputError("output \(folder) exists and is not a folder") }
        } else {
            do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw OutputError("cannot create output folder \(folder): \(error.localizedDescription)")
            }
        }
        try checkWritable()
        let lock = try OutputLock(folder: folder)
        let shardText = shard.map { "\($0.index)/\($0.count)" }
        if let data = fm.contents(atPath: checkpoint), let cp = try? JSONDecoder().decode(Checkpoint.self, from: data) {
            if cp.experimentHash == experimentHash && cp.shard == shardText {
                if let recorded = cp.options, recorded != options, !force {
                    throw OutputError("output \(folder) holds a partial run of this experiment recorded with \(recorded.text); this command asks for \(options.text): rerun with the same options to resume, or use --force to start over")
                }
                if cp.options == nil || cp.options == options { return (.resume(cp), lock) }
            } else if !force {
                throw OutputError("output \(folder) holds a partial run of a different experiment or shard (hash \(cp.experimentHash.prefix(12))); use --force to replace it")
            }
        } else if fm.fileExists(atPath: manifest) {
            if !force {
                let runs = try verifyComplete(experimentHash: experimentHash, shard: shardText, options: options)
                return (.complete(runs: runs.runs, failed: runs.failed), lock)
            }
        } else if let contents = try? fm.contentsOfDirectory(atPath: folder), contents.contains(where: { !Self.ownFiles.contains($0) && !$0.hasSuffix(".tmp") }), !force {
            throw OutputError("output \(folder) exists and is not empty; use --force to write into it")
        }
        for f in dataFiles + [manifest, checkpoint] { try? fm.removeItem(atPath: f) }
        return (.fresh, lock)
    }

    /// Files of ours that do not make a folder "not empty": the lock, and the checkpoint of a
    /// run killed before it wrote anything else.
    static let ownFiles: Set<String> = [".lock", ".progress.json"]

    /// A folder with a manifest: the same experiment, shard and options, every file as the
    /// manifest recorded it. Returns the recorded run counts; throws what differs.
    func verifyComplete(experimentHash: String, shard: String?, options: OutputOptions) throws -> (runs: Int, failed: Int) {
        let replace = "use --force to replace them (or `bystander reproduce \(manifest)` to verify them)"
        guard let data = FileManager.default.contents(atPath: manifest),
              let m = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw OutputError("output \(folder) holds a manifest.json that cannot be read; use --force to replace the folder's results")
        }
        guard m["experiment_hash"] as? String == experimentHash, m["shard"] as? String == shard else {
            throw OutputError("output \(folder) already holds complete results of another experiment or shard; \(replace)")
        }
        let recordedOptions = m["options"] as? [String: Any] ?? [:]
        let recorded = OutputOptions(votes: recordedOptions["votes"] as? Bool ?? false, timeseriesReplicates: recordedOptions["timeseries_replicates"] as? Int ?? 0)
        guard recorded == options else {
            throw OutputError("output \(folder) already holds complete results of this experiment made with \(recorded.text); this command asks for \(options.text): \(replace)")
        }
        let outputs = m["outputs"] as? [String: String] ?? [:]
        for f in dataFiles {
            let name = (f as NSString).lastPathComponent
            guard Files.sha256(file: f) == outputs[name] else {
                throw OutputError("output \(folder) holds complete results of this experiment, but \(name) no longer matches manifest.json; use --force to run them again")
            }
        }
        return (m["runs"] as? Int ?? 0, m["failed_runs"] as? Int ?? 0)
    }

    func checkWritable() throws {
        guard access(folder, W_OK) == 0 else { throw OutputError("output folder \(folder) is not writable") }
    }

    func writeCheckpoint(_ cp: Checkpoint) throws {
        let data = try JSONEncoder().encode(cp)
        try Files.writeAtomically(checkpoint, data)
    }

    func removeCheckpoint() { try? FileManager.default.removeItem(atPath: checkpoint) }

    func writeManifest(_ m: [String: Any]) throws { try Files.writeAtomically(manifest, canonicalJSON(m)) }

    func outputHashes() -> [String: String] {
        var out: [String: String] = [:]
        for f in dataFiles where Files.exists(f) { out[(f as NSString).lastPathComponent] = Files.sha256(file: f) }
        return out
    }
}

public enum ProgressMode: String, Sendable, CaseIterable { case auto, bar, lines, quiet }

/// Progress on standard error: a bar with rate and ETA on a terminal, a plain line every
/// few seconds otherwise, nothing when quiet.
final class ProgressReporter {
    let total: Int
    let startDone: Int
    let start = Date()
    var lastLine = Date.distantPast
    let mode: ProgressMode

    init(mode: ProgressMode, total: Int, alreadyDone: Int) {
        self.total = total; self.startDone = alreadyDone
        self.mode = mode == .auto ? (isatty(2) != 0 ? .bar : .lines) : mode
    }

    func text(done: Int) -> String {
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done - startDone) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let pct = total > 0 ? Double(done) / Double(total) : 1
        return String(format: "%d/%d runs (%.0f%%), %.0f runs/s, ETA %@", done, total, pct * 100, rate, Self.duration(eta))
    }

    static func duration(_ s: Double) -> String {
        let s = Int(s.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }

    func update(done: Int) {
        switch mode {
        case .bar:
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(text(done: done))\u{1B}[K".utf8))
        case .lines:
            if Date().timeIntervalSince(lastLine) >= 5 || done == total {
                lastLine = Date()
                FileHandle.standardError.write(Data("progress: \(text(done: done))\n".utf8))
            }
        default: break
        }
    }

    func finish(done: Int) {
        if mode == .bar { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

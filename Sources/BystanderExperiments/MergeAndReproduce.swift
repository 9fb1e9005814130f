import Foundation

public enum ShardMerge {
    /// Combine the folders of shards 0..N-1 of one experiment into `output`: runs.csv (and
    /// votes/timeseries) concatenated in shard order, which is the canonical order, then the
    /// summaries and a manifest, so the files are byte-identical to a single-machine run.
    public static func merge(output: String, shards: [String], force: Bool) throws -> Int {
        guard !shards.isEmpty else { throw OutputError("merge needs at least one shard folder") }
        var manifests: [(index: Int, count: Int, folder: String, manifest: [String: Any])] = []
        for folder in shards {
            let path = "\(folder)/manifest.json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw OutputError("\(folder) holds no finished shard (no manifest.json; if a .progress.json is there, resume that shard first)")
            }
            let m = try Manifest.read(data, path: path)
            guard let s = m["shard"] as? String, let slash = s.firstIndex(of: "/"), let i = Int(s[..<slash]), let n = Int(s[s.index(after: slash)...]) else {
                throw OutputError("\(folder) is not a shard (its manifest has no 'shard')")
            }
            manifests.append((i, n, folder, m))
        }
        let hash = manifests[0].manifest["experiment_hash"] as? String
        let count = manifests[0].count
        for m in manifests where m.manifest["experiment_hash"] as? String != hash || m.count != count {
            throw OutputError("\(m.folder) is a shard of a different experiment or split (hash or shard count differ)")
        }
        let indices = manifests.map(\.index).sorted()
        guard indices == Array(0..<count) else {
            let missing = Set(0..<count).subtracting(indices).sorted()
            throw OutputError("shards do not cover 0..\(count - 1) exactly once" + (missing.isEmpty ? " (a shard is given twice)" : " (missing: \(missing.map(String.init).joined(separator: ", ")))"))
        }
        manifests.sort { $0.index < $1.index }
        let first = manifests[0].manifest
        guard let configText = first["config_text"] as? String, let dir = first["config_directory"] as? String else { throw OutputError("shard manifest lacks the config") }
        let config = try ExperimentConfig.parse(configText, name: first["config_file"] as? String ?? "config", baseDirectory: dir)
        let experiment = try Experiment(config: config, configText: configText, limits: Manifest.limits(first))
        guard experiment.experimentHash == hash else { throw OutputError("the shards' config no longer hashes to their experiment hash (was a design file changed?)") }
        // Built in a temporary folder beside the target and renamed over it at the end: a
        // merge that fails leaves nothing behind, and never half of a results folder.
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let exists = fm.fileExists(atPath: output, isDirectory: &isDir)
        if exists && !isDir.boolValue { throw OutputError("output \(output) exists and is not a folder") }
        if exists && !force, let contents = try? fm.contentsOfDirectory(atPath: output), !contents.isEmpty {
            throw OutputError("output \(output) exists and is not empty; use --force to replace it")
        }
        let standardized = (output as NSString).standardizingPath
        let parent = (standardized as NSString).deletingLastPathComponent
        let temporary = (parent.isEmpty ? "." : parent) + "/." + (standardized as NSString).lastPathComponent + ".merging-\(getpid())"
        try? fm.removeItem(atPath: temporary)
        do { try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true) } catch {
            throw OutputError("cannot create \(temporary): \(error.localizedDescription)")
        }
        var renamed = false
        defer { if !renamed { try? fm.removeItem(atPath: temporary) } }
        let layout = OutputLayout(folder: temporary)
        for name in ["runs.csv", "votes.csv", "timeseries.csv", "state-runs.csv"] {
            let present = manifests.filter { Files.exists("\($0.folder)/\(name)") }
            guard !present.isEmpty else { continue }
            guard present.count == manifests.count else { throw OutputError("\(name) is missing from some shards") }
            // Streamed shard by shard into a temporary file, then renamed: memory stays flat.
            let target = "\(temporary)/\(name)", tmp = target + ".tmp"
            guard FileManager.default.createFile(atPath: tmp, contents: nil), let handle = FileHandle(forWritingAtPath: tmp) else {
                throw OutputError("cannot write \(tmp): is the folder writable?")
            }
            for (k, m) in manifests.enumerated() { try Files.append("\(m.folder)/\(name)", to: handle, skippingHeader: k > 0) }
            try handle.synchronize(); try handle.close()
            guard rename(tmp, target) == 0 else { throw OutputError("cannot rename \(tmp) to \(target)") }
        }
        try Summaries.write(runsPath: layout.runs, summaryPath: layout.summary, comparisonPath: layout.comparison, membersPath: layout.members, regimes: config.regimes, rootSeed: config.seed)
        try StateTable.write(stateRunsPath: layout.stateRuns, runsPath: layout.runs, statesPath: layout.states, regimes: config.regimes)
        var merged = first
        merged.removeValue(forKey: "shard")
        merged["merged_from"] = manifests.map(\.folder)
        merged["runs"] = manifests.reduce(0) { $0 + ($1.manifest["runs"] as? Int ?? 0) }
        merged["failed_runs"] = manifests.reduce(0) { $0 + ($1.manifest["failed_runs"] as? Int ?? 0) }
        merged["finished"] = Provenance.timestamp()
        merged["outputs"] = layout.outputHashes()
        try layout.writeManifest(merged)
        if exists {
            // --force: replace the old folder, unless a run is writing into it.
            let lock = try OutputLock(folder: output)
            defer { withExtendedLifetime(lock) {} }
            do { try fm.removeItem(atPath: output) } catch { throw OutputError("cannot replace \(output): \(error.localizedDescription)") }
        }
        guard rename(temporary, output) == 0 else { throw OutputError("cannot rename \(temporary) to \(output): \(String(cString: strerror(errno)))") }
        renamed = true
        return merged["runs"] as? Int ?? 0
    }
}

public enum Reproduction {
    public struct FileCheck: Sendable { public var file: String; public var identical: Bool; public var detail: String }

    /// Rerun the experiment a manifest describes (from the config text it carries) into a
    /// scratch folder and compare every data file byte for byte with the recorded one.
    public static func reproduce(manifestPath: String, jobs: Int, keep: String?) throws -> [FileCheck] {
        guard let data = FileManager.default.contents(atPath: manifestPath) else { throw OutputError("cannot read manifest \(manifestPath)") }
        let m = try Manifest.read(data, path: manifestPath)
        guard let text = m["config_text"] as? String, let dir = m["config_directory"] as? String else { throw OutputError("\(manifestPath) carries no config") }
        let folder = (manifestPath as NSString).deletingLastPathComponent
        let config = try ExperimentConfig.parse(text, name: m["config_file"] as? String ?? "config", baseDirectory: dir)
        let experiment = try Experiment(config: config, configText: text, limits: Manifest.limits(m))
        if let recorded = m["experiment_hash"] as? String, recorded != experiment.experimentHash {
            throw OutputError("the config in the manifest no longer hashes to \(recorded.prefix(12)) (the design file or defaults changed)")
        }
        let scratch = keep ?? NSTemporaryDirectory() + "bystander-reproduce-\(getpid())"
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: scratch) } }
        var options = RunOptions(output: scratch, jobs: jobs)
        options.force = true
        options.progress = .quiet
        let recordedOptions = m["options"] as? [String: Any] ?? [:]
        options.timeseriesReplicates = recordedOptions["timeseries_replicates"] as? Int ?? 0
        options.recordVotes = recordedOptions["votes"] as? Bool ?? false
        if m["shard"] is String { throw OutputError("\(manifestPath) is a shard manifest; reproduce the merged results instead") }
        _ = try experiment.run(options)
        var checks: [FileCheck] = []
        // The files the manifest records (a folder written before a file was added is not
        // failed for lacking it); every data file for a manifest without the list.
        let recorded = (m["outputs"] as? [String: Any]).map { Array($0.keys).sorted() }
        for name in recorded ?? OutputLayout(folder: "").dataFiles.map({ ($0 as NSString).lastPathComponent }) {
            let a = "\(folder)/\(name)", b = "\(scratch)/\(name)"
            let hasA = Files.exists(a), hasB = Files.exists(b)
            guard hasA || hasB else { continue }
            guard hasA && hasB else { checks.append(FileCheck(file: name, identical: false, detail: hasA ? "not produced by the rerun" : "missing from the recorded results")); continue }
            let ha = Files.sha256(file: a), hb = Files.sha256(file: b)
            if ha == hb, let ha {
                let size = (try? FileManager.default.attributesOfItem(atPath: a)[.size] as? Int) ?? 0
                checks.append(FileCheck(file: name, identical: true, detail: "identical (\(size) bytes, sha256 \(ha.prefix(12)))")); continue
            }
            // They differ: only now read them whole, to name the first differing line.
            let da = FileManager.default.contents(atPath: a) ?? Data(), db = FileManager.default.contents(atPath: b) ?? Data()
            let la = String(decoding: da, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let lb = String(decoding: db, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let k = zip(la, lb).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(la.count, lb.count)
            checks.append(FileCheck(file: name, identical: false, detail: "differs from line \(k + 1): recorded '\(k < la.count ? String(la[k].prefix(100)) : "<end>")' vs rerun '\(k < lb.count ? String(lb[k].prefix(100)) : "<end>")'"))
        }
        return checks
    }
}

enum Manifest {
    /// A manifest as JSON; a corrupt or foreign file is an input error (exit status 2), not
    /// "differences found" (1).
    static func read(_ data: Data, path: String) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: data), let m = object as? [String: Any] else {
            throw OutputError("\(path) is not a bystander manifest (not a JSON object; corrupt or truncated?)")
        }
        guard m["experiment_hash"] is String, m["config_text"] is String else {
            throw OutputError("\(path) is not a bystander manifest (no experiment_hash or config_text)")
        }
        return m
    }

    /// The design limits for rebuilding a recorded experiment: the defaults, or the recorded
    /// sizes where larger (it was run with --max-points or --max-runs raised).
    static func limits(_ m: [String: Any]) -> DesignLimits {
        let d = DesignLimits()
        let points = (m["design"] as? [String: Any])?["points"] as? Int ?? 0
        let perPoint = (m["replicates"] as? Int ?? 0).multipliedReportingOverflow(by: (m["regimes"] as? [String])?.count ?? 0)
        let total = perPoint.partialValue.multipliedReportingOverflow(by: points)
        return DesignLimits(maxPoints: max(d.maxPoints, points), maxRuns: max(d.maxRuns, perPoint.overflow || total.overflow ? Int.max : total.partialValue))
    }
}

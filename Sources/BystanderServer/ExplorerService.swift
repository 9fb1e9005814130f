import BystanderCore
import BystanderExperiments
import Foundation
import Synchronization

/// A request the explorer refuses: the HTTP status and the one-line message the CLI would
/// print for the same input ("config error: ..." for configs), never a stack trace.
public struct ExplorerError: Error, CustomStringConvertible, Sendable {
    public var status: Int
    public var description: String
    public init(_ status: Int, _ description: String) { self.status = status; self.description = description }

    /// The message `bystander run` prints to standard error for the same error, without the
    /// leading "bystander: ".
    static func from(_ error: any Error) -> ExplorerError {
        switch error {
        case let e as ExplorerError: return e
        case let e as ConfigError: return ExplorerError(400, "config error: \(e)")
        case let e as ModelInputError: return ExplorerError(400, "config error: \(e)")
        case let e as OutputError: return ExplorerError(500, "error: \(e)")
        default: return ExplorerError(500, "error: \(String(describing: error).replacingOccurrences(of: "\n", with: " "))")
        }
    }
}

/// Bounds on one request, so that one request cannot exhaust the machine.
public struct ExplorerLimits: Sendable {
    /// Largest request body (YAML or JSON).
    public var maxBodyBytes = 256 * 1024
    /// Replicates per regime.
    public var maxReplicates = 10_000
    /// Replicates x regimes.
    public var maxRuns = 30_000
    /// States in a synthetic world (the cost of a run grows linearly with them).
    public var maxStates = 2_000
    /// Wall-clock seconds one run request may take; the engine stops between chunks after it.
    public var maxSeconds = 30.0
    /// Computations waiting or running at once; more are refused (503) rather than queued.
    public var maxPending = 4
    public init() {}
}

/// A config the explorer was asked to run: the YAML text and where relative paths in it
/// (real-data files) are read from.
public struct ExplorerConfig: Sendable {
    public var text: String
    public var name: String
    public var baseDirectory: String
    public init(text: String, name: String, baseDirectory: String) { self.text = text; self.name = name; self.baseDirectory = baseDirectory }
}

/// Everything `bystander serve` does apart from HTTP: the shipped experiments, the parameter
/// metadata, runs through the engine (into a scratch folder, so the numbers are the ones
/// `bystander run` writes), single runs as timelines, and saved results folders.
public final class ExplorerService: Sendable {
    public let limits: ExplorerLimits
    /// Shipped experiments: id -> file. The default comes first.
    public let experiments: [(id: String, path: String)]
    /// Where "save" writes results folders.
    public let saveDirectory: String
    let scratchRoot: String
    let jobs: Int
    /// One computation at a time (each already uses every core).
    private let queue = DispatchQueue(label: "bystander.explorer")
    private let pending = Mutex(0)

    public init(defaultConfig: String?, experimentsDirectory: String, saveDirectory: String, limits: ExplorerLimits = .init(),
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        var list: [(String, String)] = []
        let fm = FileManager.default
        let defaultPath = defaultConfig ?? "\(experimentsDirectory)/default.yaml"
        if fm.fileExists(atPath: defaultPath) { list.append((((defaultPath as NSString).lastPathComponent as NSString).deletingPathExtension, defaultPath)) }
        let cases = "\(experimentsDirectory)/cases"
        for f in ((try? fm.contentsOfDirectory(atPath: cases)) ?? []).sorted() where f.hasSuffix(".yaml") {
            list.append(("cases/" + (f as NSString).deletingPathExtension, "\(cases)/\(f)"))
        }
        experiments = list
        self.saveDirectory = saveDirectory
        self.limits = limits
        self.jobs = max(1, jobs)
        var isDir: ObjCBool = false
        scratchRoot = fm.fileExists(atPath: "/dev/shm", isDirectory: &isDir) && isDir.boolValue && access("/dev/shm", W_OK) == 0
            ? "/dev/shm" : NSTemporaryDirectory()
    }

    // MARK: Experiments and parameters

    public func experimentList() -> [[String: Any]] {
        experiments.map { e in
            let c = try? ExperimentConfig.load(path: e.path)
            return ["id": e.id, "file": e.path, "name": c?.name ?? e.id, "description": c?.description ?? ""]
        }
    }

    /// A shipped experiment's text, and where its relative paths start.
    public func experiment(id: String) throws -> ExplorerConfig {
        guard let e = experiments.first(where: { $0.id == id }) else {
            throw ExplorerError(404, "error: no experiment '\(id)'; choose from \(experiments.map(\.id).joined(separator: ", "))")
        }
        guard let data = FileManager.default.contents(atPath: e.path) else { throw ExplorerError(500, "error: cannot read \(e.path)") }
        let dir = ((e.path as NSString).deletingLastPathComponent as NSString)
        return ExplorerConfig(text: String(decoding: data, as: UTF8.self), name: e.path,
                              baseDirectory: absolute(dir.length == 0 ? "." : dir as String))
    }

    /// The key parameters shown as sliders, with the span the slider covers (inside the
    /// parameter's documented range, which the number field next to it accepts in full).
    public static let keyParameters: [(path: String, low: Double, high: Double)] = [
        ("duties.enforcement", 0, 5),
        ("duties.internalisation", 0, 1),
        ("duties.deference", 0, 1),
        ("capacity_regime.k", 0, 20),
        ("capacity_regime.ranking_noise", 0, 2),
        ("council.veto_threshold", 0, 5),
        ("council.vote.alignment_weight", 0, 10),
        ("council.patience_weeks", 1, 26),
        ("crisis.deaths.kill_rate", 0, 0.01),
        ("crisis.onset.hazard_max", 0, 0.2),
        ("missions.deployment_lag_weeks", 0, 52),
        ("missions.protection_max", 0, 1),
        ("bystanders.costs.restrain", 0, 2),
        ("information.reporting_delay_weeks", 0, 12),
        ("duties.burden_cap", 0, 1),
    ]

    /// The metadata `bystander params` prints, with the numeric range split out of its kind.
    public static func parameters() -> [[String: Any]] {
        let keys = Dictionary(uniqueKeysWithValues: keyParameters.enumerated().map { ($1.path, ($0, $1)) })
        return ExperimentConfig.schema().map { d in
            var p: [String: Any] = ["path": d.path, "kind": d.kind, "default": d.defaultValue, "unit": d.unit, "source": d.source, "doc": d.doc]
            if let r = numericRange(d.kind) {
                p["type"] = r.integer ? "integer" : "number"; p["min"] = r.low; p["max"] = r.high
                if let (order, k) = keys[d.path] {
                    p["slider"] = ["order": order, "min": max(k.low, r.low), "max": min(k.high, r.high)] as [String: Any]
                }
            } else if d.kind == "true/false" { p["type"] = "boolean" }
            else if d.kind.contains(" | ") { p["type"] = "choice"; p["choices"] = d.kind.components(separatedBy: " | ") }
            else { p["type"] = "other" }
            return p
        }
    }

    /// "number in [a, b]" or "integer in [a, b]" -> (integer?, a, b).
    static func numericRange(_ kind: String) -> (integer: Bool, low: Double, high: Double)? {
        for prefix in ["number in [", "integer in ["] where kind.hasPrefix(prefix) && kind.hasSuffix("]") {
            let inner = kind.dropFirst(prefix.count).dropLast().components(separatedBy: ", ")
            guard inner.count == 2, let a = Double(inner[0]), let b = Double(inner[1]) else { return nil }
            return (prefix.hasPrefix("integer"), a, b)
        }
        return nil
    }

    // MARK: Reading a request's config

    /// Parse and bound a config; the experiment it defines.
    public func experiment(for c: ExplorerConfig) throws -> Experiment {
        guard c.text.utf8.count <= limits.maxBodyBytes else { throw ExplorerError(413, "error: the config is larger than \(limits.maxBodyBytes) bytes") }
        do {
            let config = try ExperimentConfig.parse(c.text, name: c.name, baseDirectory: c.baseDirectory)
            if config.sweep != nil {
                throw ExplorerError(400, "config error: sweep: the explorer runs one point; run sweeps with `bystander sweep`")
            }
            if config.replicates > limits.maxReplicates {
                throw ExplorerError(400, "config error: replicates: the explorer runs at most \(limits.maxReplicates) per regime, got \(config.replicates) (use `bystander run` for more)")
            }
            if config.replicates * config.regimes.count > limits.maxRuns {
                throw ExplorerError(400, "config error: replicates: \(config.replicates) x \(config.regimes.count) regimes is more than the explorer's \(limits.maxRuns) runs per request")
            }
            if config.model.world.stateCount > limits.maxStates {
                throw ExplorerError(400, "config error: world.count: the explorer runs worlds of at most \(limits.maxStates) states, got \(config.model.world.stateCount)")
            }
            return try Experiment(config: config, configText: c.text)
        } catch { throw ExplorerError.from(error) }
    }

    /// The resolved values of a config (what the page's fields show), or its error.
    public func check(_ c: ExplorerConfig) throws -> [String: Any] {
        let e = try experiment(for: c)
        var values: [String: String] = [:]
        for d in e.config.resolvedForDisplay { values[d.path] = d.value }
        return ["name": e.config.name, "description": e.config.description, "replicates": e.config.replicates,
                "regimes": e.config.regimes, "values": values, "config_yaml": c.text]
    }

    // MARK: Runs

    /// Run the experiment as `bystander run` does (votes recorded) into a scratch folder and
    /// return its summary.csv and comparison.csv as JSON, with the per-run values the charts
    /// need. The folder is removed afterwards.
    public func run(_ c: ExplorerConfig) async throws -> [String: Any] {
        let experiment = try experiment(for: c)
        return try await onQueue { [self] in
            let folder = "\(scratchRoot)/bystander-explorer-\(getpid())-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let start = Date()
            let report = try runExperiment(experiment, into: folder, stateTable: false)
            let elapsed = Date().timeIntervalSince(start)
            var out = try ExplorerResults.read(folder: folder, experiment: experiment)
            out["config_yaml"] = c.text
            out["elapsed_seconds"] = elapsed
            out["read_seconds"] = Date().timeIntervalSince(start) - elapsed
            out["runs"] = report.runs
            out["failed_runs"] = report.failed
            return out
        }
    }

    /// The engine as the CLI calls it, stopped after `limits.maxSeconds` (a stopped save is
    /// resumed by saving again: the folder keeps its checkpoint). A view the page only shows
    /// needs no states.csv (a single-threaded pass over the per-run state rows: about a sixth
    /// of a request's CPU time); a saved view has every file the CLI writes.
    func runExperiment(_ experiment: Experiment, into folder: String, stateTable: Bool = true) throws -> RunReport {
        var o = RunOptions(output: folder, jobs: jobs)
        o.writeStateTable = stateTable
        o.recordVotes = true
        o.progress = .quiet
        o.chunkPerJob = 128   // fewer commits than the CLI's 32; the files do not depend on it
        let deadline = Date().addingTimeInterval(limits.maxSeconds)
        o.shouldStop = { Date() > deadline }
        let report = try experiment.run(o)
        if report.interrupted {
            throw ExplorerError(503, "error: the run took longer than the explorer's \(Int(limits.maxSeconds)) s limit; lower replicates or use `bystander run`")
        }
        return report
    }

    /// One run (regime, replicate) with its weekly record and every draft and vote.
    public func timeline(_ c: ExplorerConfig, regime: String, replicate: Int) async throws -> [String: Any] {
        let experiment = try experiment(for: c)
        return try await onQueue {
            let result: RunResult
            do { result = try experiment.singleRun(regime: regime, replicate: replicate) } catch { throw ExplorerError.from(error) }
            return ExplorerResults.timeline(result, regime: regime, replicate: replicate)
        }
    }

    /// Write the view as a results folder (the files `bystander run` writes, with its
    /// manifest), named by the experiment's hash so that saving twice reuses it.
    public func save(_ c: ExplorerConfig) async throws -> [String: Any] {
        let experiment = try experiment(for: c)
        let safeName = String(experiment.config.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }.prefix(60))
        let folder = "\(saveDirectory)/\(safeName)-\(experiment.experimentHash.prefix(12))"
        return try await onQueue { [self] in
            let manifest = "\(folder)/manifest.json"
            let recorded = FileManager.default.contents(atPath: manifest).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            let reused = recorded?["experiment_hash"] as? String == experiment.experimentHash
            if !reused { _ = try runExperiment(experiment, into: folder) }
            let shown = absolute(folder)
            return ["folder": shown, "manifest": "\(shown)/manifest.json", "reused": reused,
                    "reproduce": "bystander reproduce \(shellQuoted("\(shown)/manifest.json"))",
                    "files": ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()]
        }
    }

    private func onQueue<T>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = pending.withLock { n in n < limits.maxPending ? { n += 1; return true }() : false }
        guard admitted else { throw ExplorerError(503, "error: the explorer is busy with \(limits.maxPending) computations; try again") }
        return try await withCheckedThrowingContinuation { (k: CheckedContinuation<T, any Error>) in
            queue.async { [self] in
                defer { pending.withLock { $0 -= 1 } }
                do { k.resume(returning: try body()) } catch { k.resume(throwing: ExplorerError.from(error)) }
            }
        }
    }
}

func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
}

/// A path as one shell word (single quotes), for commands the page shows to copy.
func shellQuoted(_ s: String) -> String {
    s.allSatisfy { $0.isLetter || $0.isNumber || "/._-".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

extension ExperimentConfig {
    /// Resolved scalar values as the page shows them in its fields.
    var resolvedForDisplay: [(path: String, value: String)] {
        resolved.compactMap { path, v in
            switch v {
            case .number(let x): return (path, formatNumber(x))
            case .integer(let x): return (path, String(x))
            case .bool(let x): return (path, String(x))
            case .string(let x): return (path, x)
            case .list: return nil
            }
        }
    }
}

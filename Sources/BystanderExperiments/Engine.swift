import BystanderCore
import Foundation
import Synchronization
import Yams

/// Set by SIGINT/SIGTERM: the engine finishes the chunk in flight, commits it and stops.
public enum Interrupt {
    static let requested = Atomic<Bool>(false)
    public static func install() {
        signal(SIGINT) { _ in Interrupt.requested.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in Interrupt.requested.store(true, ordering: .relaxed) }
    }
}

public struct RunOptions: Sendable {
    public var output: String
    public var jobs: Int
    public var force = false
    /// Shard I of N (0-based), or nil for the whole experiment.
    public var shard: (index: Int, count: Int)? = nil
    public var progress = ProgressMode.auto
    /// Record the weekly time series of the first K replicates of each point and regime.
    public var timeseriesReplicates = 0
    /// Record every Council vote (votes.csv).
    public var recordVotes = false
    /// Runs between checkpoints per thread.
    public var chunkPerJob = 32
    /// Fault injection for tests of failure handling: runs "point/replicate" that must fail.
    /// Set from the environment variable BYSTANDER_INJECT_FAILURES (e.g. "0/3,1/0").
    public var injectedFailures: Set<String> = Set((ProcessInfo.processInfo.environment["BYSTANDER_INJECT_FAILURES"] ?? "")
        .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    public init(output: String, jobs: Int) { self.output = output; self.jobs = jobs }
}

public struct RunReport: Sendable {
    public var runs: Int
    public var failed: Int
    public var resumedFrom: Int
    public var elapsed: Double
    public var interrupted: Bool
    public var output: String
}

/// An experiment ready to run: its design points, its runs in canonical order, its hashes.
/// Canonical order: design point, then replicate, then regime; a "group" is one (point,
/// replicate) pair, i.e. the paired runs of every regime on the same seed.
public final class Experiment: @unchecked Sendable {
    public let config: ExperimentConfig
    public let points: [DesignPoint]
    public let parameterColumns: [String]
    public let configHash: String
    public let designHash: String
    /// Identifies the experiment for resuming and merging: config and design together.
    public let experimentHash: String
    let configText: String

    public convenience init(configPath: String) throws {
        let config = try ExperimentConfig.load(path: configPath)
        let text = String(decoding: FileManager.default.contents(atPath: configPath) ?? Data(), as: UTF8.self)
        try self.init(config: config, configText: text)
    }

    public init(config: ExperimentConfig, configText: String) throws {
        self.config = config
        self.configText = configText
        if let sweep = config.sweep {
            points = try sweep.designPoints(rootSeed: config.seed)
            guard !points.isEmpty else { throw ConfigError(path: "sweep", "the design has no points") }
            parameterColumns = points[0].values.map(\.path)
            // Validate every point before any run starts (each is the full config with its values).
            let toCheck = points.count <= 20_000 ? points[...] : points.prefix(20_000)
            var seen = Set<String>()
            for (k, p) in toCheck.enumerated() {
                let key = p.values.map { "\($0.path)=\($0.value)" }.joined(separator: ";")
                guard seen.insert(key).inserted else { continue }
                do {
                    let params = try config.with(overrides: p.overrides).model
                    _ = try WorldBuilder.synthetic(params, seed: SeedDerivation.worldSeed(root: config.seed))
                } catch let e as ConfigError {
                    // A value set by the design has no line in the config file: its YAML node was
                    // parsed on its own, so its line number would mislead.
                    let fromDesign = p.values.contains { e.path == $0.path || e.path.hasPrefix($0.path + ".") || e.path.hasPrefix($0.path + "[") }
                    throw ConfigError(path: e.path, line: fromDesign ? nil : e.line, "\(e.message) (design point \(k))")
                } catch let e as ModelInputError {
                    throw ConfigError(path: e.path, "\(e.message) (design point \(k))")
                }
            }
        } else {
            points = [DesignPoint(values: [])]
            parameterColumns = []
            do { _ = try WorldBuilder.synthetic(config.model, seed: SeedDerivation.worldSeed(root: config.seed)) } catch let e as ModelInputError {
                throw ConfigError(path: e.path, e.message)
            }
        }
        configHash = Self.hash(resolved: config.resolved)
        let designText = points.map { $0.values.map { "\($0.path)=\($0.value)" }.joined(separator: ",") }.joined(separator: "\n")
        designHash = Files.sha256(Data(designText.utf8))
        experimentHash = Files.sha256(Data((configHash + designHash).utf8))
    }

    /// SHA-256 of the resolved config as canonical JSON (sorted keys), the output folder
    /// excluded: moving results does not change what they are results of.
    static func hash(resolved: [(String, ResolvedValue)]) -> String {
        Files.sha256(canonicalJSON(resolvedTree(resolved.filter { $0.0 != "output" })))
    }

    public var groupCount: Int { points.count * config.replicates }
    public var runCount: Int { groupCount * config.regimes.count }

    func groups(shard: (index: Int, count: Int)?) -> Range<Int> {
        guard let s = shard else { return 0..<groupCount }
        return (s.index * groupCount / s.count)..<((s.index + 1) * groupCount / s.count)
    }

    public var runsHeader: String {
        CSVText.row(["point"] + parameterColumns + ["regime", "replicate", "seed"] + RunOutcome.columns.map(\.name) + ["error"])
    }

    /// Build the scenario (world and derived quantities) of one design point.
    func scenario(point: Int) throws -> Scenario {
        let params = points[point].values.isEmpty ? config.model : try config.with(overrides: points[point].overrides).model
        let world = try WorldBuilder.synthetic(params, seed: SeedDerivation.worldSeed(root: config.seed))
        return Scenario(parameters: params, world: world)
    }
}

/// The output of one run, formatted.
struct RunRows: Sendable {
    var run: String
    var votes: String
    var weeks: String
    var states: String
    var failed: Bool
}

/// Slots for results written by worker threads, each at its own index. A raw buffer, not an
/// Array: assigning an element of a shared Array is a modifying access of the whole array
/// (its copy-on-write check), a data race between threads even at disjoint indices (the
/// thread sanitizer reports it); writes through the buffer touch only their own slot.
private final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>
    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }
    func set(_ k: Int, _ item: T) { buffer[k] = item }
    /// Read once every worker has finished (concurrentPerform returns after all of them).
    var items: UnsafeMutableBufferPointer<T?> { buffer }
    deinit { buffer.deinitialize(); buffer.deallocate() }
}

/// `body(k)` for k in 0..<count on up to `jobs` threads (worker w takes w, w + jobs, ...), the
/// results in index order.
func concurrentMap<T>(_ count: Int, jobs: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = ResultSlots<T>(count: count)
    let workers = max(1, min(jobs, count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for k in stride(from: worker, to: count, by: workers) { slots.set(k, body(k)) }
    }
    return slots.items.map { $0! }
}

extension Experiment {
    /// Run (or resume) the experiment into `options.output`.
    public func run(_ options: RunOptions) throws -> RunReport {
        let start = Date()
        let out = options.output
        let layout = OutputLayout(folder: out)
        let resume = try layout.prepare(experimentHash: experimentHash, shard: options.shard, force: options.force)
        let groupRange = groups(shard: options.shard)
        let regimes = config.regimes.map { Regimes.named($0)! }
        let perGroup = regimes.count
        let totalTasks = groupRange.count * perGroup
        var done = resume?.tasksDone ?? 0
        var failed = resume?.failed ?? 0
        let resumedFrom = done
        let runsFile = try AppendFile(path: layout.runs, header: runsHeader, resumeAt: resume?.offsets["runs"])
        let votesFile = options.recordVotes ? try AppendFile(path: layout.votes, header: (["point", "regime", "replicate"] + VoteRecord.columns).joined(separator: ","), resumeAt: resume?.offsets["votes"]) : nil
        let statesFile = try AppendFile(path: layout.stateRuns, header: StateTable.runsHeader, resumeAt: resume?.offsets["states"])
        let weeksFile = options.timeseriesReplicates > 0 ? try AppendFile(path: layout.timeseries, header: (["point", "regime", "replicate", "week"] + WeekRecord.columns).joined(separator: ","), resumeAt: resume?.offsets["timeseries"]) : nil
        let started = resume?.started ?? Provenance.timestamp(start)
        let progress = ProgressReporter(mode: options.progress, total: totalTasks, alreadyDone: done)
        var scenarios: [Int: (scenario: Scenario, allocations: [Allocation])] = [:]   // one allocation per regime
        let jobs = max(1, options.jobs)
        let chunk = max(1, jobs * options.chunkPerJob)
        var interrupted = false

        while done < totalTasks {
            if Interrupt.requested.load(ordering: .relaxed) { interrupted = true; break }
            let upper = min(totalTasks, done + chunk)
            let tasks = (done..<upper).map { local -> (point: Int, replicate: Int, regime: Int) in
                let group = groupRange.lowerBound + local / perGroup
                return (group / config.replicates, group % config.replicates, local % perGroup)
            }
            // Scenarios of the points this chunk touches (older ones are dropped: memory stays flat).
            let needed = Set(tasks.map(\.point))
            scenarios = scenarios.filter { needed.contains($0.key) }
            for p in needed.sorted() where scenarios[p] == nil {
                let s = try scenario(point: p)
                scenarios[p] = (s, regimes.map { $0.allocation(in: s) })
            }
            let shared = scenarios
            let root = config.seed
            let pairedPoints = config.sweep?.commonRandomNumbers ?? false
            let regimeNames = config.regimes
            let parameterValues = Dictionary(uniqueKeysWithValues: needed.map { p in (p, points[p].values.map(\.value)) })
            let tsReplicates = options.timeseriesReplicates
            let recordVotes = options.recordVotes
            let injected = options.injectedFailures
            let chunkRows = concurrentMap(tasks.count, jobs: jobs) { k -> RunRows in
                let t = tasks[k]
                let seed = SeedDerivation.runSeed(root: root, point: pairedPoints ? 0 : t.point, replicate: t.replicate)
                let recording = RecordingOptions(weeks: t.replicate < tsReplicates, votes: recordVotes)
                let prefix = [String(t.point)] + parameterValues[t.point]! + [regimeNames[t.regime], String(t.replicate), String(seed)]
                let key = "\(t.point),\(regimeNames[t.regime]),\(t.replicate)"
                do {
                    if injected.contains("\(t.point)/\(t.replicate)") { throw SimulationError(description: "injected failure (BYSTANDER_INJECT_FAILURES)") }
                    let (scenario, allocations) = shared[t.point]!
                    let result = try Simulation(scenario: scenario, regime: regimes[t.regime], seed: seed, recording: recording, allocation: allocations[t.regime]).run()
                    return RunRows(run: CSVText.row(prefix + result.outcome.fields + [""]) + "\n",
                                   votes: CSVText.lines(result.votes, prefix: key) { $0.fields },
                                   weeks: CSVText.lines(result.weeks, prefix: key) { [String($0.week)] + $0.fields },
                                   states: StateTable.lines(key: key, replicate: t.replicate, world: scenario.world, result: result,
                                                            perRunHoldings: regimes[t.regime].designatesPerRun(in: scenario)),
                                   failed: false)
                } catch {
                    let message = "\(error)".replacingOccurrences(of: "\n", with: " ")
                    return RunRows(run: CSVText.row(prefix + RunOutcome.columns.map { _ in "" } + [message]) + "\n", votes: "", weeks: "", states: "", failed: true)
                }
            }
            // Commit in canonical order, then record the checkpoint.
            var runText = "", voteText = "", weekText = "", stateText = ""
            for r in chunkRows {
                runText += r.run; voteText += r.votes; weekText += r.weeks; stateText += r.states
                if r.failed { failed += 1 }
            }
            do {
                try runsFile.append(runText); try votesFile?.append(voteText); try weeksFile?.append(weekText)
                try statesFile.append(stateText)
                var offsets = ["runs": try runsFile.commit(), "states": try statesFile.commit()]
                if let v = votesFile { offsets["votes"] = try v.commit() }
                if let w = weeksFile { offsets["timeseries"] = try w.commit() }
                try layout.writeCheckpoint(Checkpoint(experimentHash: experimentHash, shard: options.shard.map { "\($0.index)/\($0.count)" },
                                                      tasksDone: upper, failed: failed, offsets: offsets, started: started))
            } catch let error as OutputError {
                // The last checkpoint still describes a consistent prefix of the files: resuming
                // cuts them back to it, so a failed write loses nothing that was committed.
                throw OutputError("\(error.description); \(done) of \(totalTasks) runs are committed in \(out): fix the problem (e.g. free disk space) and run the same command again to resume")
            }
            done = upper
            progress.update(done: done)
        }
        progress.finish(done: done)
        let elapsed = Date().timeIntervalSince(start)
        let report = RunReport(runs: done, failed: failed, resumedFrom: resumedFrom, elapsed: elapsed, interrupted: interrupted, output: out)
        if interrupted { return report }
        if options.shard == nil {
            try Summaries.write(runsPath: layout.runs, summaryPath: layout.summary, comparisonPath: layout.comparison, regimes: config.regimes, rootSeed: config.seed, jobs: jobs)
            try StateTable.write(stateRunsPath: layout.stateRuns, runsPath: layout.runs, statesPath: layout.states, regimes: config.regimes)
        }
        try layout.writeManifest(manifest(options: options, report: report, started: started, layout: layout))
        layout.removeCheckpoint()
        return report
    }

    func manifest(options: RunOptions, report: RunReport, started: String, layout: OutputLayout) -> [String: Any] {
        var m: [String: Any] = [
            "name": config.name,
            "description": config.description,
            "config_file": config.sourceName,
            "config_directory": (config.baseDirectory as NSString).standardizingPath,
            "config_text": configText,
            "config_hash": configHash,
            "resolved_config": resolvedTree(config.resolved),
            "experiment_hash": experimentHash,
            "root_seed": String(config.seed),
            "seed_derivation": (config.sweep?.commonRandomNumbers ?? false) ? "run seed = derive(root, 0, replicate) at every point (sweep.common_random_numbers); derive(s, a, b...) folds splitmix64(s XOR part); regime is not a coordinate" : "run seed = derive(root, point, replicate); derive(s, a, b...) folds splitmix64(s XOR part); regime is not a coordinate (common random numbers)",
            "replicates": config.replicates,
            "regimes": config.regimes,
            "design": [
                "method": config.sweep?.method.rawValue ?? "none",
                "points": points.count,
                "parameters": parameterColumns,
                "hash": designHash,
            ] as [String: Any],
            "runs": report.runs,
            "failed_runs": report.failed,
            "options": ["timeseries_replicates": options.timeseriesReplicates, "votes": options.recordVotes, "jobs": options.jobs] as [String: Any],
            "package_version": Provenance.packageVersion,
            "swift_version": Provenance.swiftVersion,
            "gsl_version": gslVersionString,
            "rng": "gsl_rng_taus2, one substream per mechanism and week",
            "host": Provenance.host,
            "os": Provenance.os,
            "cpu_count": ProcessInfo.processInfo.activeProcessorCount,
            "started": started,
            "finished": Provenance.timestamp(),
            "elapsed_seconds_this_session": report.elapsed,
            "resumed_from_run": report.resumedFrom,
            "runs_per_second_this_session": report.elapsed > 0 ? Double(report.runs - report.resumedFrom) / report.elapsed : 0,
            "outputs": layout.outputHashes(),
        ]
        if let g = Provenance.git() { m["git_commit"] = g.commit; m["git_dirty"] = g.dirty } else { m["git_commit"] = "unknown" }
        if let s = options.shard { m["shard"] = "\(s.index)/\(s.count)" }
        return m
    }
}

/// Nested dictionary of resolved values (keys split on dots) for JSON.
func resolvedTree(_ resolved: [(String, ResolvedValue)]) -> [String: Any] {
    var root: [String: Any] = [:]
    func insert(_ parts: ArraySlice<String>, _ value: Any, into dict: inout [String: Any]) {
        guard let head = parts.first else { return }
        if parts.count == 1 { dict[head] = value; return }
        var child = dict[head] as? [String: Any] ?? [:]
        insert(parts.dropFirst(), value, into: &child)
        dict[head] = child
    }
    for (path, value) in resolved { insert(path.split(separator: ".").map(String.init)[...], value.json, into: &root) }
    return root
}

func canonicalJSON(_ object: Any) -> Data {
    (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
}

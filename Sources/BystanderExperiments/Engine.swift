import BystanderCore
import Foundation
import Synchronization
import Yams

/// SIGINT/SIGTERM: the first asks the engine to stop between runs (the runs in progress
/// finish and are committed, the rest of the chunk is dropped and rerun on resume); the second
/// exits at once, like kill -9, which the checkpoint also survives.
public enum Interrupt {
    static let requested = Atomic<Bool>(false)
    public static func install() {
        let handler: @convention(c) (Int32) -> Void = { _ in
            // Only async-signal-safe calls here: an atomic, write(2) and _exit(2).
            if Interrupt.requested.exchange(true, ordering: .relaxed) {
                let text: StaticString = "\nbystander: interrupted again: stopped at once; run the same command again to resume\n"
                text.withUTF8Buffer { _ = write(2, $0.baseAddress, $0.count) }
                _exit(130)
            }
            let text: StaticString = "\nbystander: stopping after the runs in progress (interrupt again to stop at once)\n"
            text.withUTF8Buffer { _ = write(2, $0.baseAddress, $0.count) }
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }
    static var isRequested: Bool { requested.load(ordering: .relaxed) }
}

public struct RunOptions: Sendable {
    /// The most worker threads a run takes (--jobs is checked against it).
    public static let maximumJobs = 4096
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
    /// Compute states.csv from state-runs.csv at the end (`bystander serve` skips it for views
    /// it only shows; every command that writes results keeps it).
    public var writeStateTable = true
    /// Runs between checkpoints per thread.
    public var chunkPerJob = 32
    /// Asked between runs: true stops the run as an interrupt does (`bystander serve` bounds
    /// each request's time with it).
    public var shouldStop: (@Sendable () -> Bool)? = nil
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
    /// The folder already held these complete results (verified against their manifest).
    public var alreadyComplete = false
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

    public convenience init(configPath: String, limits: DesignLimits = DesignLimits()) throws {
        let text = try ExperimentConfig.readText(configPath)
        try self.init(config: ExperimentConfig.load(text: text, path: configPath), configText: text, limits: limits)
    }

    public init(config: ExperimentConfig, configText: String, limits: DesignLimits = DesignLimits()) throws {
        self.config = config
        self.configText = configText
        if let sweep = config.sweep {
            points = try sweep.designPoints(rootSeed: config.seed, limit: limits.maxPoints)
            guard !points.isEmpty else { throw ConfigError(path: "sweep", "the design has no points") }
            try Self.checkRuns(points: points.count, config: config, limit: limits.maxRuns)
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
            try Self.checkRuns(points: 1, config: config, limit: limits.maxRuns)
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

    /// Refuse an experiment of more than `limit` runs, with its size, before any work.
    static func checkRuns(points: Int, config: ExperimentConfig, limit: Int) throws {
        let (perPoint, o1) = config.replicates.multipliedReportingOverflow(by: config.regimes.count)
        let (runs, o2) = perPoint.multipliedReportingOverflow(by: points)
        guard o1 || o2 || runs > limit else { return }
        throw ConfigError(path: "replicates", "the experiment has \(o1 || o2 ? "more than \(Int.max)" : String(runs)) runs (\(points) point(s) x \(config.replicates) replicates x \(config.regimes.count) regime(s)), above the limit of \(limit) (raise it with --max-runs)")
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
        // index * groupCount / count in full width: no overflow whatever the shard count.
        let total = groupCount
        let bound = { (i: Int) in s.count.dividingFullWidth(i.multipliedFullWidth(by: total)).quotient }
        return bound(s.index)..<bound(s.index + 1)
    }

    public var runsHeader: String {
        CSVText.row(["point"] + parameterColumns + ["regime", "replicate", "seed"] + RunOutcome.columns.map(\.name) + ["error"])
    }

    /// The seed of one run (every regime gets the same one: common random numbers).
    func runSeed(point: Int, replicate: Int) -> UInt64 {
        SeedDerivation.runSeed(root: config.seed, point: (config.sweep?.commonRandomNumbers ?? false) ? 0 : point, replicate: replicate)
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
        if let s = options.shard, s.count > groupCount {
            throw OutputError("--shard \(s.index)/\(s.count): more shards than the \(groupCount) (point, replicate) groups of this experiment; use at most \(groupCount)")
        }
        let layout = OutputLayout(folder: out)
        let outputOptions = OutputOptions(votes: options.recordVotes, timeseriesReplicates: options.timeseriesReplicates)
        let (state, lock) = try layout.prepare(experimentHash: experimentHash, shard: options.shard, force: options.force, options: outputOptions)
        defer { withExtendedLifetime(lock) {} }   // held until the run returns
        var resume: Checkpoint? = nil
        switch state {
        case .complete(let runs, let failed):
            return RunReport(runs: runs, failed: failed, resumedFrom: runs, elapsed: 0, interrupted: false, output: out, alreadyComplete: true)
        case .resume(let cp): resume = cp
        case .fresh: break
        }
        let started = resume?.started ?? Provenance.timestamp(start)
        func checkpoint(_ tasksDone: Int, _ failed: Int, _ offsets: [String: UInt64]) throws {
            try layout.writeCheckpoint(Checkpoint(experimentHash: experimentHash, shard: options.shard.map { "\($0.index)/\($0.count)" },
                                                  tasksDone: tasksDone, failed: failed, offsets: offsets, started: started, options: outputOptions))
        }
        // Before any file: from here on the folder resumes, whenever the run stops.
        if resume == nil { try checkpoint(0, 0, [:]) }
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
        let progress = ProgressReporter(mode: options.progress, total: totalTasks, alreadyDone: done)
        var scenarios: [Int: (scenario: Scenario, allocations: [Allocation])] = [:]   // one allocation per regime
        let jobs = min(max(1, options.jobs), RunOptions.maximumJobs)
        let chunk = max(1, jobs * options.chunkPerJob)
        var interrupted = false

        while done < totalTasks {
            if Interrupt.isRequested || options.shouldStop?() == true { interrupted = true; break }
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
            let regimeNames = config.regimes
            let parameterValues = Dictionary(uniqueKeysWithValues: needed.map { p in (p, points[p].values.map(\.value)) })
            let tsReplicates = options.timeseriesReplicates
            let recordVotes = options.recordVotes
            let injected = options.injectedFailures
            let shouldStop = options.shouldStop
            let chunkRows = concurrentMap(tasks.count, jobs: jobs) { k -> RunRows? in
                // Interrupted (or out of time): the runs not yet started are left for the resume.
                if Interrupt.isRequested || shouldStop?() == true { return nil }
                let t = tasks[k]
                let seed = self.runSeed(point: t.point, replicate: t.replicate)
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
            // Commit in canonical order (up to the first run an interrupt left out), then
            // record the checkpoint.
            let finished = chunkRows.prefix { $0 != nil }.map { $0! }
            let committed = done + finished.count
            var runText = "", voteText = "", weekText = "", stateText = ""
            for r in finished {
                runText += r.run; voteText += r.votes; weekText += r.weeks; stateText += r.states
                if r.failed { failed += 1 }
            }
            do {
                try runsFile.append(runText); try votesFile?.append(voteText); try weeksFile?.append(weekText)
                try statesFile.append(stateText)
                var offsets = ["runs": try runsFile.commit(), "states": try statesFile.commit()]
                if let v = votesFile { offsets["votes"] = try v.commit() }
                if let w = weeksFile { offsets["timeseries"] = try w.commit() }
                try checkpoint(committed, failed, offsets)
            } catch let error as OutputError {
                // The last checkpoint still describes a consistent prefix of the files: resuming
                // cuts them back to it, so a failed write loses nothing that was committed.
                throw OutputError("\(error.description); \(done) of \(totalTasks) runs are committed in \(out): fix the problem (e.g. free disk space) and run the same command again to resume")
            }
            done = committed
            progress.update(done: done)
        }
        progress.finish(done: done)
        let elapsed = Date().timeIntervalSince(start)
        let report = RunReport(runs: done, failed: failed, resumedFrom: resumedFrom, elapsed: elapsed, interrupted: interrupted, output: out)
        if interrupted { return report }
        if options.shard == nil {
            try Summaries.write(runsPath: layout.runs, summaryPath: layout.summary, comparisonPath: layout.comparison, membersPath: layout.members, regimes: config.regimes, rootSeed: config.seed, jobs: jobs)
            if options.writeStateTable {
                try StateTable.write(stateRunsPath: layout.stateRuns, runsPath: layout.runs, statesPath: layout.states, regimes: config.regimes)
            }
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

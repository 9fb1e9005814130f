import ArgumentParser
import BystanderCore
import BystanderExperiments
import Foundation

/// Exit statuses: 0 success, 1 results differ (reproduce), 2 usage, config or input error,
/// 3 some runs failed, 130 interrupted (resumable).
enum ExitStatus {
    static let differ: Int32 = 1, usage: Int32 = 2, runsFailed: Int32 = 3, interrupted: Int32 = 130
}

struct Bystander: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bystander",
        abstract: "Simulate how the international system protects populations from mass atrocities, and compare responsibility-allocation regimes.",
        discussion: "Exit status: 0 success; 1 reproduce found differences; 2 usage, config or input error; 3 some runs failed; 130 interrupted (rerun the same command to resume).",
        version: Provenance.packageVersion,
        subcommands: [Run.self, Sweep.self, Compare.self, Reproduce.self, Merge.self, SlurmScriptCommand.self, CouncilPower.self, Params.self, Validate.self, Serve.self]
    )
}

struct ExecutionOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Output folder (overrides the config's 'output').")
    var output: String?
    @Flag(help: "Replace an output folder that holds other or complete results.")
    var force = false
    @Option(name: .shortAndLong, help: "Worker threads (default: all cores, or SLURM_CPUS_PER_TASK under Slurm). Results do not depend on it.")
    var jobs: Int?
    @Option(help: "Record the weekly time series of the first N replicates of each point and regime (timeseries.csv).")
    var timeseries = 0
    @Option(help: "Progress on standard error: auto (a bar on a terminal, lines otherwise), bar, lines or quiet.")
    var progress: String = "auto"
    @Flag(name: .shortAndLong, help: "No progress output (same as --progress quiet).")
    var quiet = false
    @OptionGroup var limits: LimitOptions

    func validate() throws {
        try checkJobs(jobs)
        if let o = output, let problem = ExperimentConfig.pathProblem(o) { throw ValidationError("--output \(problem)") }
        if timeseries < 0 { throw ValidationError("--timeseries must be 0 or more") }
        if ProgressMode(rawValue: progress) == nil { throw ValidationError("--progress must be auto, bar, lines or quiet") }
    }

    func runOptions(config: ExperimentConfig, votes: Bool) -> RunOptions {
        var o = RunOptions(output: output ?? config.output, jobs: jobs ?? defaultJobs())
        o.force = force
        o.timeseriesReplicates = timeseries
        o.recordVotes = votes
        o.progress = quiet ? .quiet : ProgressMode(rawValue: progress) ?? .auto
        return o
    }
}

/// Run an experiment and report; shared by `run` and `sweep`.
func execute(configPath: String, options: RunOptions, limits: DesignLimits, printTable: Bool) throws {
    let experiment = try Experiment(configPath: configPath, limits: limits)
    Interrupt.install()
    let report = try experiment.run(options)
    if report.alreadyComplete { return try reportAlreadyComplete(report) }
    if report.interrupted {
        FileHandle.standardError.write(Data("interrupted: \(report.runs) of \(options.shard == nil ? experiment.runCount : report.runs) runs are committed in \(options.output); run the same command again to resume.\n".utf8))
        throw ExitCode(ExitStatus.interrupted)
    }
    if printTable && options.shard == nil {
        let c = experiment.config
        print("\(c.name): \(experiment.points.count) point(s) x \(c.regimes.count) regime(s) x \(c.replicates) replicates = \(experiment.runCount) runs in \(String(format: "%.1f", report.elapsed)) s\(report.resumedFrom > 0 ? " (resumed after \(report.resumedFrom))" : "")")
        let reports = try ResultsReport.load(folder: options.output, maxPoints: 3, outcomes: ResultsReport.headlineOutcomes)
        for r in reports.prefix(experiment.points.count == 1 ? 1 : 3) {
            if experiment.points.count > 1 { print("\npoint \(r.point): " + experiment.points[r.point].values.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")) }
            print(r.render(format: "table"), terminator: "")
            let onset = r.regimes.map { reg in Double(r.cells["onset_week"]?[reg]?.n ?? "0").map { String(format: "%.0f%%", 100 * $0 / Double(c.replicates)) } ?? "-" }
            print("runs with onset: " + zip(r.regimes, onset).map { "\($0) \($1)" }.joined(separator: ", "))
        }
        if experiment.points.count > 3 {
            print("... \(experiment.points.count - 3) more points: `bystander compare \(options.output)` shows them all, `--point K` one of them\((c.sweep?.commonRandomNumbers ?? false) ? ", `--contrast A-B` the paired difference between two" : "")")
        }
        print("medians and intervals are over runs with a value (weeks are missing when the event did not happen); differences are paired by replicate.")
    }
    print("results: \(options.output) (runs.csv, summary.csv, comparison.csv, members.csv, states.csv, state-runs.csv, manifest.json\(options.recordVotes ? ", votes.csv" : "")\(options.timeseriesReplicates > 0 ? ", timeseries.csv" : ""))")
    if report.failed > 0 {
        FileHandle.standardError.write(Data("warning: \(report.failed) run(s) failed; see the 'error' column of runs.csv\n".utf8))
        throw ExitCode(ExitStatus.runsFailed)
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment's replicates under each of its regimes and print them side by side.",
        discussion: "Writes runs.csv (one row per run), summary.csv, comparison.csv (paired differences between regimes), votes.csv (every Council vote) and manifest.json into the output folder. Rerunning into a folder with an interrupted run of the same config resumes it.")
    @Argument(help: "Experiment config (YAML), e.g. Experiments/default.yaml.")
    var config: String
    @OptionGroup var execution: ExecutionOptions
    @Flag(help: "Do not record Council votes (votes.csv).")
    var noVotes = false

    func run() throws {
        let c = try ExperimentConfig.load(path: config)
        try execute(configPath: config, options: execution.runOptions(config: c, votes: !noVotes), limits: execution.limits.limits, printTable: true)
    }
}

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a parameter sweep (the config's 'sweep' section): every design point x regime x replicate.",
        discussion: "Runs are paired across regimes (same seed for the same point and replicate). Output rows are in canonical order, so files are byte-identical whatever --jobs is and however the sweep is sharded. Interrupted sweeps resume when the same command is run again. Under Slurm, --shard defaults to SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT.")
    @Argument(help: "Experiment config (YAML) with a 'sweep' section.")
    var config: String
    @OptionGroup var execution: ExecutionOptions
    @Option(help: "Run only shard I of N (0-based), e.g. 2/8; combine shards with `bystander merge`.")
    var shard: String?
    @Flag(help: "Record every Council vote (votes.csv).")
    var votes = false

    func parsedShard() throws -> (index: Int, count: Int)? {
        let env = ProcessInfo.processInfo.environment
        let text = shard ?? env["SLURM_ARRAY_TASK_ID"].flatMap { id in env["SLURM_ARRAY_TASK_COUNT"].map { "\(id)/\($0)" } }
        guard let text else { return nil }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1 else {
            throw ValidationError("--shard must be I/N with whole numbers, e.g. 0/4; got '\(text)'")
        }
        guard (0..<n).contains(i) else { throw ValidationError("--shard \(text): the index must be between 0 and \(n - 1)") }
        return (i, n)
    }

    func run() throws {
        let c = try ExperimentConfig.load(path: config)
        var o = execution.runOptions(config: c, votes: votes)
        o.shard = try parsedShard()
        try execute(configPath: config, options: o, limits: execution.limits.limits, printTable: o.shard == nil)
    }
}

struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rerun the experiment a manifest describes and check that every output matches byte for byte.")
    @Argument(help: "RESULTS_DIR/manifest.json")
    var manifest: String
    @Option(name: .shortAndLong, help: "Worker threads for the rerun.")
    var jobs: Int?
    @Option(help: "Keep the rerun's outputs in this folder.")
    var keep: String?

    func validate() throws { try checkJobs(jobs) }

    func run() throws {
        let checks = try Reproduction.reproduce(manifestPath: manifest, jobs: jobs ?? defaultJobs(), keep: keep)
        for c in checks { print("\(c.identical ? "same" : "DIFFERENT")  \(c.file): \(c.detail)") }
        if checks.allSatisfy(\.identical) { print("reproduced: all \(checks.count) files are byte-identical") } else { throw ExitCode(ExitStatus.differ) }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Merge the folders of shards 0..N-1 of a sweep into one results folder, byte-identical to a single-machine sweep.")
    @Argument(help: "Output folder for the merged results.")
    var output: String
    @Argument(help: "Shard folders (any order).")
    var shards: [String]
    @Flag(help: "Replace an existing output folder.")
    var force = false

    func run() throws {
        let runs = try ShardMerge.merge(output: output, shards: shards, force: force)
        print("merged \(shards.count) shards, \(runs) runs, into \(output)")
    }
}

struct SlurmScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "slurm-script", abstract: "Print a script that submits a sweep to Slurm as an array job plus a dependent merge job.",
        discussion: "The script runs this binary on the nodes. Build it with `make dist` (dist/bystander: the Swift runtime and GSL linked statically) so the nodes need no Swift toolchain; every job first checks that the binary starts on its node and names the missing libraries if not.")
    @Argument(help: "Experiment config (YAML).")
    var config: String
    @Option(help: "Number of shards (array tasks).")
    var shards: Int
    @Option(name: .shortAndLong, help: "Folder for the merged results (shards go to OUTPUT.shards/).")
    var output: String
    @Option(help: "Slurm partition (empty: the cluster's default).")
    var partition = ""
    @Option(help: "Wall time per shard.")
    var time = "04:00:00"
    @Option(help: "Memory per shard.")
    var memory = "2G"
    @Option(help: "Threads per shard.")
    var cpus = 2

    func run() throws {
        let c = try ExperimentConfig.load(path: config) // validate before printing anything
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let abs = { (p: String) in URL(fileURLWithPath: p).standardizedFileURL.path }
        print(try SlurmScript.render(executable: exe, config: abs(config), shards: shards, output: abs(output), partition: partition,
                                 time: time, memory: memory, cpus: cpus, name: "bystander-\(c.name)"), terminator: "")
    }
}

struct CouncilPower: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "council-power",
        abstract: "Exact Shapley-Shubik and normalised Banzhaf voting power of each Council seat under the configured rule.")
    @Argument(help: "Experiment config (default: the built-in defaults, i.e. the Charter rule).")
    var config: String?
    @Option(help: "table, csv or json.")
    var format = "table"

    func run() throws {
        let c = try config.map(ExperimentConfig.load) ?? ExperimentConfig.parse("")
        let p = c.model.council
        let seats = p.permanent.count + p.electedSeats.reduce(0, +)
        try checkCouncilPower(seats: seats, quota: p.quota)
        let rule = VotingRule(seats: seats, permanentSeats: Array(0..<p.permanent.count), quota: p.quota, vetoThreshold: p.vetoThreshold)
        let ss = VotingPower.shapleyShubik(rule), bz = VotingPower.banzhaf(rule)
        let names = p.permanent + (0..<(seats - p.permanent.count)).map { "elected-\($0 + 1)" }
        switch format {
        case "csv":
            print("seat,member,permanent,shapley_shubik,banzhaf_normalised")
            for k in 0..<seats { print("\(k),\(names[k]),\(k < p.permanent.count ? 1 : 0),\(ss[k]),\(bz[k])") }
        case "json":
            let rows = (0..<seats).map { k in ["member": names[k], "permanent": k < p.permanent.count, "shapley_shubik": ss[k], "banzhaf_normalised": bz[k]] as [String: Any] }
            let data = try JSONSerialization.data(withJSONObject: ["seats": seats, "quota": p.quota, "veto_threshold": p.vetoThreshold, "members": rows], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        default:
            print("rule: \(seats) seats, \(p.permanent.count) permanent, quota \(p.quota), " + (p.vetoThreshold == 0 ? "no veto" : "blocked by \(p.vetoThreshold) permanent no vote(s)"))
            print("member          Shapley-Shubik   Banzhaf (normalised)")
            for k in 0..<seats { print(names[k].padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%14.6f   %14.6f", ss[k], bz[k])) }
            print(String(format: "sum             %14.6f   %14.6f", ss.reduce(0, +), bz.reduce(0, +)))
        }
    }
}

struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every config key with its default, unit, source and meaning.")
    @Option(help: "markdown or csv.")
    var format = "markdown"

    func run() throws {
        let docs = ExperimentConfig.schema()
        if format == "csv" {
            print("key,kind,default,unit,source,meaning")
            for d in docs { print([d.path, d.kind, d.defaultValue, d.unit, d.source, d.doc].map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: ",")) }
        } else {
            print("| key | default | unit | range | source | meaning |\n|---|---|---|---|---|---|")
            // Pipes inside cells would split them: escape them for markdown.
            let cell = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|") }
            for d in docs { print("| `\(d.path)` | \(cell(d.defaultValue)) | \(cell(d.unit)) | \(cell(d.kind)) | \(cell(d.source)) | \(cell(d.doc)) |") }
        }
    }
}

// Errors become one line and exit status 2; no stack traces.
disableGSLAbortHandler()
do {
    var command = try Bystander.parseAsRoot()
    try command.run()
} catch let error as ConfigError {
    FileHandle.standardError.write(Data("bystander: config error: \(error)\n".utf8)); exit(ExitStatus.usage)
} catch let error as OutputError {
    FileHandle.standardError.write(Data("bystander: error: \(error)\n".utf8)); exit(ExitStatus.usage)
} catch let error as ModelInputError {
    FileHandle.standardError.write(Data("bystander: config error: \(error)\n".utf8)); exit(ExitStatus.usage)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    // Anything else is an input problem (status 2), never "differences found" (1).
    let code = Bystander.exitCode(for: error)
    if code == .success { Bystander.exit(withError: error) }
    FileHandle.standardError.write(Data((Bystander.fullMessage(for: error) + "\n").utf8))
    exit(ExitStatus.usage)
}

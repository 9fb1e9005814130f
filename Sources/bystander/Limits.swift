import ArgumentParser
import BystanderExperiments
import Foundation

/// --max-points and --max-runs: the size above which `run` and `sweep` refuse an experiment
/// before allocating anything (see DesignLimits).
struct LimitOptions: ParsableArguments {
    @Option(help: "Refuse a design of more points than this (default \(DesignLimits().maxPoints)); raise it for a larger design.")
    var maxPoints = DesignLimits().maxPoints
    @Option(help: "Refuse an experiment of more runs (points x replicates x regimes) than this (default \(DesignLimits().maxRuns)).")
    var maxRuns = DesignLimits().maxRuns

    func validate() throws {
        if maxPoints < 1 { throw ValidationError("--max-points must be at least 1") }
        if maxRuns < 1 { throw ValidationError("--max-runs must be at least 1") }
    }

    var limits: DesignLimits { DesignLimits(maxPoints: maxPoints, maxRuns: maxRuns) }
}

/// --jobs, checked: a thread count the engine can use (a value near Int.max used to overflow).
func checkJobs(_ jobs: Int?) throws {
    if let j = jobs, !(1...RunOptions.maximumJobs).contains(j) { throw ValidationError("--jobs must be between 1 and \(RunOptions.maximumJobs), got \(j)") }
}

/// The default thread count: SLURM_CPUS_PER_TASK under Slurm, else the cores, within bounds.
func defaultJobs() -> Int {
    let env = ProcessInfo.processInfo.environment
    let cores = env["SLURM_CPUS_PER_TASK"].flatMap(Int.init) ?? ProcessInfo.processInfo.activeProcessorCount
    return min(max(1, cores), RunOptions.maximumJobs)
}

/// `council-power` enumerates coalitions in 64-bit masks (VotingPower.maximumSeats in
/// BystanderCore, 62): refuse a larger Council, or a quota it cannot meet, cleanly rather
/// than at a precondition.
func checkCouncilPower(seats: Int, quota: Int) throws {
    let maximumSeats = 62
    if !(1...maximumSeats).contains(seats) {
        throw ValidationError("council-power computes exact voting power for 1 to \(maximumSeats) seats; this Council has \(seats)")
    }
    if quota > seats { throw ValidationError("council.quota (\(quota)) is larger than the number of seats (\(seats))") }
}

/// Results of a rerun into a folder that already held them: nothing was run again.
func reportAlreadyComplete(_ report: RunReport) throws {
    print("already complete: \(report.output) holds the results of this command (\(report.runs) runs; every file matches manifest.json)")
    if report.failed > 0 {
        FileHandle.standardError.write(Data("warning: \(report.failed) run(s) failed; see the 'error' column of runs.csv\n".utf8))
        throw ExitCode(ExitStatus.runsFailed)
    }
}

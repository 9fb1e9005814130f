import BystanderExperiments
import Foundation

/// The engine's parallel sweep, built with -sanitize=thread by scripts/tsan-sweep.sh:
/// `SweepUnderTSan CONFIG OUTPUT` runs the sweep on 2 threads with votes and time series, as
/// `bystander sweep CONFIG --output OUTPUT --jobs 2 --votes --timeseries 2` does. It links only
/// the engine and the model, so the instrumented build leaves out the CLI's web server.
@main
struct SweepUnderTSan {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            FileHandle.standardError.write(Data("usage: SweepUnderTSan CONFIG OUTPUT\n".utf8))
            exit(2)
        }
        let experiment = try Experiment(configPath: arguments[1])
        var options = RunOptions(output: arguments[2], jobs: 2)
        options.recordVotes = true
        options.timeseriesReplicates = 2
        options.progress = .quiet
        let report = try experiment.run(options)
        print("\(report.runs) runs, \(report.failed) failed")
        if report.failed > 0 || report.interrupted { exit(1) }
    }
}

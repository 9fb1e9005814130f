import ArgumentParser
import BystanderExperiments
import Foundation

/// `bystander validate`: calibrate the shared parameters on the case library, check the model
/// against every case (with a leave-one-case-out test), run the counterfactual regimes and the
/// analytic checks, and write docs/VALIDATION.md (see Sources/BystanderExperiments/Validation.swift).
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Calibrate the shared parameters on the case library and write the validation report.",
        discussion: """
            Sweeps every case config in --cases over the Latin hypercube of Experiments/calibration/design.yaml under \
            buck_passing, scores each point by the observed outcomes inside the simulated 5-95% intervals and the log10 \
            error of median deaths, picks the best point across all cases, checks it case by case (leave-one-case-out), \
            reruns the cases at the calibrated values under every regime, and adds the analytic checks. Writes the report \
            (--output) and the calibrated values (--calibrated). The runs behind the report are kept under --work.
            """)

    @Option(help: "Folder of case configs (every *.yaml in it).")
    var cases = "Experiments/cases"
    @Option(help: "Calibration design: the shared parameters, their ranges, and the effort of each mode.")
    var design = "Experiments/calibration/design.yaml"
    @Option(help: "Replicates per design point and case (default: from the design, by mode).")
    var replicates: Int?
    @Option(help: "Latin hypercube points (default: from the design, by mode).")
    var points: Int?
    @Option(help: "The report (default: docs/VALIDATION.md; with --small, Results/validation-small/VALIDATION.md).")
    var output: String?
    @Option(help: "Where to write the calibrated values as a config fragment (default: Experiments/calibration/calibrated.yaml; not written with --small unless given).")
    var calibrated: String?
    @Option(help: "Folder for the runs behind the report (default: Results/validation; with --small, Results/validation-small).")
    var work: String?
    @Flag(help: "Reduced mode for tests: the design's small effort (few points and replicates).")
    var small = false
    @Option(name: .shortAndLong, help: "Worker threads (default: all cores). Results do not depend on it.")
    var jobs: Int?
    @Flag(name: .shortAndLong, help: "No progress lines on standard error.")
    var quiet = false

    func validate() throws {
        try checkJobs(jobs)
        if let p = points, p < 1 { throw ValidationError("--points must be at least 1") }
        if let r = replicates, r < 1 { throw ValidationError("--replicates must be at least 1") }
    }

    func run() throws {
        var o = ValidationOptions()
        o.casesDirectory = cases
        o.designPath = design
        o.small = small
        o.points = points
        o.replicates = replicates
        o.output = output ?? (small ? "Results/validation-small/VALIDATION.md" : "docs/VALIDATION.md")
        o.calibratedPath = calibrated ?? (small ? nil : "Experiments/calibration/calibrated.yaml")
        o.workDirectory = work ?? (small ? "Results/validation-small" : "Results/validation")
        o.jobs = jobs ?? defaultJobs()
        o.command = (["bystander"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        o.verbose = !quiet
        let result = try Validation.run(o)
        print("validation: \(result.hits) of \(result.scoredOutcomes) observed outcomes inside the simulated 90% intervals at the calibrated values; best calibration score \(String(format: "%.2f", result.bestScore)); \(result.runs) runs in \(String(format: "%.0f", result.elapsedSeconds)) s")
        print("calibrated: " + result.calibrated.map { "\($0.path) = \($0.value)" }.joined(separator: ", "))
        print("report: \(o.output)\(o.calibratedPath.map { "; calibrated values: \($0)" } ?? "")")
    }
}

import ArgumentParser
import BystanderExperiments
import Foundation

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the regimes of a results folder side by side: medians and intervals, paired differences, p-values.",
        discussion: """
        Each point of a sweep is headed by its parameter values. --contrast A-B compares two design points instead: per regime, \
        point A minus point B paired by replicate, and the difference in differences of each regime against the first one. \
        It needs a sweep run with 'common_random_numbers: true' (the same seeds at every point) and refuses otherwise.
        """)
    @Argument(help: "A results folder (of `run`, `sweep` or `merge`).")
    var results: String
    @Option(help: "table, csv, json or markdown (--contrast: table, csv or markdown).")
    var format = "table"
    @Option(help: "Only this design point.")
    var point: Int?
    @Option(help: "Two design points A-B, e.g. 1-0: their paired difference under each regime.")
    var contrast: String?
    @Flag(help: "Every outcome, not just the headline ones.")
    var all = false
    @Flag(help: "The table with one column per regime (wider than 100 columns) instead of the regimes stacked.")
    var wide = false

    func validate() throws {
        if !["table", "csv", "json", "markdown"].contains(format) { throw ValidationError("--format must be table, csv, json or markdown") }
        if let c = contrast {
            guard PointContrast.parse(c) != nil else { throw ValidationError("--contrast must be two different point numbers A-B, e.g. 1-0; got '\(c)'") }
            if point != nil { throw ValidationError("--contrast and --point cannot be combined") }
            if format == "json" { throw ValidationError("--contrast prints table, csv or markdown") }
        }
    }

    func run() throws {
        let outcomes = all ? nil : ResultsReport.headlineOutcomes
        if let c = contrast, let (a, b) = PointContrast.parse(c) {
            print(try PointContrast.load(folder: results, a: a, b: b, outcomes: outcomes).render(format: format), terminator: "")
            return
        }
        let reports = try ResultsReport.load(folder: results, point: point, outcomes: outcomes)
        for (k, r) in reports.enumerated() {
            if format != "csv" && format != "json" && (reports.count > 1 || !r.parameters.isEmpty) {
                print("\(k > 0 ? "\n" : "")point \(r.point)" + (r.parameters.isEmpty ? "" : ": " + r.parameterText))
            }
            var text = r.render(format: format, wide: wide)
            if format == "csv" && k > 0 { text = text.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n" }
            print(text, terminator: "")
        }
    }
}

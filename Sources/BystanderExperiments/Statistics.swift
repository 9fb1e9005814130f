import BystanderCore
import CGSL
import Foundation

/// Descriptive statistics of one outcome over the replicates of one point and regime.
struct Describe {
    var n = 0, mean = Double.nan, sd = Double.nan
    var quantiles: [Double] = []          // at Summaries.probabilities
    init(_ values: [Double]) {
        n = values.count
        guard n > 0 else { return }
        var sorted = values
        sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, n) }
        mean = gsl_stats_mean(sorted, 1, n)
        sd = n > 1 ? gsl_stats_sd_m(sorted, 1, n, mean) : 0
        quantiles = Summaries.probabilities.map { gsl_stats_quantile_from_sorted_data(sorted, 1, n, $0) }
    }
}

/// Paired differences between two regimes over common replicates.
struct PairedDifference {
    var n = 0, mean = Double.nan, low = Double.nan, high = Double.nan, p = Double.nan

    /// Mean difference, its bootstrap 95% percentile interval (`resamples` GSL-driven resamples
    /// of the pairs), and the two-sided p-value of the Wilcoxon signed-rank test (normal
    /// approximation with tie correction; zero differences dropped, Wilcoxon's convention).
    init(_ d: [Double], rng: RandomStream, resamples: Int) {
        n = d.count
        guard n > 0 else { return }
        mean = d.reduce(0, +) / Double(n)
        var boot = [Double](repeating: 0, count: resamples)
        for b in 0..<resamples {
            var s = 0.0
            for _ in 0..<n { s += d[rng.uniformInt(n)] }
            boot[b] = s / Double(n)
        }
        boot.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, resamples) }
        low = gsl_stats_quantile_from_sorted_data(boot, 1, resamples, 0.025)
        high = gsl_stats_quantile_from_sorted_data(boot, 1, resamples, 0.975)
        p = Self.wilcoxon(d)
    }

    static func wilcoxon(_ d: [Double]) -> Double {
        let nonzero = d.filter { $0 != 0 }
        let m = nonzero.count
        guard m > 0 else { return 1 }
        let order = nonzero.indices.sorted { abs(nonzero[$0]) < abs(nonzero[$1]) }
        var ranks = [Double](repeating: 0, count: m)
        var tieCorrection = 0.0
        var k = 0
        while k < m {
            var j = k
            while j + 1 < m && abs(nonzero[order[j + 1]]) == abs(nonzero[order[k]]) { j += 1 }
            let rank = Double(k + j + 2) / 2
            for t in k...j { ranks[order[t]] = rank }
            let size = Double(j - k + 1)
            tieCorrection += size * size * size - size
            k = j + 1
        }
        let wPlus = zip(nonzero, ranks).filter { $0.0 > 0 }.reduce(0) { $0 + $1.1 }
        let mm = Double(m)
        let expected = mm * (mm + 1) / 4
        let variance = mm * (mm + 1) * (2 * mm + 1) / 24 - tieCorrection / 48
        guard variance > 0 else { return 1 }
        let z = (abs(wPlus - expected) - 0.5) / variance.squareRoot() // continuity correction
        return min(1, 2 * gsl_cdf_ugaussian_Q(max(0, z)))
    }
}

/// summary.csv, comparison.csv and members.csv, computed point by point from runs.csv (which
/// is in canonical order, point-major), so memory holds one point's runs at a time. Each file
/// repeats the design columns of runs.csv (the parameter paths of a sweep) after `point`, so
/// they can be analysed without a join.
enum Summaries {
    static let probabilities = [0.05, 0.25, 0.5, 0.75, 0.95]
    static let bootstrapResamples = 1000
    static func summaryHeader(_ design: [String]) -> String { CSVText.row(["point"] + design + ["regime", "outcome", "n", "mean", "sd", "p05", "p25", "p50", "p75", "p95"]) }
    static func comparisonHeader(_ design: [String]) -> String { CSVText.row(["point"] + design + ["regime", "reference", "outcome", "n_pairs", "mean_difference", "ci95_low", "ci95_high", "p_value"]) }
    static func membersHeader(_ design: [String]) -> String { CSVText.row(["point"] + design + ["regime", "replicate", "member", "vetoes"]) }

    struct Row { var point: Int; var regime: String; var replicate: Int; var values: [Double?] }

    static func numericOutcomes() -> [(index: Int, name: String)] {
        RunOutcome.columns.enumerated().filter { $0.element.name != "end_reason" && $0.element.name != "vetoes_by" }.map { ($0.offset, $0.element.name) }
    }

    /// Streams runs.csv and writes the three files atomically. The bootstraps of one point run
    /// on up to `jobs` threads; each has its own stream, so the results do not depend on `jobs`.
    /// members.csv is `vetoes_by` in long form: one row per run and permanent member that cast
    /// at least one vetoing no vote (a member absent from a run's rows cast none).
    static func write(runsPath: String, summaryPath: String, comparisonPath: String, membersPath: String, regimes: [String], rootSeed: UInt64,
                      jobs: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let reader = try CSVText.reader(runsPath)
        guard let cols = reader.headerRow else { throw OutputError("\(runsPath) is empty") }
        guard let pointCol = cols.firstIndex(of: "point"), let regimeCol = cols.firstIndex(of: "regime"),
              let repCol = cols.firstIndex(of: "replicate"), let errorCol = cols.firstIndex(of: "error"),
              let firstOutcome = cols.firstIndex(of: RunOutcome.columns[0].name), let vetoesCol = cols.firstIndex(of: "vetoes_by"),
              pointCol < regimeCol else { throw OutputError("\(runsPath) has an unexpected header") }
        let outcomes = numericOutcomes()
        let designNames = Array(cols[(pointCol + 1)..<regimeCol])
        var design: [String] = []   // the current point's values
        var members = ""           // the current point's members.csv rows
        // Each point's rows go straight to temporary files, renamed at the end: memory holds one
        // point at a time, and a reader never sees half a file.
        let summaryOut = try StreamingFile(summaryPath), comparisonOut = try StreamingFile(comparisonPath), membersOut = try StreamingFile(membersPath)
        try summaryOut.write(summaryHeader(designNames) + "\n"); try comparisonOut.write(comparisonHeader(designNames) + "\n")
        try membersOut.write(membersHeader(designNames) + "\n")
        var summary = ""
        var batch: [Row] = []
        func flush() throws {
            guard let point = batch.first?.point else { return }
            defer { batch.removeAll(keepingCapacity: true) }
            let lead = CSVText.row([String(point)] + design)
            try membersOut.write(members); members = ""
            for regime in regimes {
                let rows = batch.filter { $0.regime == regime }
                for (k, o) in outcomes.enumerated() {
                    let d = Describe(rows.compactMap { $0.values[k] })
                    summary += ([lead, regime, o.name, String(d.n), fmt(d.mean), fmt(d.sd)] + (d.quantiles.isEmpty ? Array(repeating: "", count: 5) : d.quantiles.map(fmt))).joined(separator: ",") + "\n"
                }
            }
            try summaryOut.write(summary); summary = ""
            guard let reference = regimes.first else { return }
            let refRows = Dictionary(batch.filter { $0.regime == reference }.map { ($0.replicate, $0) }, uniquingKeysWith: { a, _ in a })
            // Each regime's runs with the reference run of the same replicate, for every (regime, outcome) pair.
            let paired = regimes.dropFirst().map { regime in
                batch.filter { $0.regime == regime }.compactMap { r in refRows[r.replicate].map { (r.values, $0.values) } }
            }
            let lines = concurrentMap(paired.count * outcomes.count, jobs: jobs) { task -> String in
                let (j, k) = task.quotientAndRemainder(dividingBy: outcomes.count)
                let diffs = paired[j].compactMap { (a, b) -> Double? in
                    guard let a = a[k], let b = b[k] else { return nil }
                    return a - b
                }
                let rng = RandomStream(seed: SeedDerivation.derive(rootSeed, 0x424F4F54, UInt64(point), UInt64(k)))
                let pd = PairedDifference(diffs, rng: rng, resamples: bootstrapResamples)
                return [lead, regimes[j + 1], reference, outcomes[k].name, String(pd.n), fmt(pd.mean), fmt(pd.low), fmt(pd.high), fmt(pd.p)].joined(separator: ",") + "\n"
            }
            try comparisonOut.write(lines.joined())
        }
        while let f = reader.next() {
            guard f.count == cols.count, let point = Int(f[pointCol]), let rep = Int(f[repCol]) else { throw OutputError("\(runsPath): malformed row: \(f.joined(separator: ",").prefix(80))") }
            if let last = batch.last?.point, last != point { try flush() }
            if batch.isEmpty { design = Array(f[(pointCol + 1)..<regimeCol]) }
            let failed = !f[errorCol].isEmpty
            if !failed && !f[vetoesCol].isEmpty {
                for entry in f[vetoesCol].split(separator: ";") {
                    let parts = entry.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { throw OutputError("\(runsPath): malformed vetoes_by '\(f[vetoesCol])' in point \(point), replicate \(rep)") }
                    members += CSVText.row([String(point)] + design + [String(f[regimeCol]), String(rep), String(parts[0]), String(parts[1])]) + "\n"
                }
            }
            let values = outcomes.map { o -> Double? in failed ? nil : Double(f[firstOutcome + o.index]) }
            batch.append(Row(point: point, regime: String(f[regimeCol]), replicate: rep, values: values))
        }
        try flush()
        try summaryOut.commit()
        try comparisonOut.commit()
        try membersOut.commit()
    }

    static func fmt(_ x: Double) -> String { x.isNaN ? "" : formatNumber(x) }
}

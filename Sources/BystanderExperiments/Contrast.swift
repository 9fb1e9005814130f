import BystanderCore
import Foundation

/// The config behind a results folder (from its manifest), to say which duties each regime
/// assigns at a design point. Scenarios are built only for the points asked about.
struct DutyHolders {
    let config: ExperimentConfig
    let points: [DesignPoint]

    /// Nil when the folder has no readable manifest or its config no longer parses: the report
    /// then goes without the marks.
    init?(folder: String) {
        guard let data = FileManager.default.contents(atPath: "\(folder)/manifest.json"),
              let m = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let text = m["config_text"] as? String, let dir = m["config_directory"] as? String,
              let config = try? ExperimentConfig.parse(text, name: m["config_file"] as? String ?? "config", baseDirectory: dir) else { return nil }
        self.config = config
        if let sweep = config.sweep {
            guard let points = try? sweep.designPoints(rootSeed: config.seed) else { return nil }
            self.points = points
        } else {
            points = [DesignPoint(values: [])]
        }
    }

    /// Per regime, `breaches_<duty>` for each duty that no state holds under it at `point`.
    func breachOutcomesWithoutHolder(point: Int, regimes: [String]) -> [String: Set<String>] {
        guard points.indices.contains(point),
              let params = try? (points[point].values.isEmpty ? config.model : config.with(overrides: points[point].overrides).model),
              let world = try? WorldBuilder.synthetic(params, seed: SeedDerivation.worldSeed(root: config.seed)) else { return [:] }
        let scenario = Scenario(parameters: params, world: world)
        var out: [String: Set<String>] = [:]
        for regime in regimes {
            guard let regimeType = Regimes.named(regime) else { continue }
            // The allocation, not the bystanders' duties alone: it adds the territorial state's primary duty.
            let held = regimeType.allocation(in: scenario).duties.reduce(DutySet()) { $0.union($1) }
            out[regime] = Set(DutySet.names.filter { !held.contains($0.0) }.map { "breaches_\($0.1)" })
        }
        return out
    }
}

/// The paired difference between two design points of a sweep run on common random numbers
/// (`sweep.common_random_numbers: true`, so replicate r has the same seed at every point):
/// per regime, point A minus point B replicate by replicate; and per regime other than the
/// reference, the difference in differences ((regime - reference) at A minus at B), which says
/// whether the change from B to A alters that regime's advantage.
public struct PointContrast {
    public struct Entry { public var a: Double; public var b: Double; public var difference: PairedStatistics }
    /// n, mean, bootstrap 95% interval and Wilcoxon p of paired differences.
    public struct PairedStatistics { public var n: Int; public var mean: Double; public var low: Double; public var high: Double; public var p: Double }

    public var a: Int
    public var b: Int
    public var parametersA: [(path: String, value: String)]
    public var parametersB: [(path: String, value: String)]
    public var regimes: [String]
    public var outcomes: [String]
    /// outcome -> regime -> medians at A and B, and the paired A - B differences.
    public var withinRegime: [String: [String: Entry]] = [:]
    /// outcome -> regime (not the reference) -> mean regime-minus-reference differences at A and
    /// at B, and the paired difference in differences.
    public var interaction: [String: [String: Entry]] = [:]

    /// Parses "A-B" (two point numbers).
    public static func parse(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 0, b >= 0, a != b else { return nil }
        return (a, b)
    }

    public static func load(folder: String, a: Int, b: Int, outcomes wanted: [String]?) throws -> PointContrast {
        let path = "\(folder)/runs.csv"
        guard Files.exists(path) else { throw OutputError("cannot read \(path): is this a results folder of a finished run or merge?") }
        let reader = try CSVText.reader(path)
        guard let header = reader.headerRow, let pointCol = header.firstIndex(of: "point"), let regimeCol = header.firstIndex(of: "regime"),
              let repCol = header.firstIndex(of: "replicate"), let seedCol = header.firstIndex(of: "seed"), let errorCol = header.firstIndex(of: "error"),
              let firstOutcome = header.firstIndex(of: RunOutcome.columns[0].name) else { throw OutputError("\(path) has an unexpected header") }
        let all = Summaries.numericOutcomes()
        let design = ResultsReport.designColumns(header)
        var values: [Int: [String: [Int: [Double?]]]] = [a: [:], b: [:]]   // point -> regime -> replicate -> outcomes
        var seeds: [Int: [Int: String]] = [a: [:], b: [:]]
        var parameters: [Int: [(path: String, value: String)]] = [:]
        var regimes: [String] = []
        var maxPoint = -1
        while let f = reader.next() {
            guard f.count == header.count, let p = Int(f[pointCol]), let rep = Int(f[repCol]) else { throw OutputError("\(path): malformed row") }
            maxPoint = max(maxPoint, p)
            guard p == a || p == b else { continue }
            let regime = String(f[regimeCol])
            if !regimes.contains(regime) { regimes.append(regime) }
            if parameters[p] == nil { parameters[p] = design.enumerated().map { ($0.element, String(f[pointCol + 1 + $0.offset])) } }
            seeds[p]![rep] = String(f[seedCol])
            let failed = !f[errorCol].isEmpty
            values[p]![regime, default: [:]][rep] = all.map { o in failed ? nil : Double(f[firstOutcome + o.index]) }
        }
        for p in [a, b] where parameters[p] == nil {
            throw OutputError("\(folder) has no point \(p) (its points are 0 to \(maxPoint))")
        }
        let shared = Set(seeds[a]!.keys).intersection(seeds[b]!.keys)
        if shared.contains(where: { seeds[a]![$0] != seeds[b]![$0] }) {
            throw OutputError("points \(a) and \(b) were run on different seeds, so their runs cannot be paired: set 'common_random_numbers: true' in the config's sweep section and run the sweep again (or compare the points one at a time with --point)")
        }
        let rootSeed = Self.rootSeed(folder: folder)
        // (position in the values, outcome), in the order asked for.
        let selected = (wanted ?? all.map(\.name)).compactMap { name in all.firstIndex { $0.name == name }.map { ($0, all[$0]) } }
        var c = PointContrast(a: a, b: b, parametersA: parameters[a]!, parametersB: parameters[b]!, regimes: regimes,
                              outcomes: selected.map(\.1.name))
        let reference = regimes.first ?? ""
        let replicates = shared.sorted()
        func value(_ p: Int, _ regime: String, _ rep: Int, _ k: Int) -> Double? { values[p]![regime]?[rep].flatMap { $0[k] } }
        func statistics(_ d: [Double], stream: UInt64, _ k: Int) -> PairedStatistics {
            let rng = RandomStream(seed: SeedDerivation.derive(rootSeed, 0x434F4E54, UInt64(a), UInt64(b), stream, UInt64(k)))
            let pd = PairedDifference(d, rng: rng, resamples: Summaries.bootstrapResamples)
            return PairedStatistics(n: pd.n, mean: pd.mean, low: pd.low, high: pd.high, p: pd.p)
        }
        for (k, o) in selected {
            for (j, regime) in regimes.enumerated() {
                let pairs = replicates.compactMap { rep in value(a, regime, rep, k).flatMap { x in value(b, regime, rep, k).map { (x, $0) } } }
                let median = { (xs: [Double]) in Describe(xs).quantiles.isEmpty ? Double.nan : Describe(xs).quantiles[2] }
                c.withinRegime[o.name, default: [:]][regime] = Entry(a: median(replicates.compactMap { value(a, regime, $0, k) }),
                                                                     b: median(replicates.compactMap { value(b, regime, $0, k) }),
                                                                     difference: statistics(pairs.map { $0.0 - $0.1 }, stream: UInt64(j), k))
                guard regime != reference else { continue }
                let quads = replicates.compactMap { rep -> (Double, Double)? in
                    guard let ra = value(a, regime, rep, k), let fa = value(a, reference, rep, k),
                          let rb = value(b, regime, rep, k), let fb = value(b, reference, rep, k) else { return nil }
                    return (ra - fa, rb - fb)
                }
                let mean = { (xs: [Double]) in xs.isEmpty ? Double.nan : xs.reduce(0, +) / Double(xs.count) }
                c.interaction[o.name, default: [:]][regime] = Entry(a: mean(quads.map(\.0)), b: mean(quads.map(\.1)),
                                                                    difference: statistics(quads.map { $0.0 - $0.1 }, stream: 0x100 + UInt64(j), k))
            }
        }
        return c
    }

    static func rootSeed(folder: String) -> UInt64 {
        guard let data = FileManager.default.contents(atPath: "\(folder)/manifest.json"),
              let m = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return 0 }
        return (m["root_seed"] as? String).flatMap { UInt64($0) } ?? 0
    }

    static func describe(_ p: [(path: String, value: String)]) -> String {
        p.isEmpty ? "(no sweep parameters)" : p.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
    }

    func differenceCells(_ s: PairedStatistics) -> [String] {
        guard s.n > 0 else { return ["-", "-"] }
        if s.mean == 0 && s.low == 0 && s.high == 0 { return ["identical", "-"] }
        let f = ResultsReport.short
        return ["\(f(formatNumber(s.mean))) [\(f(formatNumber(s.low))), \(f(formatNumber(s.high)))]", f(formatNumber(s.p))]
    }

    /// table (stacked, as `compare`), markdown or csv.
    public func render(format: String) -> String {
        let f = { (x: Double) in x.isNaN ? "-" : ResultsReport.short(formatNumber(x)) }
        let g = { (x: Double) in x.isNaN ? "" : formatNumber(x) }
        let reference = regimes.first ?? ""
        if format == "csv" {
            var lines = [CSVText.row(["point_a", "point_b", "kind", "regime", "reference", "outcome", "value_a", "value_b", "n_pairs", "mean_difference", "ci95_low", "ci95_high", "p_value"])]
            for o in outcomes {
                for r in regimes {
                    if let e = withinRegime[o]?[r] {
                        lines.append(CSVText.row([String(a), String(b), "regime", r, "", o, g(e.a), g(e.b), String(e.difference.n), g(e.difference.mean), g(e.difference.low), g(e.difference.high), g(e.difference.p)]))
                    }
                    if let e = interaction[o]?[r] {
                        lines.append(CSVText.row([String(a), String(b), "interaction", r, reference, o, g(e.a), g(e.b), String(e.difference.n), g(e.difference.mean), g(e.difference.low), g(e.difference.high), g(e.difference.p)]))
                    }
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
        var rows = [["outcome / regime", "point \(a)", "point \(b)", "\(a) - \(b) mean [95% CI]", "p"]]
        for o in outcomes {
            rows.append([o])
            for r in regimes {
                if let e = withinRegime[o]?[r] { rows.append(["  " + r, f(e.a), f(e.b)] + differenceCells(e.difference)) }
            }
            for r in regimes.dropFirst() {
                if let e = interaction[o]?[r] { rows.append(["  \(r) - \(reference)", f(e.a), f(e.b)] + differenceCells(e.difference)) }
            }
        }
        let intro = "contrast: point \(a) - point \(b), paired by replicate (common random numbers)\npoint \(a): \(Self.describe(parametersA))\npoint \(b): \(Self.describe(parametersB))\n"
        let note = "regime rows: medians at each point and the mean paired difference; 'regime - \(reference)' rows: the mean paired regime difference at each point and the difference in differences (does the change from point \(b) to point \(a) alter the regime's effect?); 95% bootstrap intervals, Wilcoxon signed-rank p.\n"
        if format == "markdown" {
            let body = rows.map { r in r.count == 1 ? "| **\(r[0])** | | | | |" : "| " + r.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " | ") + " |" }
            return intro + "\n" + ([body[0], "|---|---|---|---|---|"] + body.dropFirst()).joined(separator: "\n") + "\n\n" + note
        }
        return intro + "\n" + ResultsReport.aligned(rows) + "\n" + note
    }
}

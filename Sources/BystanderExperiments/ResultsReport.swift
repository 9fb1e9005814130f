import BystanderCore
import Foundation

/// The side-by-side comparison of regimes in a results folder, read from summary.csv and
/// comparison.csv: per outcome, median and 5-95% interval per regime, then the paired
/// difference from the reference regime with its bootstrap interval and p-value.
public struct ResultsReport {
    public struct Cell { public var median: String; public var low: String; public var high: String; public var n: String; public var mean: String }
    public struct Difference { public var mean: String; public var low: String; public var high: String; public var p: String; public var n: String }
    public var point: Int
    /// The parameter values of the point (the design columns of summary.csv; empty outside a sweep).
    public var parameters: [(path: String, value: String)] = []
    /// Per regime, the duty-breach outcomes (`breaches_*`) of duties that no state holds under
    /// it at this point: their zeros are not compliance, and their tests say nothing.
    public var dutiesNotHeld: [String: Set<String>] = [:]
    public var regimes: [String]
    public var outcomes: [String]
    public var cells: [String: [String: Cell]]            // outcome -> regime -> cell
    public var differences: [String: [String: Difference]] // outcome -> regime -> diff vs reference

    public static let headlineOutcomes = ["deaths_total", "onset_week", "atrocity_weeks", "response_weeks", "first_resolution_week",
                                          "max_level_adopted", "drafts_vetoed", "troops_deployed_peak", "burden_total", "burden_gini",
                                          "breaches_respect", "breaches_protect", "breaches_not_obstruct", "breaches_assist", "breaches_primary",
                                          "buck_passing_index", "responsibility_gap_weeks"]

    /// Reports for the points of a results folder: all, one (`point`), or the first
    /// `maxPoints`. Rows of other points are skipped while reading, so a sweep of many points
    /// is never held in memory to print a few.
    public static func load(folder: String, point: Int? = nil, maxPoints: Int? = nil, outcomes: [String]? = nil) throws -> [ResultsReport] {
        let wanted = { (row: [String: String]) -> Bool in
            guard let p = Int(row["point"] ?? "") else { return false }
            return (point == nil || p == point) && (maxPoints == nil || p < maxPoints!)
        }
        let (header, summary) = try readCSV("\(folder)/summary.csv", keep: wanted)
        let comparison = (try? readCSV("\(folder)/comparison.csv", keep: wanted))?.rows ?? []
        let design = designColumns(header)
        var byPoint: [Int: ResultsReport] = [:]
        for row in summary {
            guard let p = Int(row["point"] ?? ""), point == nil || point == p, let regime = row["regime"], let outcome = row["outcome"] else { continue }
            var r = byPoint[p] ?? ResultsReport(point: p, parameters: design.map { ($0, row[$0] ?? "") }, regimes: [], outcomes: [], cells: [:], differences: [:])
            if !r.regimes.contains(regime) { r.regimes.append(regime) }
            if !r.outcomes.contains(outcome) { r.outcomes.append(outcome) }
            r.cells[outcome, default: [:]][regime] = Cell(median: row["p50"] ?? "", low: row["p05"] ?? "", high: row["p95"] ?? "", n: row["n"] ?? "", mean: row["mean"] ?? "")
            byPoint[p] = r
        }
        for row in comparison {
            guard let p = Int(row["point"] ?? ""), var r = byPoint[p], let regime = row["regime"], let outcome = row["outcome"] else { continue }
            r.differences[outcome, default: [:]][regime] = Difference(mean: row["mean_difference"] ?? "", low: row["ci95_low"] ?? "", high: row["ci95_high"] ?? "", p: row["p_value"] ?? "", n: row["n_pairs"] ?? "")
            byPoint[p] = r
        }
        if byPoint.isEmpty { throw OutputError("\(folder)/summary.csv has no rows\(point.map { " for point \($0)" } ?? "")") }
        let holders = DutyHolders(folder: folder)
        return byPoint.keys.sorted().map { k in
            var r = byPoint[k]!
            if let o = outcomes { r.outcomes = o.filter { r.outcomes.contains($0) } }
            if let holders { r.dutiesNotHeld = holders.breachOutcomesWithoutHolder(point: k, regimes: r.regimes) }
            return r
        }
    }

    /// The columns between `point` and `regime`: a sweep's parameter paths.
    static func designColumns(_ header: [String]) -> [String] {
        guard let p = header.firstIndex(of: "point"), let r = header.firstIndex(of: "regime"), p < r else { return [] }
        return Array(header[(p + 1)..<r])
    }

    static func readCSV(_ path: String, keep: ([String: String]) -> Bool) throws -> (header: [String], rows: [[String: String]]) {
        guard Files.exists(path) else { throw OutputError("cannot read \(path): is this a results folder of a finished run?") }
        let reader = try CSVText.reader(path)
        guard let header = reader.headerRow else { return ([], []) }
        var rows: [[String: String]] = []
        while let f = reader.next() {
            let row = Dictionary(uniqueKeysWithValues: zip(header, f).map { ($0, $1) })
            if keep(row) { rows.append(row) }
        }
        return (header, rows)
    }

    /// "path=value, ..." for the point's parameters, or "" outside a sweep.
    public var parameterText: String { parameters.map { "\($0.path)=\($0.value)" }.joined(separator: ", ") }

    static func short(_ s: String) -> String {
        guard let x = Double(s) else { return s.isEmpty ? "-" : s }
        if x == x.rounded() && abs(x) < 1e7 { return String(Int(x)) }
        if abs(x) >= 1000 { return String(format: "%.0f", x) }
        if abs(x) >= 1 { return String(format: "%.2f", x) }
        return String(format: "%.3g", x)
    }

    static let noDutyMark = "no duty held"

    func cellText(_ o: String, _ r: String) -> String {
        if dutiesNotHeld[r]?.contains(o) == true { return Self.noDutyMark }
        return cells[o]?[r].map { "\(Self.short($0.median)) [\(Self.short($0.low)), \(Self.short($0.high))]" } ?? "-"
    }

    /// Difference and p-value cells of regime `r` against the reference: "-" where either side
    /// holds no duty the outcome counts breaches of, "identical" where every pair is equal
    /// (the test of no difference is then empty, not p = 1).
    func differenceText(_ o: String, _ r: String) -> (String, String) {
        let reference = regimes.first ?? ""
        if dutiesNotHeld[r]?.contains(o) == true && dutiesNotHeld[reference]?.contains(o) == true { return ("-", "-") }
        guard let d = differences[o]?[r], (Int(d.n) ?? 0) > 0 else { return ("-", "-") }
        if Double(d.mean) == 0 && Double(d.low) == 0 && Double(d.high) == 0 { return ("identical", "-") }
        return ("\(Self.short(d.mean)) [\(Self.short(d.low)), \(Self.short(d.high))]", Self.short(d.p))
    }

    /// Rows of text cells, one column per regime: header then one row per outcome.
    public func table() -> [[String]] {
        let reference = regimes.first ?? ""
        var header = ["outcome"] + regimes.map { "\($0) median [5%, 95%]" }
        for r in regimes.dropFirst() { header += ["\(r) - \(reference) mean [95% CI]", "p"] }
        var rows = [header]
        for o in outcomes {
            var row = [o] + regimes.map { cellText(o, $0) }
            for r in regimes.dropFirst() { let (d, p) = differenceText(o, r); row += [d, p] }
            rows.append(row)
        }
        return rows
    }

    /// Rows of text cells with the regimes stacked under each outcome: narrow enough for an
    /// 80-column terminal. A row of one cell is an outcome's heading.
    public func stackedTable() -> [[String]] {
        let reference = regimes.first ?? ""
        var rows = [["outcome / regime", "median [5%, 95%]", "- \(reference) [95% CI]", "p"]]
        for o in outcomes {
            rows.append([o])
            for r in regimes {
                let (d, p) = r == reference ? ("", "") : differenceText(o, r)
                rows.append(["  " + r, cellText(o, r), d, p])
            }
        }
        return rows
    }

    /// Aligned text: the first column left-aligned, the others right-aligned; one-cell rows
    /// (headings) printed as they are.
    static func aligned(_ rows: [[String]]) -> String {
        var widths = rows[0].map { _ in 0 }
        for r in rows where r.count == widths.count { for (k, c) in r.enumerated() { widths[k] = max(widths[k], c.count) } }
        return rows.enumerated().map { i, r in
            guard r.count == widths.count else { return r.joined(separator: "  ") }
            let line = r.enumerated().map { k, c in k == 0 ? c.padding(toLength: widths[k], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[k] - c.count) + c }.joined(separator: "  ")
            let trimmed = String(line.reversed().drop { $0 == " " }.reversed())
            return i == 0 ? trimmed + "\n" + String(repeating: "-", count: line.count) : trimmed
        }.joined(separator: "\n") + "\n"
    }

    /// The report as text: "table" (regimes stacked; `wide`: one column per regime),
    /// "markdown" (one column per regime), "csv" or "json".
    public func render(format: String, wide: Bool = false) -> String {
        let rows = table()
        switch format {
        case "markdown":
            let head = "| " + rows[0].joined(separator: " | ") + " |\n|" + rows[0].map { _ in "---" }.joined(separator: "|") + "|\n"
            return head + rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
        case "csv":
            var lines = [CSVText.row(["point"] + parameters.map(\.path) + ["outcome", "regime", "median", "p05", "p95", "mean", "n", "difference_vs", "mean_difference", "ci95_low", "ci95_high", "p_value"])]
            let reference = regimes.first ?? ""
            for o in outcomes {
                for r in regimes {
                    let c = cells[o]?[r], d = r == reference ? nil : differences[o]?[r]
                    lines.append(CSVText.row([String(point)] + parameters.map(\.value) + [o, r, c?.median ?? "", c?.low ?? "", c?.high ?? "", c?.mean ?? "", c?.n ?? "",
                                  r == reference ? "" : reference, d?.mean ?? "", d?.low ?? "", d?.high ?? "", d?.p ?? ""]))
                }
            }
            return lines.joined(separator: "\n") + "\n"
        case "json":
            var outcomesJSON: [String: Any] = [:]
            for o in outcomes {
                var per: [String: Any] = [:]
                for r in regimes {
                    var entry: [String: Any] = [:]
                    if let c = cells[o]?[r] { entry["median"] = Double(c.median) ?? NSNull(); entry["p05"] = Double(c.low) ?? NSNull(); entry["p95"] = Double(c.high) ?? NSNull(); entry["mean"] = Double(c.mean) ?? NSNull(); entry["n"] = Int(c.n) ?? 0 }
                    if let d = differences[o]?[r] { entry["difference_vs_\(regimes[0])"] = ["mean": Double(d.mean) ?? NSNull(), "ci95_low": Double(d.low) ?? NSNull(), "ci95_high": Double(d.high) ?? NSNull(), "p_value": Double(d.p) ?? NSNull(), "n_pairs": Int(d.n) ?? 0] as [String: Any] }
                    per[r] = entry
                }
                outcomesJSON[o] = per
            }
            return String(decoding: canonicalJSON(["point": point, "parameters": Dictionary(parameters.map { ($0.path, $0.value) }, uniquingKeysWith: { a, _ in a }), "regimes": regimes, "outcomes": outcomesJSON] as [String: Any]), as: UTF8.self) + "\n"
        default:
            return Self.aligned(wide ? rows : stackedTable())
        }
    }
}

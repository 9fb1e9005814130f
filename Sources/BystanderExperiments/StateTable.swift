import BystanderCore
import Foundation

/// Per-state outputs. `state-runs.csv` is written run by run like runs.csv (one row per run and
/// state that bore a burden or breached a duty, and, in replicate 0, every state), so it is
/// byte-identical across --jobs, shards and resumes; `states.csv` is computed from it at the
/// end, as summary.csv is from runs.csv: one row per design point, regime and state.
enum StateTable {
    static let runsHeader = "point,regime,replicate,iso3,burden,held,breached"

    /// The duties in the order of the columns.
    static let duties: [(DutySet, String)] = DutySet.names

    static func header(parameterColumns: [String]) -> String {
        CSVText.row(["point"] + parameterColumns + ["regime", "iso3", "runs", "burden_mean"]
                    + duties.map { "held_\($0.1)" } + duties.map { "breached_\($0.1)_share" })
    }

    /// The state rows of one run: `key` is "point,regime,replicate". Every state in replicate
    /// 0; after it, the states that bore a burden or breached a duty, and, when holdings differ
    /// from run to run (`perRunHoldings`: capacity_based with ranking noise), those that held one.
    static func lines(key: String, replicate: Int, world: World, result: RunResult, perRunHoldings: Bool) -> String {
        let held = result.held
        var text: [UInt8] = []
        for i in world.iso.indices where replicate == 0 || result.burden[i] > 0 || !result.breached[i].isEmpty || (perRunHoldings && !held[i].isEmpty) {
            text.append(contentsOf: "\(key),\(world.iso[i]),\(formatNumber(result.burden[i])),\(held[i].rawValue),\(result.breached[i].rawValue)\n".utf8)
        }
        return String(decoding: text, as: UTF8.self)
    }

    struct Accumulator { var burden = 0.0; var held: UInt8 = 0; var breaches = [Int](repeating: 0, count: StateTable.duties.count) }

    /// Streams runs.csv (successful runs per point and regime, the design values) and
    /// state-runs.csv, and writes states.csv atomically.
    static func write(stateRunsPath: String, runsPath: String, statesPath: String, regimes: [String]) throws {
        let runs = try CSVText.reader(runsPath)
        guard let cols = runs.headerRow, let regimeCol = cols.firstIndex(of: "regime"), let errorCol = cols.firstIndex(of: "error") else {
            throw OutputError("\(runsPath) has an unexpected header")
        }
        let parameterColumns = Array(cols[1..<regimeCol])
        var counts: [Int: [String: Int]] = [:], design: [Int: [String]] = [:]
        while let f = runs.next() {
            guard f.count == cols.count, let point = Int(f[0]) else { throw OutputError("\(runsPath): malformed row") }
            if design[point] == nil { design[point] = Array(f[1..<regimeCol]) }
            if f[errorCol].isEmpty { counts[point, default: [:]][f[regimeCol], default: 0] += 1 }
        }
        let out = try StreamingFile(statesPath)
        try out.write(header(parameterColumns: parameterColumns) + "\n")
        let reader = try CSVText.reader(stateRunsPath)
        guard reader.headerRow?.joined(separator: ",") == runsHeader else { throw OutputError("\(stateRunsPath) has an unexpected header") }
        var point: Int? = nil
        var order: [String] = [], acc: [String: [String: Accumulator]] = [:]
        func flush() throws {
            guard let p = point else { return }
            var text = ""
            for regime in regimes {
                let n = counts[p]?[regime] ?? 0
                for iso in order {
                    let a = acc[regime]?[iso] ?? Accumulator()
                    let held = duties.map { DutySet(rawValue: a.held).contains($0.0) ? "1" : "0" }
                    let shares = a.breaches.map { n > 0 ? formatNumber(Double($0) / Double(n)) : "" }
                    text += CSVText.row([String(p)] + (design[p] ?? []) + [regime, iso, String(n), n > 0 ? formatNumber(a.burden / Double(n)) : ""] + held + shares) + "\n"
                }
            }
            try out.write(text)
            order.removeAll(); acc.removeAll()
        }
        var seen = Set<String>()
        while let f = reader.next() {
            guard f.count == 7, let p = Int(f[0]), let burden = Double(f[4]), let held = UInt8(f[5]), let breached = UInt8(f[6]) else {
                throw OutputError("\(stateRunsPath): malformed row: \(f.joined(separator: ",").prefix(80))")
            }
            if p != point { try flush(); point = p; seen.removeAll() }
            let iso = f[3]
            if seen.insert(iso).inserted { order.append(iso) }
            var a = acc[f[1], default: [:]][iso] ?? Accumulator()
            a.burden += burden
            a.held |= held
            for (k, d) in duties.enumerated() where DutySet(rawValue: breached).contains(d.0) { a.breaches[k] += 1 }
            acc[f[1], default: [:]][iso] = a
        }
        try flush()
        try out.commit()
    }
}

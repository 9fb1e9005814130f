import BystanderCore
import BystanderExperiments
import Foundation

/// The JSON the page draws: a results folder read back (summary.csv and comparison.csv as
/// written, so the numbers equal `bystander run`'s), and a single run as a timeline.
enum ExplorerResults {
    /// Per-run values the charts draw, by replicate (null where the run has none).
    static let runColumns = ["deaths_total", "response_weeks"]
    static let summaryNumbers = ["mean", "sd", "p05", "p25", "p50", "p75", "p95"]
    static let comparisonNumbers = ["mean_difference", "ci95_low", "ci95_high", "p_value"]

    static func number(_ s: String) -> Any { Double(s) ?? NSNull() }

    static func read(folder: String, experiment: Experiment) throws -> [String: Any] {
        let c = experiment.config
        var summary: [String: [String: Any]] = [:]
        let s = try Explorer.readCSV("\(folder)/summary.csv")
        let si = Dictionary(uniqueKeysWithValues: s.header.enumerated().map { ($1, $0) })
        for row in s.rows {
            var cell: [String: Any] = ["n": Int(row[si["n"]!]) ?? 0]
            for k in summaryNumbers { cell[k] = number(row[si[k]!]) }
            summary[row[si["regime"]!], default: [:]][row[si["outcome"]!]] = cell
        }
        var comparison: [String: [String: Any]] = [:]
        let d = try Explorer.readCSV("\(folder)/comparison.csv")
        let di = Dictionary(uniqueKeysWithValues: d.header.enumerated().map { ($1, $0) })
        for row in d.rows {
            var cell: [String: Any] = ["reference": row[di["reference"]!], "n_pairs": Int(row[di["n_pairs"]!]) ?? 0]
            for k in comparisonNumbers { cell[k] = number(row[di[k]!]) }
            comparison[row[di["regime"]!], default: [:]][row[di["outcome"]!]] = cell
        }

        // runs.csv: point 0 only (the explorer refuses sweeps), rows in replicate order per regime.
        let r = try Explorer.readCSV("\(folder)/runs.csv")
        let ri = Dictionary(uniqueKeysWithValues: r.header.enumerated().map { ($1, $0) })
        var perRun: [String: [String: [Any]]] = [:]
        var vetoes: [String: [String: Int]] = [:]
        var failed: [String: Int] = [:]
        for row in r.rows {
            let regime = row[ri["regime"]!]
            if !row[ri["error"]!].isEmpty { failed[regime, default: 0] += 1 }
            for col in runColumns { perRun[regime, default: [:]][col, default: []].append(number(row[ri[col]!])) }
            for part in row[ri["vetoes_by"]!].split(separator: ";") {
                let kv = part.split(separator: "=")
                if kv.count == 2, let n = Int(kv[1]) { vetoes[regime, default: [:]][String(kv[0]), default: 0] += n }
            }
        }
        let (votes, permanent) = try countVotes("\(folder)/votes.csv")
        var council: [String: Any] = [:]
        for regime in c.regimes {
            council[regime] = ["vetoes_by": vetoes[regime] ?? [:], "votes_by_member": votes[regime] ?? [:]] as [String: Any]
        }
        return [
            "name": c.name, "description": c.description, "seed": String(c.seed), "replicates": c.replicates,
            "regimes": c.regimes, "reference": c.regimes[0], "experiment_hash": experiment.experimentHash,
            "summary": summary, "comparison": comparison, "per_run": perRun, "failed_by_regime": failed,
            "council": council, "permanent_members": permanent.sorted(),
            // The slot for "who is responsible" (per-state shares of the responsibility for the
            // harm): the model does not compute it yet, so the page shows it as not available.
            "responsibility": ["available": false,
                               "note": "Who carries the responsibility (per-state shares) is not computed by this version of the model; this panel fills in when it is."] as [String: Any],
        ]
    }

    /// votes.csv counted by regime, member and vote, in one pass over its bytes: it has some
    /// 25 rows per run (76,000 for the default experiment at 1,000 replicates), and splitting
    /// them all into fields would take most of a request's time. Its fields are never quoted
    /// (numbers and codes, written by CSVText.lines).
    static func countVotes(_ path: String) throws -> (votes: [String: [String: [String: Int]]], permanent: Set<String>) {
        guard let data = FileManager.default.contents(atPath: path) else { throw OutputError("cannot read \(path)") }
        var counts: [String: Int] = [:]   // "regime,member,permanent,vote" -> votes
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard let header = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return }
            // Fields 1 (regime) and 6-8 (member, permanent, vote) of each line.
            var field = 0, start = header + 1, regime = start..<start, keyStart = start, keyEnd = start
            for i in (header + 1)..<bytes.count {
                let b = bytes[i]
                guard b == UInt8(ascii: ",") || b == UInt8(ascii: "\n") else { continue }
                if field == 1 { regime = start..<i }
                if field == 6 { keyStart = start }
                if field == 8 { keyEnd = i }
                field += 1; start = i + 1
                if b == UInt8(ascii: "\n") {
                    let key = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[regime]), as: UTF8.self) + ","
                        + String(decoding: UnsafeRawBufferPointer(rebasing: bytes[keyStart..<keyEnd]), as: UTF8.self)
                    counts[key, default: 0] += 1
                    field = 0
                }
            }
        }
        var votes: [String: [String: [String: Int]]] = [:]
        var permanent: Set<String> = []
        for (key, n) in counts {
            let f = key.split(separator: ",").map(String.init)
            guard f.count == 4 else { continue }
            if f[2] == "1" { permanent.insert(f[1]) }
            votes[f[0], default: [:]][f[1], default: ["yes": 0, "no": 0, "abstain": 0]][f[3], default: 0] += n
        }
        return (votes, permanent)
    }

    /// A run's weeks as columns (the values `--timeseries` writes) and its drafts with their votes.
    static func timeline(_ result: RunResult, regime: String, replicate: Int) -> [String: Any] {
        var columns: [String: [Any]] = ["week": []]
        for name in WeekRecord.columns { columns[name] = [] }
        for w in result.weeks {
            columns["week"]!.append(w.week)
            for (name, field) in zip(WeekRecord.columns, w.fields) { columns[name]!.append(name == "phase" ? field : number(field)) }
        }
        var drafts: [[String: Any]] = []
        for v in result.votes {
            if drafts.last?["draft"] as? Int != v.draft {
                drafts.append(["week": v.week, "draft": v.draft, "level": v.level, "adopted": v.adopted, "penholder": v.penholder, "votes": [[String: Any]]()])
            }
            var list = drafts[drafts.count - 1]["votes"] as! [[String: Any]]
            list.append(["member": v.member, "permanent": v.permanent, "vote": v.vote.rawValue])
            drafts[drafts.count - 1]["votes"] = list
        }
        let outcome = Dictionary(uniqueKeysWithValues: zip(RunOutcome.columns.map(\.name), result.outcome.fields))
        return ["regime": regime, "replicate": replicate, "weeks": columns, "drafts": drafts, "outcome": outcome]
    }
}

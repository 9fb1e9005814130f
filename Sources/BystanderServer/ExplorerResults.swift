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
        for row in try Explorer.readColumns("\(folder)/summary.csv", ["regime", "outcome", "n"] + summaryNumbers) {
            var cell: [String: Any] = ["n": Int(row[2]) ?? 0]
            for (k, name) in summaryNumbers.enumerated() { cell[name] = number(row[3 + k]) }
            summary[row[0], default: [:]][row[1]] = cell
        }
        var comparison: [String: [String: Any]] = [:]
        for row in try Explorer.readColumns("\(folder)/comparison.csv", ["regime", "outcome", "reference", "n_pairs"] + comparisonNumbers) {
            var cell: [String: Any] = ["reference": row[2], "n_pairs": Int(row[3]) ?? 0]
            for (k, name) in comparisonNumbers.enumerated() { cell[name] = number(row[4 + k]) }
            comparison[row[0], default: [:]][row[1]] = cell
        }
        // runs.csv: point 0 only (the explorer refuses sweeps), rows in replicate order per regime.
        var perRun: [String: [String: [Any]]] = [:]
        var vetoes: [String: [String: Int]] = [:]
        var failed: [String: Int] = [:]
        for row in try Explorer.readColumns("\(folder)/runs.csv", ["regime", "error", "vetoes_by"] + runColumns) {
            let regime = row[0]
            if !row[1].isEmpty { failed[regime, default: 0] += 1 }
            for (k, col) in runColumns.enumerated() { perRun[regime, default: [:]][col, default: []].append(number(row[3 + k])) }
            for part in row[2].split(separator: ";") {
                let kv = part.split(separator: "=")
                if kv.count == 2, let n = Int(kv[1]) { vetoes[regime, default: [:]][String(kv[0]), default: 0] += n }
            }
        }
        // votes.csv: each member's yes / no / abstain over all drafts of all runs.
        var votes: [String: [String: [String: Int]]] = [:]
        var permanent: Set<String> = []
        for row in try Explorer.readColumns("\(folder)/votes.csv", ["regime", "member", "permanent", "vote"]) {
            if row[2] == "1" { permanent.insert(row[1]) }
            votes[row[0], default: [:]][row[1], default: ["yes": 0, "no": 0, "abstain": 0]][row[3], default: 0] += 1
        }
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

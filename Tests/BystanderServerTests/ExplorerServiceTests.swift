import BystanderCore
@testable import BystanderExperiments
@testable import BystanderServer
import Foundation
import XCTest

/// The explorer's service without HTTP: configs changed by the sliders, the numbers it returns
/// against the files `bystander run` writes, single runs against `--timeseries`, and its bounds.
/// (Tests/Browser/test_explorer.py checks the same through HTTP, against the CLI binary.)
final class ExplorerServiceTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("explorer-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func service(_ limits: ExplorerLimits = .init()) -> ExplorerService {
        ExplorerService(defaultConfig: nil, experimentsDirectory: Self.root.appendingPathComponent("Experiments").path,
                        saveDirectory: scratch.appendingPathComponent("saved").path, limits: limits, jobs: 2)
    }

    func small(_ replicates: Int) throws -> ExplorerConfig {
        var c = try service().experiment(id: "default")
        c.text = try Explorer.setting([("replicates", String(replicates))], in: c.text)
        return c
    }

    func testSettingWritesValuesTheReaderReads() throws {
        let text = "name: x\nduties:\n  enforcement: 1\n"
        let changed = try Explorer.setting([("duties.enforcement", "2.5"), ("council.vote.noise_sd", "0"), ("replicates", "7")], in: text)
        let c = try ExperimentConfig.parse(changed)
        XCTAssertEqual(c.model.duties.enforcement, 2.5)
        XCTAssertEqual(c.model.council.voteNoiseSD, 0)
        XCTAssertEqual(c.replicates, 7)
        XCTAssertEqual(c.name, "x")
        XCTAssertTrue(changed.hasPrefix("# config with changes from the explorer: duties.enforcement=2.5"))
        XCTAssertEqual(try Explorer.setting([], in: text), text, "no change keeps the text, comments and all")
        // The reader, not the editor, judges keys and values: the CLI's messages.
        XCTAssertThrowsError(try ExperimentConfig.parse(try Explorer.setting([("duties.enforcment", "1")], in: text))) { e in
            XCTAssertTrue("\(e)".contains("duties.enforcment: unknown key (did you mean 'enforcement'?)"), "\(e)")
        }
        XCTAssertThrowsError(try Explorer.setting([("name.first", "1")], in: text)) { e in XCTAssertTrue("\(e)".contains("is not a mapping"), "\(e)") }
        XCTAssertThrowsError(try Explorer.setting([("a..b", "1")], in: text))
        XCTAssertThrowsError(try Explorer.setting([("name", "x\nseed: 3")], in: text))
    }

    func testRunEqualsTheFilesOfBystanderRun() async throws {
        let c = try small(40)
        let json = try await service().run(c)
        // What `bystander run` writes for the same config (same options as the CLI's defaults).
        let experiment = try Experiment(config: try ExperimentConfig.parse(c.text, name: c.name, baseDirectory: c.baseDirectory), configText: c.text)
        var o = RunOptions(output: scratch.appendingPathComponent("cli").path, jobs: 1)
        o.recordVotes = true; o.progress = .quiet
        _ = try experiment.run(o)
        // Read with the general CSV reader (CSV.swift), not the explorer's own.
        let summary = try ResultsReport.readCSV(scratch.appendingPathComponent("cli/summary.csv").path) { _ in true }.rows
        let s = json["summary"] as! [String: [String: [String: Any]]]
        XCTAssertEqual(summary.count, s.values.reduce(0) { $0 + $1.count })
        for row in summary {
            let cell = s[row["regime"]!]![row["outcome"]!]!
            XCTAssertEqual(cell["n"] as? Int, Int(row["n"]!))
            for name in ["mean", "sd", "p05", "p25", "p50", "p75", "p95"] {
                XCTAssertEqual(cell[name] as? Double, Double(row[name]!), "\(row["regime"]!) \(row["outcome"]!) \(name)")
            }
        }
        let comparison = try ResultsReport.readCSV(scratch.appendingPathComponent("cli/comparison.csv").path) { _ in true }.rows
        let d = json["comparison"] as! [String: [String: [String: Any]]]
        XCTAssertFalse(comparison.isEmpty)
        for row in comparison {
            for name in ["mean_difference", "ci95_low", "ci95_high", "p_value"] {
                XCTAssertEqual(d[row["regime"]!]![row["outcome"]!]![name] as? Double, Double(row[name]!), "\(row["regime"]!) \(row["outcome"]!) \(name)")
            }
        }
        XCTAssertEqual((json["responsibility"] as? [String: Any])?["available"] as? Bool, false)
    }

    func testTimelineIsTheRunsTimeseries() async throws {
        let c = try small(3)
        let experiment = try Experiment(config: try ExperimentConfig.parse(c.text, name: c.name, baseDirectory: c.baseDirectory), configText: c.text)
        var o = RunOptions(output: scratch.appendingPathComponent("ts").path, jobs: 2)
        o.recordVotes = true; o.progress = .quiet; o.timeseriesReplicates = 3
        _ = try experiment.run(o)
        let weekColumns = ["regime", "replicate", "week"] + WeekRecord.columns
        let weeks = try Explorer.readColumns(scratch.appendingPathComponent("ts/timeseries.csv").path, weekColumns)
        let runs = try Explorer.readColumns(scratch.appendingPathComponent("ts/runs.csv").path, ["regime", "replicate"] + RunOutcome.columns.map(\.name))
        for regime in experiment.config.regimes {
            for replicate in 0..<3 {
                let result = try experiment.singleRun(regime: regime, replicate: replicate)
                let expected = weeks.filter { $0[0] == regime && $0[1] == String(replicate) }.map { Array($0[2...]) }
                XCTAssertEqual(result.weeks.map { [String($0.week)] + $0.fields }, expected, "\(regime) \(replicate)")
                let row = runs.first { $0[0] == regime && $0[1] == String(replicate) }!
                XCTAssertEqual(result.outcome.fields, Array(row[2...]))
            }
        }
        let t = try await service().timeline(c, regime: "individual_duty", replicate: 2)
        XCTAssertEqual((t["weeks"] as? [String: [Any]])?["week"]?.count, experiment.config.model.horizonWeeks)
        do { _ = try await service().timeline(c, regime: "individual_duty", replicate: 3); XCTFail("replicate out of range") } catch let e as ExplorerError {
            XCTAssertEqual(e.status, 400); XCTAssertTrue(e.description.hasPrefix("config error: replicate: must be in [0, 2]"), e.description)
        }
    }

    func testBoundsAndErrors() async throws {
        var limits = ExplorerLimits()
        limits.maxReplicates = 50; limits.maxRuns = 90; limits.maxStates = 300; limits.maxBodyBytes = 2000
        let s = service(limits)
        func status(_ text: String) async -> (Int, String) {
            do { _ = try await s.run(ExplorerConfig(text: text, name: "c.yaml", baseDirectory: ".")); return (200, "") } catch let e as ExplorerError {
                return (e.status, e.description)
            } catch { return (-1, "\(error)") }
        }
        var r = await status("replicates: 51\n")
        XCTAssertEqual(r.0, 400); XCTAssertTrue(r.1.contains("at most 50"), r.1)
        r = await status("replicates: 40\n")                                       // 3 regimes x 40 > 90 runs
        XCTAssertEqual(r.0, 400); XCTAssertTrue(r.1.contains("90 runs"), r.1)
        r = await status("replicates: 2\nworld:\n  count: 301\n")
        XCTAssertEqual(r.0, 400); XCTAssertTrue(r.1.hasPrefix("config error: world.count"), r.1)
        r = await status("replicates: 2\nsweep:\n  method: grid\n  parameters:\n    duties.enforcement: {values: [0, 1]}\n")
        XCTAssertEqual(r.0, 400); XCTAssertTrue(r.1.hasPrefix("config error: sweep"), r.1)
        r = await status("# " + String(repeating: "x", count: 2001))
        XCTAssertEqual(r.0, 413)
        r = await status("replicates: 2\ncrisis:\n  deaths:\n    kill_rate: 2\n")
        XCTAssertEqual(r.0, 400); XCTAssertEqual(r.1, "config error: line 4: crisis.deaths.kill_rate: must be in [0, 1], got 2")
        // Time: a run past the deadline stops between chunks and says why.
        limits = ExplorerLimits(); limits.maxSeconds = 0
        do { _ = try await service(limits).run(try small(400)); XCTFail("no deadline") } catch let e as ExplorerError {
            XCTAssertEqual(e.status, 503); XCTAssertTrue(e.description.contains("limit"), e.description)
        }
    }

    func testSaveWritesAReproducibleResultsFolder() async throws {
        let c = try small(10)
        let saved = try await service().save(c)
        let manifest = try XCTUnwrap(saved["manifest"] as? String)
        let checks = try Reproduction.reproduce(manifestPath: manifest, jobs: 2, keep: nil)
        XCTAssertFalse(checks.isEmpty)
        XCTAssertTrue(checks.allSatisfy(\.identical), "\(checks.map { "\($0.file): \($0.detail)" })")
        let again = try await service().save(c)
        XCTAssertEqual(again["reused"] as? Bool, true)
    }

    func testReadColumnsAgreesWithTheCSVReader() throws {
        let plain = scratch.appendingPathComponent("plain.csv"), quoted = scratch.appendingPathComponent("quoted.csv")
        try "a,b,c\n1,,x\n2,3,y\n".write(to: plain, atomically: true, encoding: .utf8)
        try "a,b,c\n1,\"p, q\",x\r\n2,3,y\n".write(to: quoted, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Explorer.readColumns(plain.path, ["c", "a", "b"]), [["x", "1", ""], ["y", "2", "3"]])
        XCTAssertEqual(try Explorer.readColumns(quoted.path, ["b", "c"]), [["p, q", "x"], ["3", "y"]])
        XCTAssertThrowsError(try Explorer.readColumns(plain.path, ["d"]))
        try "a,b\n1,2".write(to: plain, atomically: true, encoding: .utf8)    // no newline at the end
        XCTAssertEqual(try Explorer.readColumns(plain.path, ["b"]), [["2"]])
    }

    func testParametersCarryTheSchemaAndSliderSpans() {
        let params = ExplorerService.parameters()
        XCTAssertEqual(params.count, ExperimentConfig.schema().count)
        let sliders = params.filter { $0["slider"] != nil }
        XCTAssertEqual(sliders.count, ExplorerService.keyParameters.count, "every key parameter exists in the schema")
        for p in sliders {
            let span = p["slider"] as! [String: Any]
            XCTAssertGreaterThanOrEqual(span["min"] as! Double, p["min"] as! Double)
            XCTAssertLessThanOrEqual(span["max"] as! Double, p["max"] as! Double)
            XCTAssertLessThan(span["min"] as! Double, span["max"] as! Double)
        }
    }
}

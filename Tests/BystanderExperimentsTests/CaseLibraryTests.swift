import BystanderCore
import Foundation
import XCTest
@testable import BystanderExperiments

/// The case library (Experiments/cases), the validation report generator and the freshness of
/// docs/VALIDATION.md.
final class CaseLibraryTests: XCTestCase {
    /// The package root: this file is Tests/BystanderExperimentsTests/CaseLibraryTests.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let cases = root.appendingPathComponent("Experiments/cases").path
    static let design = root.appendingPathComponent("Experiments/calibration/design.yaml").path
    static let expectedCases = ["chechnya-1994", "cote-divoire-2010", "libya-2011", "rwanda-1994", "srebrenica-1995", "syria-2011"]

    func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cases-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testTheLibraryHasEveryCase() throws {
        let names = try Validation.caseFiles(in: Self.cases).map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
        XCTAssertEqual(names, Self.expectedCases)
    }

    /// Each case loads, runs 5 replicates of every regime, and gives outcomes in their units:
    /// deaths within [0, population at risk], weeks within the horizon.
    func testEachCaseRunsEveryRegimeWithOutcomesInTheirUnits() throws {
        for path in try Validation.caseFiles(in: Self.cases) {
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let text = try String(contentsOfFile: path, encoding: .utf8)
            // The same config with 5 replicates, next to the original (relative paths resolve alike).
            let dir = try temporaryFolder()
            let small = dir.appendingPathComponent("\(name).yaml")
            let replaced = text.replacingOccurrences(of: #"(?m)^replicates: \d+"#, with: "replicates: 5", options: .regularExpression)
            XCTAssertNotEqual(replaced, text, "\(name): no top-level replicates line")
            try replaced.write(to: small, atomically: true, encoding: .utf8)

            let experiment = try Experiment(configPath: small.path)
            let config = experiment.config
            XCTAssertEqual(config.regimes, Regimes.names, name)
            XCTAssertEqual(config.model.world.stateCount, 193, name)
            XCTAssertFalse(config.observed.isEmpty, "\(name) has no observed outcomes")
            XCTAssertEqual(config.model.council.elected.count, 10, "\(name) lists the ten elected members")
            for iso in config.model.council.elected + config.model.council.permanent {
                XCTAssertTrue(config.model.world.named.contains { $0.iso == iso }, "\(name): Council member \(iso) is not under world.states")
            }
            XCTAssertEqual(config.model.council.pledged, [], "\(name): no veto-restraint pledges before 2015")
            for key in ["deaths_total", "council_acted", "max_level_adopted", "drafts_vetoed"] {
                XCTAssertNotNil(config.observed[key], "\(name): observed.\(key)")
            }

            var options = RunOptions(output: dir.appendingPathComponent("out").path, jobs: 2)
            options.progress = .quiet
            let report = try experiment.run(options)
            XCTAssertEqual(report.runs, 15, name)
            XCTAssertEqual(report.failed, 0, name)

            let horizon = Double(config.model.horizonWeeks), population = config.model.crisis.populationAtRisk
            let table = try RunTable(path: dir.appendingPathComponent("out/runs.csv").path)
            for regime in Regimes.names {
                let rows = table.rows(point: 0, regime: regime)
                XCTAssertEqual(rows.count, 5, "\(name) \(regime)")
                for r in rows {
                    let deaths = try XCTUnwrap(Double(r["deaths_total"] ?? ""), name)
                    XCTAssertGreaterThanOrEqual(deaths, 0, name)
                    XCTAssertLessThanOrEqual(deaths, population, name)
                    let remaining = try XCTUnwrap(Double(r["population_remaining"] ?? ""))
                    XCTAssertEqual(deaths + remaining, population, accuracy: 1e-6 * population, name)
                    let atrocity = try XCTUnwrap(Double(r["atrocity_weeks"] ?? ""))
                    XCTAssertTrue((0...horizon).contains(atrocity), "\(name): atrocity_weeks \(atrocity)")
                    for w in ["onset_week", "atrocity_start_week", "end_week", "first_action_week", "first_resolution_week"] {
                        if let s = r[w], !s.isEmpty {
                            let week = try XCTUnwrap(Double(s))
                            XCTAssertTrue((0..<horizon).contains(week), "\(name): \(w) = \(week) outside the horizon")
                        }
                    }
                    let level = try XCTUnwrap(Double(r["max_level_adopted"] ?? ""))
                    XCTAssertTrue((0...4).contains(level), name)
                    XCTAssertGreaterThanOrEqual(Double(r["troops_deployed_peak"] ?? "") ?? -1, 0, name)
                }
            }
        }
    }

    /// The report generator in small mode: quick, and every section present.
    func testValidationSmallModeProducesEverySection() throws {
        let dir = try temporaryFolder()
        var o = ValidationOptions()
        o.casesDirectory = Self.cases
        o.designPath = Self.design
        o.small = true
        o.output = dir.appendingPathComponent("VALIDATION.md").path
        o.calibratedPath = dir.appendingPathComponent("calibrated.yaml").path
        o.workDirectory = dir.appendingPathComponent("work").path
        o.jobs = 2
        o.command = "bystander validate --small (test)"
        let start = Date()
        let result = try Validation.run(o)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThan(elapsed, 30, "small mode should take seconds")

        let report = try String(contentsOfFile: o.output, encoding: .utf8)
        XCTAssertEqual(report, result.report)
        var position = report.startIndex
        for section in Validation.sections {
            guard let r = report.range(of: "\n\(section)", range: position..<report.endIndex) else { XCTFail("missing or out of order: \(section)"); continue }
            position = r.upperBound
        }
        XCTAssertEqual(Validation.recordedInputsHash(report: report), try Validation.inputsHash(casesDirectory: Self.cases, designPath: Self.design))
        XCTAssertTrue(report.contains("command: `bystander validate --small (test)`"))
        for name in Self.expectedCases { XCTAssertTrue(report.contains("### \(name)"), name) }
        XCTAssertTrue(report.contains("### Volunteer's Dilemma"))
        XCTAssertTrue(report.contains("### Council voting power"))
        XCTAssertTrue(report.contains("| double veto"))
        XCTAssertGreaterThan(result.scoredOutcomes, 30)
        XCTAssertEqual(result.calibrated.count, try CalibrationDesign.load(path: Self.design).parameters.count)

        // The calibrated fragment is a valid config fragment with the calibrated values.
        let fragment = try String(contentsOfFile: o.calibratedPath!, encoding: .utf8)
        XCTAssertTrue(fragment.contains("calibrated by bystander validate on the case library"))
        let config = try ExperimentConfig.parse(fragment)
        for (path, value) in result.calibrated {
            let resolved = config.resolved.first { $0.0 == path }?.1
            XCTAssertNotNil(resolved, path)
            if case .number(let x)? = resolved { XCTAssertEqual(x, Double(value)!, accuracy: 1e-12, path) }
            if case .integer(let x)? = resolved { XCTAssertEqual(x, Int(value)!, path) }
        }
    }

    /// The model's defaults are the calibrated values (issue: "the calibrated defaults go into the
    /// model's defaults with their provenance"): Experiments/calibration/calibrated.yaml, read as
    /// a config, gives exactly the default model, and it was calibrated on the current inputs.
    func testModelDefaultsAreTheCalibratedValues() throws {
        let path = Self.root.appendingPathComponent("Experiments/calibration/calibrated.yaml").path
        let fragment = try String(contentsOfFile: path, encoding: .utf8)
        let calibrated = try ExperimentConfig.parse(fragment)
        let defaults = try ExperimentConfig.parse("")
        let design = try CalibrationDesign.load(path: Self.design)
        for p in design.parameters {
            let value = calibrated.resolved.first { $0.0 == p.path }?.1, standard = defaults.resolved.first { $0.0 == p.path }?.1
            XCTAssertNotNil(value, "\(p.path) is calibrated but missing from calibrated.yaml")
            XCTAssertEqual(value, standard, "\(p.path): the default differs from the calibrated value; move it into Sources/BystanderCore/Parameters.swift")
        }
        XCTAssertEqual(calibrated.model, defaults.model, "calibrated.yaml sets something other than the model defaults")
        XCTAssertTrue(fragment.contains("inputs-sha256: \(try Validation.inputsHash(casesDirectory: Self.cases, designPath: Self.design))"),
                      "calibrated.yaml comes from other case configs or another design: rerun bystander validate and adopt its values")
    }

    /// docs/VALIDATION.md is generated from the current case configs and calibration design:
    /// the hash it records equals the hash of the files now (Validation.inputsHash: SHA-256 over
    /// the names and SHA-256s of the case configs and the design; the code is not hashed).
    func testValidationReportIsUpToDate() throws {
        let path = Self.root.appendingPathComponent("docs/VALIDATION.md").path
        let report = try String(contentsOfFile: path, encoding: .utf8)
        let recorded = try XCTUnwrap(Validation.recordedInputsHash(report: report), "docs/VALIDATION.md records no inputs-sha256")
        XCTAssertEqual(recorded, try Validation.inputsHash(casesDirectory: Self.cases, designPath: Self.design),
                       "docs/VALIDATION.md is out of date: the case configs or the calibration design changed; regenerate it with `swift build -c release && .build/release/bystander validate` (see its first lines)")
        XCTAssertTrue(report.contains("\nmode: full;"), "docs/VALIDATION.md must come from the full mode, not --small")
        XCTAssertTrue(report.contains("command: `bystander validate"))
    }
}

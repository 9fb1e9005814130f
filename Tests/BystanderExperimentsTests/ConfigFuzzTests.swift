import BystanderCore
@testable import BystanderExperiments
import Foundation
import XCTest

/// Mutational fuzzing of the config loader and, through it, the model: valid configs are
/// mutated (characters, lines, extreme numbers); the loader must either accept the result or
/// reject it with a ConfigError (never crash, hang or throw anything else), and every accepted
/// config must run one short replicate of each regime without a crash and with finite,
/// consistent outcomes. Bounded in the test suite; BYSTANDER_FUZZ_ITERATIONS=100000 for a
/// long run. A crash found becomes a fixture under Tests/Fixtures/hostile/.
final class ConfigFuzzTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func seeds() throws -> [String] {
        let files = ["Experiments/default.yaml", "Experiments/sweeps/enforcement-veto.yaml",
                     "Tests/Fixtures/experiments/golden.yaml", "Tests/Fixtures/experiments/small-sweep.yaml"]
        return try files.map { try String(contentsOf: Self.root.appendingPathComponent($0), encoding: .utf8) }
            + ["council: {veto_threshold: 2, quota: 7}\nmissions: {initial: {troops: 3000, mandate: protect, contributors: [FRA]}}\n",
               "world: {count: 20, neighbours: {count: 3}}\ncouncil: {elected_seats: {africa: 1, asia_pacific: 1, eastern_europe: 1, latin_america_caribbean: 1, western_europe_others: 1}}\n"]
    }

    static let extremes = ["0", "-1", "1e308", "-1e308", "1e-300", ".nan", ".inf", "-.inf", "999999999", "0.5", "1", "2", "[]", "{}", "~", "''", "true", "x", "[1, 2]", "&a 1", "*a"]
    static let characters = Array(":-[]{},&*!|>#'\"\t\n .0123456789aeZ%")

    func mutate(_ text: String, _ rng: RandomStream) -> String {
        var lines = text.components(separatedBy: "\n")
        for _ in 0..<(1 + rng.uniformInt(3)) {
            guard !lines.isEmpty else { break }
            let k = rng.uniformInt(lines.count)
            switch rng.uniformInt(7) {
            case 0: // replace a number (or the value after a colon) with an extreme value
                var line = lines[k]
                if let colon = line.lastIndex(of: ":") {
                    line = String(line[...colon]) + " " + Self.extremes[rng.uniformInt(Self.extremes.count)]
                }
                lines[k] = line
            case 1: // delete a character
                var chars = Array(lines[k]); if !chars.isEmpty { chars.remove(at: rng.uniformInt(chars.count)) }; lines[k] = String(chars)
            case 2: // insert a character
                var chars = Array(lines[k]); chars.insert(Self.characters[rng.uniformInt(Self.characters.count)], at: rng.uniformInt(chars.count + 1)); lines[k] = String(chars)
            case 3: lines.insert(lines[k], at: k) // duplicate a line
            case 4: lines.remove(at: k)
            case 5: lines.swapAt(k, rng.uniformInt(lines.count))
            default: lines = Array(lines.prefix(k)) // truncate
            }
        }
        return lines.joined(separator: "\n")
    }

    func testMutatedConfigsAreRejectedCleanlyOrRunCleanly() throws {
        let iterations = Int(ProcessInfo.processInfo.environment["BYSTANDER_FUZZ_ITERATIONS"] ?? "") ?? 1500
        let rng = RandomStream(seed: UInt64(ProcessInfo.processInfo.environment["BYSTANDER_FUZZ_SEED"] ?? "") ?? 7)
        let seeds = try seeds()
        var accepted = 0, rejected = 0, ran = 0
        for iteration in 0..<iterations {
            let text = mutate(seeds[iteration % seeds.count], rng)
            let config: ExperimentConfig
            do { config = try ExperimentConfig.parse(text, name: "fuzz", baseDirectory: Self.root.path) } catch is ConfigError { rejected += 1; continue } catch {
                XCTFail("iteration \(iteration): not a ConfigError: \(error)\n--- config ---\n\(text)"); continue
            }
            accepted += 1
            // Accepted: the world must build (or be a clean input error), and a short run must be sound.
            var p = config.model
            p.horizonWeeks = min(p.horizonWeeks, 30)
            p.world.stateCount = min(p.world.stateCount, 400)
            guard p.world.stateCount >= p.world.named.count + 1 else { continue }
            let world: World
            do { world = try WorldBuilder.synthetic(p, seed: 1) } catch is ModelInputError { continue }
            let scenario = Scenario(parameters: p, world: world)
            for name in config.regimes {
                let outcome = try Simulation(scenario: scenario, regime: Regimes.named(name)!, seed: UInt64(iteration)).run().outcome
                XCTAssertTrue(outcome.isFinite, "iteration \(iteration)")
                XCTAssertLessThanOrEqual(outcome.deathsTotal, p.crisis.populationAtRisk, "iteration \(iteration)")
                ran += 1
            }
        }
        XCTAssertGreaterThan(rejected, iterations / 10, "the mutations must exercise the error paths")
        XCTAssertGreaterThan(ran, iterations / 10, "the mutations must also produce runnable configs")
        print("config fuzz: \(iterations) mutated configs, \(accepted) accepted (\(ran) runs), \(rejected) rejected with a ConfigError")
    }
}

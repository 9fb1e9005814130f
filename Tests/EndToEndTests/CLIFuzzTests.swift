import Foundation
import XCTest

/// Property test of the whole command line: random configs (every documented key, from
/// `bystander params`, set to values at and beyond its edges; sweeps of random methods, sizes
/// and parameters, experiment keys included) crossed with random option values (--jobs,
/// --shard, --timeseries, --max-points, --max-runs, near Int.max and below 1). For every
/// invocation: exit status 0 or 2 only, never a trap or a backtrace, within a bound of time;
/// on status 2 no output folder; on status 0 a complete one. Bounded here (150 invocations);
/// `benchmarks/cli-fuzz.sh N` runs N (BYSTANDER_CLI_FUZZ_ITERATIONS, BYSTANDER_CLI_FUZZ_SEED).
final class CLIFuzzTests: XCTestCase {
    /// SplitMix64: a fixed sequence for a fixed seed, so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
    }

    static let values = ["0", "1", "2", "-1", "0.5", "1e20", "-1e308", "1.7e308", "9223372036854775807", "9223372036854775808",
                         "-9223372036854775809", ".nan", ".inf", "-.inf", "\"20\"", "!!str 20", "'true'", "true", "~", "[]", "{}",
                         "[1, 2]", "x", "../../x", "\"a\\nb\"", "\"$(touch pwned)\"", "buck_passing", "FRA", "[FRA, FRA]",
                         String(repeating: "k", count: 3000)]
    /// Values inside most ranges, so that many configs are valid and run.
    static let benign = ["0", "1", "2", "0.5", "0.1", "true", "false", "3"]
    static let counts = ["1", "3", "0", "-2", "10000000", "1099511627776", "9223372036854775807"]

    /// `a.b.c` set to `value`, as nested flow mappings.
    static func yaml(_ path: String, _ value: String) -> String {
        let parts = path.split(separator: ".").map(String.init)
        return "\(parts[0]): " + parts.dropFirst().reversed().reduce(value) { inner, key in "{\(key): \(inner)}" }
    }

    func testRandomConfigsAndOptionsExitZeroOrTwoCleanly() throws {
        let env = ProcessInfo.processInfo.environment
        let iterations = Int(env["BYSTANDER_CLI_FUZZ_ITERATIONS"] ?? "") ?? 150
        var g = Generator(state: UInt64(env["BYSTANDER_CLI_FUZZ_SEED"] ?? "") ?? 17)
        let params = try CLI.run(["params", "--format", "csv"])
        let keys = params.stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").first.map { $0.replacingOccurrences(of: "\"", with: "") } }
        XCTAssertGreaterThan(keys.count, 100)
        let experimentKeys = ["seed", "replicates", "regimes", "output", "name"]
        let dir = CLI.temporaryFolder(self)
        var statuses: [Int32: Int] = [:]
        for i in 0..<iterations {
            var lines = ["seed: \(g.below(1000))", "replicates: 2", "horizon_weeks: 12", "regimes: [buck_passing]"]
            var top = Set(["seed", "replicates", "horizon_weeks", "regimes"])
            for _ in 0..<g.below(3) {
                let key = g.below(4) == 0 ? g.pick(experimentKeys) : g.pick(keys)
                let head = String(key.split(separator: ".")[0])
                if top.contains(head) { lines.removeAll { $0.hasPrefix(head + ":") } }
                top.insert(head)
                lines.append(Self.yaml(key, g.pick(g.below(2) == 0 ? Self.benign : Self.values)))
            }
            if !top.contains("name") { lines.insert("name: fuzz\(i)", at: 0) }
            let sweep = g.below(2) == 0
            if sweep {
                let method = g.pick(["grid", "latin_hypercube", "sobol", "saltelli", "file", "nonsense"])
                let parameter = g.below(5) == 0 ? g.pick(experimentKeys) : g.pick(keys)
                let value = { (g: inout Generator) in g.pick(g.below(2) == 0 ? Self.benign : Self.values) }
                let spec = g.below(2) == 0 ? "{values: [\(value(&g)), \(value(&g))]}"
                                           : "{min: \(value(&g)), max: \(value(&g))\(g.below(3) == 0 ? ", integer: true" : "")}"
                lines.append("sweep: {method: \(method), points: \(g.pick(g.below(2) == 0 ? ["2", "3"] : Self.counts)), parameters: {\(parameter): \(spec)}}")
            }
            let config = dir.appendingPathComponent("c\(i).yaml")
            try CLI.write(lines.joined(separator: "\n") + "\n", to: config)
            let out = dir.appendingPathComponent("o\(i)").path
            var args = [sweep ? "sweep" : "run", config.path, "-o", out, "-q"]
            if g.below(3) == 0 { args += ["--jobs", g.pick(["1", "2", "0", "-1", "4097", String(Int.max), "x"])] }
            if g.below(3) == 0 { args += ["--timeseries", g.pick(["0", "1", "-1", String(Int.max)])] }
            if g.below(3) == 0 { args += ["--max-points", g.pick(["1", "10", "100000", "0"])] }
            // Bounded work: at most a few hundred short runs per invocation.
            args += ["--max-runs", g.pick(["1", "60", "300", "300"])]
            if sweep && g.below(3) == 0 { args += ["--shard", g.pick(["0/2", "1/2", "2/2", "0/\(Int.max)", "\(Int.max - 1)/\(Int.max)", "x/y", "-1/2"])] }
            let r = try CLI.run(args, timeout: 120)
            statuses[r.status, default: 0] += 1
            let replay = "iteration \(i) (BYSTANDER_CLI_FUZZ_SEED, args \(args.dropFirst(2))), config:\n\(lines.joined(separator: "\n").prefix(2000))\nstderr: \(r.stderr.prefix(500))"
            XCTAssertTrue(r.status == 0 || r.status == 2, "exit status \(r.status): \(replay)")
            for bad in ["Fatal error", "Stack dump", "backtrace", "Current stack trace"] { XCTAssertFalse(r.stderr.contains(bad), replay) }
            if r.status == 0 {
                XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/manifest.json"), replay)
                XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/.progress.json"), replay)
            } else {
                XCTAssertFalse(FileManager.default.fileExists(atPath: out), "an output folder was left behind: \(replay)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("pwned").path), replay)
            try? FileManager.default.removeItem(atPath: out)
        }
        XCTAssertGreaterThan(statuses[0, default: 0], iterations / 20, "the generator must also produce valid invocations")
        XCTAssertGreaterThan(statuses[2, default: 0], iterations / 5, "the generator must exercise the error paths")
        print("cli fuzz: \(iterations) invocations, \(statuses[0, default: 0]) exit 0, \(statuses[2, default: 0]) exit 2, \(statuses.filter { $0.key != 0 && $0.key != 2 }.values.reduce(0, +)) other")
    }
}

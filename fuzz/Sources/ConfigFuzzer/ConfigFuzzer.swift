import BystanderCore
import BystanderExperiments
import Foundation

/// libFuzzer entry: any bytes as a config. The loader must accept them or throw a
/// ConfigError; an accepted config must build its world (or report a ModelInputError) and run
/// one short replicate of each regime with finite outcomes. Anything else traps, and libFuzzer
/// saves the input as a crash (which then becomes a fixture under Tests/Fixtures/hostile/).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(bytes: UnsafeBufferPointer(start: data, count: size), encoding: .utf8) else { return 0 }
    let config: ExperimentConfig
    do { config = try ExperimentConfig.parse(text, name: "fuzz", baseDirectory: "/nonexistent") } catch is ConfigError { return 0 } catch {
        fatalError("not a ConfigError: \(error)")
    }
    // A sweep's design is built (within small limits) and its points checked: its ranges,
    // sizes and parameters must be refused with a ConfigError, never trap.
    if config.sweep != nil {
        do { _ = try Experiment(config: config, configText: text, limits: DesignLimits(maxPoints: 200, maxRuns: 20_000)) } catch is ConfigError { return 0 } catch is ModelInputError { return 0 } catch {
            fatalError("not a ConfigError: \(error)")
        }
    }
    var p = config.model
    p.horizonWeeks = min(p.horizonWeeks, 20)
    p.world.stateCount = min(p.world.stateCount, 300)
    guard p.world.stateCount >= p.world.named.count + 1, let world = try? WorldBuilder.synthetic(p, seed: 1) else { return 0 }
    let scenario = Scenario(parameters: p, world: world)
    for name in config.regimes {
        guard let outcome = try? Simulation(scenario: scenario, regime: Regimes.named(name)!, seed: 1).run().outcome else { continue }
        precondition(outcome.isFinite && outcome.deathsTotal <= p.crisis.populationAtRisk, "unsound outcome")
    }
    return 0
}

// SwiftPM links an executable's entry point as `<Target>_main`; it hands control to
// libFuzzer's driver (linked from libclang_rt.fuzzer_no_main by scripts/fuzz.sh).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("ConfigFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &arguments, fuzzConfig)
}

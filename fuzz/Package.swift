// swift-tools-version:6.0
// Instrumented builds of the engine, never made by the main build: a libFuzzer target for the
// config loader and, through accepted configs, the model (scripts/fuzz.sh, with
// -sanitize=fuzzer,address), and the parallel sweep under the thread sanitizer
// (scripts/tsan-sweep.sh). Both link only the engine and the model, not the CLI's web server.
import PackageDescription

let package = Package(
    name: "bystander-fuzz",
    dependencies: [.package(path: "deps/bystander")], // a symlink to the repository, so the identity is "bystander" whatever the clone is called
    targets: [
        .executableTarget(
            name: "ConfigFuzzer",
            dependencies: [.product(name: "BystanderExperiments", package: "bystander"), .product(name: "BystanderCore", package: "bystander")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "SweepUnderTSan",
            dependencies: [.product(name: "BystanderExperiments", package: "bystander")]
        ),
    ]
)

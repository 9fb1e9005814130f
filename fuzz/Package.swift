// swift-tools-version:6.0
// A libFuzzer target for the config loader and, through accepted configs, the model.
// Built only by scripts/fuzz.sh (with -sanitize=fuzzer,address), never by the main build.
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
    ]
)

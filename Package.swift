// swift-tools-version:6.0
// bystander: an agent-based simulator of protection from mass atrocities.
// Targets mirror the architecture: CGSL (GNU GSL through pkg-config) -> BystanderCore
// (the model, no I/O) -> BystanderExperiments (configs, runs, outputs) -> bystander (CLI).
import PackageDescription

let package = Package(
    name: "bystander",
    products: [
        .executable(name: "bystander", targets: ["bystander"]),
        .library(name: "BystanderCore", targets: ["BystanderCore"]),
        .library(name: "BystanderExperiments", targets: ["BystanderExperiments"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        .target(name: "BystanderCore", dependencies: ["CGSL"]),
        .target(
            name: "BystanderExperiments",
            dependencies: [
                "BystanderCore", "CGSL",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // The explorer in the browser (`bystander serve`): a page and a JSON API over the engine.
        .target(
            name: "BystanderServer",
            dependencies: [
                "BystanderExperiments", "BystanderCore",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            resources: [.copy("Web")]
        ),
        .executableTarget(
            name: "bystander",
            dependencies: [
                "BystanderExperiments", "BystanderCore", "BystanderServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "BystanderCoreTests", dependencies: ["BystanderCore", "CGSL"]),
        .testTarget(name: "BystanderExperimentsTests", dependencies: ["BystanderExperiments", "BystanderCore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["BystanderExperiments"]),
        .testTarget(name: "BystanderServerTests", dependencies: ["BystanderServer", "BystanderExperiments", "BystanderCore"]),
    ],
    swiftLanguageModes: [.v6]
)

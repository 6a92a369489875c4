// swift-tools-version:6.1
// Benchmarks live in their own package so their build stays out of the main build and CI.
import PackageDescription

let package = Package(
    name: "mathfarm-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "mathfarm", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "LedgerBenchmark",
            dependencies: [.product(name: "MathFarmKit", package: "mathfarm")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The farm harness: customers, a burst or a fixed rate of paid jobs over HTTP, latency,
        // CPU per process, commits per job, money checks (farm/run.sh starts the farms).
        // It drives a running farm from outside, so it depends on no MathFarm module.
        .executableTarget(
            name: "FarmBench",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The seeded inputs every engine benchmark (Swift and the SymPy/FLINT script) shares.
        .target(
            name: "EngineInputs",
            dependencies: [.product(name: "MathFarmEngine", package: "mathfarm")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // package-benchmark: `swift package benchmark` runs it.
        .executableTarget(
            name: "MathEngine",
            dependencies: [
                "EngineInputs",
                .product(name: "MathFarmEngine", package: "mathfarm"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/MathEngine",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Plain median timings as JSON, for compare.py's side-by-side table with SymPy and FLINT.
        .executableTarget(
            name: "EngineTimings",
            dependencies: ["EngineInputs", .product(name: "MathFarmEngine", package: "mathfarm")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

// swift-tools-version:6.1
// Benchmarks live in their own package so their build stays out of the main build and CI.
import PackageDescription

let package = Package(
    name: "mathfarm-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "mathfarm", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "LedgerBenchmark",
            dependencies: [.product(name: "MathFarmKit", package: "mathfarm")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

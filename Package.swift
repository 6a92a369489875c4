// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "mathfarm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mathfarm", targets: ["mathfarm"]),
        // For tools outside this package (benchmarks/) that drive the services in process.
        .library(name: "MathFarmKit", targets: ["MathFarmHTTP"]),
        // The exact math engine alone (benchmarks/ measures it without any service).
        .library(name: "MathFarmEngine", targets: ["ExactMath", "Symbolic", "MathSolvers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(name: "CGMP", pkgConfig: "gmp", providers: [.apt(["libgmp-dev", "libmpfr-dev"])]),
        // No pkgConfig: hiredis.pc carries -D_FILE_OFFSET_BITS=64, which SwiftPM rejects.
        .systemLibrary(name: "CHiredis", providers: [.apt(["libhiredis-dev"])]),
        // QR codes (the VietQR image of a bank-transfer top-up) from Debian's libqrencode.
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),

        // prctl(PR_SET_PDEATHSIG) for worker processes (variadic in C, so wrapped).
        .target(name: "CProcessControl"),
        // Texts in Vietnamese and English: every service's vocabulary, the math engine's too.
        .target(name: "Bilingual", swiftSettings: swiftSettings),
        .target(
            name: "MathFarmCore",
            dependencies: [
                "Bilingual", "CHiredis",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "UserService", dependencies: ["MathFarmCore"], swiftSettings: swiftSettings),
        .target(
            name: "PaymentService",
            dependencies: ["MathFarmCore", "UserService", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: swiftSettings
        ),
        // `mathfarm sandbox-gateway`: the gateways' side of the deposit protocols, on loopback.
        .target(
            name: "SandboxGateway",
            dependencies: [
                "MathFarmCore", "PaymentService",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // Exact arithmetic over GMP: integers, rationals, radicals, decimal renderings.
        .target(name: "ExactMath", dependencies: ["CGMP"], swiftSettings: swiftSettings),
        // Symbolic expressions over exact rationals: parser, printer, derivatives, integrals, limits.
        .target(name: "Symbolic", dependencies: ["ExactMath", "CGMP"], swiftSettings: swiftSettings),
        // The problem types the farm sells, behind one `Solver` protocol and one registry: pure
        // math (no database, no HTTP), used by the API's validation, the workers, `mathfarm
        // solve` and the benchmarks alike.
        .target(name: "MathSolvers", dependencies: ["Bilingual", "ExactMath", "Symbolic"], swiftSettings: swiftSettings),
        .target(
            name: "SolverService",
            dependencies: [
                "MathFarmCore", "ExactMath", "Symbolic", "MathSolvers", "PaymentService", "UserService",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ContentService",
            dependencies: [
                "MathFarmCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AdminService",
            dependencies: [
                "MathFarmCore", "UserService", "PaymentService", "ContentService", "SolverService",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The website: server-rendered pages (vi/en), browser sessions, the free preview endpoint.
        .target(
            name: "WebSite",
            dependencies: [
                "MathFarmCore", "UserService", "PaymentService", "SolverService", "MathSolvers", "ContentService", "Symbolic", "ExactMath", "CQRencode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Templates"), .copy("Static")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MathFarmHTTP",
            dependencies: [
                "MathFarmCore", "UserService", "PaymentService", "SolverService", "MathSolvers", "ContentService", "AdminService", "WebSite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mathfarm",
            dependencies: [
                "MathFarmHTTP", "ExactMath", "MathSolvers", "CProcessControl", "SandboxGateway", "ContentService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The engine alone: runs in seconds, needs no PostgreSQL or Redis.
        .testTarget(
            name: "MathSolversTests",
            dependencies: ["ExactMath", "Symbolic", "MathSolvers", "CGMP"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MathFarmTests",
            dependencies: [
                "MathFarmHTTP", "MathSolvers", "ExactMath", "Symbolic", "CGMP", "SandboxGateway", "WebSite",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

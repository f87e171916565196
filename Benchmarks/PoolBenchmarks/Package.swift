// swift-tools-version:6.0
import PackageDescription

// Kept out of the product so that nothing else ever depends on postgres-nio.
// Run: swift run -c release --package-path Benchmarks/PoolBenchmarks
let package = Package(
    name: "PoolBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../../Packages/PoolCore"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .executableTarget(
            name: "PoolBenchmarks",
            dependencies: [
                .product(name: "PoolCore", package: "PoolCore"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
            ]
        )
    ]
)

// swift-tools-version:6.0
import PackageDescription

// The module is PoolMetrics: a module named Metrics would clash with swift-metrics.
let package = Package(
    name: "Metrics",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PoolMetrics", targets: ["PoolMetrics"])
    ],
    targets: [
        .target(name: "PoolMetrics"),
        .testTarget(name: "PoolMetricsTests", dependencies: ["PoolMetrics"]),
    ]
)

// swift-tools-version:6.0
import PackageDescription

// The module is PoolMetrics: a module named Metrics would clash with swift-metrics.
let package = Package(
    name: "Metrics",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PoolMetrics", targets: ["PoolMetrics"]),
        .library(name: "PoolMetricsSwiftMetrics", targets: ["PoolMetricsSwiftMetrics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "PoolMetrics",
            dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .target(
            name: "PoolMetricsSwiftMetrics",
            dependencies: ["PoolMetrics", .product(name: "CoreMetrics", package: "swift-metrics")]
        ),
        .executableTarget(name: "PoolMetricsBenchmark", dependencies: ["PoolMetrics"]),
        .testTarget(name: "PoolMetricsTests", dependencies: ["PoolMetrics"]),
        .testTarget(
            name: "PoolMetricsSwiftMetricsTests",
            dependencies: [
                "PoolMetrics",
                "PoolMetricsSwiftMetrics",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
    ]
)

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "HealthMonitor",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HealthMonitor", targets: ["HealthMonitor"])
    ],
    targets: [
        .target(name: "HealthMonitor"),
        .executableTarget(name: "HealthMonitorBenchmark", dependencies: ["HealthMonitor"]),
        .testTarget(name: "HealthMonitorTests", dependencies: ["HealthMonitor"]),
    ]
)

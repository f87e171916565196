// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CircuitBreaker",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CircuitBreaker", targets: ["CircuitBreaker"])
    ],
    targets: [
        .target(name: "CircuitBreaker"),
        .testTarget(name: "CircuitBreakerTests", dependencies: ["CircuitBreaker"]),
        .executableTarget(
            name: "CircuitBreakerBenchmark",
            dependencies: ["CircuitBreaker"],
            path: "Benchmarks/CircuitBreakerBenchmark"
        ),
    ]
)

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LoadBalancer",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LoadBalancer", targets: ["LoadBalancer"]),
        .executable(name: "LoadBalancerBenchmark", targets: ["LoadBalancerBenchmark"]),
    ],
    targets: [
        .target(name: "LoadBalancer"),
        .executableTarget(
            name: "LoadBalancerBenchmark",
            dependencies: ["LoadBalancer"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .testTarget(name: "LoadBalancerTests", dependencies: ["LoadBalancer"]),
    ]
)

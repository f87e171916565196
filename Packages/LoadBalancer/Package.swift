// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LoadBalancer",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LoadBalancer", targets: ["LoadBalancer"])
    ],
    targets: [
        .target(name: "LoadBalancer"),
        .testTarget(name: "LoadBalancerTests", dependencies: ["LoadBalancer"]),
    ]
)

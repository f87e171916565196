// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "PoolCore",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PoolCore", targets: ["PoolCore"])
    ],
    targets: [
        .target(name: "PoolCore"),
        .testTarget(name: "PoolCoreTests", dependencies: ["PoolCore"]),
    ]
)

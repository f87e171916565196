// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "PoolCore",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PoolCore", targets: ["PoolCore"]),
        .library(name: "PoolCoreTestKit", targets: ["PoolCoreTestKit"]),
    ],
    targets: [
        .target(name: "PoolCore"),
        .target(name: "PoolCoreTestKit", dependencies: ["PoolCore"]),
        .testTarget(name: "PoolCoreTests", dependencies: ["PoolCore", "PoolCoreTestKit"]),
    ]
)

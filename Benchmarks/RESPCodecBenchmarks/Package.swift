// swift-tools-version:6.0
import PackageDescription

// Kept out of the root manifest so that the product and CI never build benchmark code.
let package = Package(
    name: "RESPCodecBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../../Packages/RESPCodec"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "RESPCodecBenchmarks",
            dependencies: [
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        )
    ]
)

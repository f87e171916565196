// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "RESPCodec",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RESPCodec", targets: ["RESPCodec"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2")
    ],
    targets: [
        .target(
            name: "RESPCodec",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "RESPCodecTests",
            dependencies: [
                "RESPCodec",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
    ]
)

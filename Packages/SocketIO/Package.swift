// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SocketIO",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SocketIO", targets: ["SocketIO"])
    ],
    dependencies: [
        .package(path: "../RESPCodec"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .target(
            name: "SocketIO",
            dependencies: [
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "SocketIOTests", dependencies: ["SocketIO"]),
    ]
)

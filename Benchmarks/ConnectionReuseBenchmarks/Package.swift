// swift-tools-version:6.0
import PackageDescription

// A new connection per request against a pooled connection, on a real redis-server (Scripts/bench connect).
let package = Package(
    name: "ConnectionReuseBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../../Packages/SocketIO"),
        .package(path: "../../Packages/PoolCore"),
        .package(path: "../../Packages/RESPCodec"),
    ],
    targets: [
        .executableTarget(
            name: "ConnectionReuseBenchmarks",
            dependencies: [
                .product(name: "SocketIO", package: "SocketIO"),
                .product(name: "PoolCore", package: "PoolCore"),
                .product(name: "RESPCodec", package: "RESPCodec"),
            ]
        )
    ]
)

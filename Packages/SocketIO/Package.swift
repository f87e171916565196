// swift-tools-version:6.0
import Foundation
import PackageDescription

/// A sibling package: by path inside the monorepo (Packages/NAME next to this package), by its mirror's URL at a
/// released version when this package is consumed from its own mirror repository (CONTRIBUTING.md, "Release one
/// package"). REDIS_POOL_MIRRORS=1 takes the mirrors inside the monorepo too.
func sibling(_ name: String, from version: Version) -> Package.Dependency {
    let packages = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()
    let inMonorepo =
        packages.lastPathComponent == "Packages"
        && FileManager.default.fileExists(atPath: packages.appendingPathComponent("\(name)/Package.swift").path)
    if inMonorepo && Context.environment["REDIS_POOL_MIRRORS"] == nil {
        return .package(path: "../\(name)")
    }
    // 0.x minors may break, as semantic versioning allows.
    let range: Range<Version> = version.major == 0 ? .upToNextMinor(from: version) : .upToNextMajor(from: version)
    return .package(url: "https://github.com/redis-pool/\(name).git", range)
}

let package = Package(
    name: "SocketIO",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SocketIO", targets: ["SocketIO"])
    ],
    dependencies: [
        sibling("RESPCodec", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(name: "CSocketIOLinux"),
        .target(
            name: "SocketIO",
            dependencies: [
                "CSocketIOLinux",
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SocketIOTests",
            dependencies: [
                "SocketIO",
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

// swift-tools-version:6.0
import PackageDescription

// The libFuzzer target. It only links with `-sanitize=fuzzer`, so it lives outside RESPCodec's own manifest;
// `Scripts/fuzz` builds and runs it.
let package = Package(
    name: "RESPCodecFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "RESPCodecFuzz",
            dependencies: [
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)

// swift-tools-version:6.0
import PackageDescription

// The root manifest builds the three apps and re-homes every package's tests under a unique name, so one
// `swift test` here builds swift-nio once and runs everything. Each package also builds and tests alone:
// `swift test --package-path Packages/NAME`.

let nio = "swift-nio"

let package = Package(
    name: "redis-pool",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pool-proxy", targets: ["PoolProxy"]),
        .executable(name: "pool-bench", targets: ["PoolBench"]),
        .executable(name: "cache-client", targets: ["CacheClientCommand"]),
        .library(name: "CacheClient", targets: ["CacheClient"]),
    ],
    dependencies: [
        .package(path: "Packages/RESPCodec"),
        .package(path: "Packages/SocketIO"),
        .package(path: "Packages/PoolCore"),
        .package(path: "Packages/HealthMonitor"),
        .package(path: "Packages/CircuitBreaker"),
        .package(path: "Packages/LoadBalancer"),
        .package(path: "Packages/Metrics"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Apps
        .executableTarget(
            name: "PoolProxy",
            dependencies: [
                "BuildInfo",
                "PoolProxyKit",
                "PoolProxyConfig",
                "AdminServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
            ],
            path: "Apps/PoolProxy",
            exclude: ["VERSION", "README.md", "CHANGELOG.md"]
        ),
        // The proxy itself, as a library so that tests can run it in-process against real redis-servers.
        .target(
            name: "PoolProxyKit",
            dependencies: [
                "PoolProxyConfig",
                "PoolObservability",
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "SocketIO", package: "SocketIO"),
                .product(name: "PoolCore", package: "PoolCore"),
                .product(name: "HealthMonitor", package: "HealthMonitor"),
                .product(name: "CircuitBreaker", package: "CircuitBreaker"),
                .product(name: "LoadBalancer", package: "LoadBalancer"),
                .product(name: "PoolMetrics", package: "Metrics"),
                .product(name: "NIOConcurrencyHelpers", package: nio),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Apps/PoolProxyKit",
            // The request path runs on one event loop and never shares its objects across threads; the runtime's
            // exclusivity checks cost ~8% of its CPU (measured with perf) for nothing there.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // nutcracker.yml and command-line configuration: parsing and validation, no I/O beyond reading the file.
        .target(
            name: "PoolProxyConfig",
            dependencies: [
                .product(name: "LoadBalancer", package: "LoadBalancer"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Apps/PoolProxyConfig"
        ),
        // A tiny HTTP/1.1 admin endpoint (/metrics, /stats, /health) and twemproxy's classic stats port.
        .target(
            name: "AdminServer",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: nio),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "NIOHTTP1", package: nio),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Apps/AdminServer"
        ),
        .executableTarget(
            name: "PoolBench",
            dependencies: [
                "BuildInfo",
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "SocketIO", package: "SocketIO"),
                .product(name: "PoolCore", package: "PoolCore"),
                .product(name: "PoolMetrics", package: "Metrics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: nio),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Apps/PoolBench",
            exclude: ["VERSION", "README.md", "CHANGELOG.md"]
        ),
        .target(
            name: "CacheClient",
            dependencies: [
                "PoolObservability",
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "SocketIO", package: "SocketIO"),
                .product(name: "PoolCore", package: "PoolCore"),
                .product(name: "HealthMonitor", package: "HealthMonitor"),
                .product(name: "CircuitBreaker", package: "CircuitBreaker"),
                .product(name: "LoadBalancer", package: "LoadBalancer"),
                .product(name: "PoolMetrics", package: "Metrics"),
                .product(name: "NIOConcurrencyHelpers", package: nio),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                // zlib for large values; links the system libz (zlib1g-dev, installed by Scripts/bootstrap).
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            path: "Apps/CacheClient/CacheClient"
        ),
        .executableTarget(
            name: "CacheClientCommand",
            dependencies: [
                "BuildInfo",
                "CacheClient",
                .product(name: "SocketIO", package: "SocketIO"),
                .product(name: "PoolMetrics", package: "Metrics"),
                .product(name: "NIOCore", package: nio),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Apps/CacheClient/CacheClientCommand"
        ),
        // Turns PoolCore, CircuitBreaker and HealthMonitor events into PoolMetrics series; the packages stay
        // independent of each other, so the bridge lives on the apps' side.
        .target(
            name: "PoolObservability",
            dependencies: [
                .product(name: "PoolMetrics", package: "Metrics"),
                .product(name: "PoolCore", package: "PoolCore"),
                .product(name: "CircuitBreaker", package: "CircuitBreaker"),
                .product(name: "HealthMonitor", package: "HealthMonitor"),
                .product(name: "NIOConcurrencyHelpers", package: nio),
            ],
            path: "Apps/PoolObservability"
        ),

        // The versions of the apps and of the packages they link, generated from the VERSION files by
        // Scripts/gen-build-info (committed; CI checks it is current).
        .target(name: "BuildInfo", path: "Apps/BuildInfo"),

        // MARK: - Fuzzing
        // The proxy's fuzz harnesses: an in-process proxy against a scripted backend, checking what clients and
        // backends receive. The executables replay input files; built by Scripts/fuzz with `-D FUZZING` and
        // `-sanitize=fuzzer,address`, they are libFuzzer targets.
        .target(
            name: "ProxyFuzzing",
            dependencies: [
                "PoolProxyKit",
                "PoolProxyConfig",
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "LoadBalancer", package: "LoadBalancer"),
                .product(name: "NIOConcurrencyHelpers", package: nio),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Fuzz/ProxyFuzzing"
        ),
        .executableTarget(name: "ProxyRequestFuzz", dependencies: ["ProxyFuzzing"], path: "Fuzz/ProxyRequestFuzz"),
        .executableTarget(name: "ProxyReplyFuzz", dependencies: ["ProxyFuzzing"], path: "Fuzz/ProxyReplyFuzz"),

        // MARK: - Every package's tests, re-homed
        .testTarget(
            name: "RESPCodecPackageTests",
            dependencies: [
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOEmbedded", package: nio),
                .product(name: "NIOTestUtils", package: nio),
            ],
            path: "Packages/RESPCodec/Tests/RESPCodecTests"
        ),
        .testTarget(
            name: "SocketIOPackageTests",
            dependencies: [
                .product(name: "SocketIO", package: "SocketIO"),
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "NIOConcurrencyHelpers", package: nio),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOEmbedded", package: nio),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Packages/SocketIO/Tests/SocketIOTests"
        ),
        .testTarget(
            name: "PoolCorePackageTests",
            dependencies: [
                .product(name: "PoolCore", package: "PoolCore"),
                .product(name: "PoolCoreTestKit", package: "PoolCore"),
            ],
            path: "Packages/PoolCore/Tests/PoolCoreTests"
        ),
        .testTarget(
            name: "HealthMonitorPackageTests",
            dependencies: [.product(name: "HealthMonitor", package: "HealthMonitor")],
            path: "Packages/HealthMonitor/Tests/HealthMonitorTests"
        ),
        .testTarget(
            name: "CircuitBreakerPackageTests",
            dependencies: [.product(name: "CircuitBreaker", package: "CircuitBreaker")],
            path: "Packages/CircuitBreaker/Tests/CircuitBreakerTests"
        ),
        .testTarget(
            name: "LoadBalancerPackageTests",
            dependencies: [.product(name: "LoadBalancer", package: "LoadBalancer")],
            path: "Packages/LoadBalancer/Tests/LoadBalancerTests"
        ),
        .testTarget(
            name: "PoolMetricsPackageTests",
            dependencies: [.product(name: "PoolMetrics", package: "Metrics")],
            path: "Packages/Metrics/Tests/PoolMetricsTests"
        ),
        .testTarget(
            name: "PoolMetricsSwiftMetricsPackageTests",
            dependencies: [
                .product(name: "PoolMetrics", package: "Metrics"),
                .product(name: "PoolMetricsSwiftMetrics", package: "Metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            path: "Packages/Metrics/Tests/PoolMetricsSwiftMetricsTests"
        ),
        // MARK: - Shared app-level libraries
        .testTarget(
            name: "PoolObservabilityTests",
            dependencies: [
                "PoolObservability",
                .product(name: "PoolMetrics", package: "Metrics"),
                .product(name: "PoolCore", package: "PoolCore"),
                .product(name: "PoolCoreTestKit", package: "PoolCore"),
                .product(name: "CircuitBreaker", package: "CircuitBreaker"),
                .product(name: "HealthMonitor", package: "HealthMonitor"),
            ],
            path: "Tests/PoolObservabilityTests"
        ),

        .testTarget(
            name: "PoolProxyConfigTests",
            dependencies: [
                "PoolProxyConfig",
                .product(name: "LoadBalancer", package: "LoadBalancer"),
            ],
            path: "Tests/PoolProxyConfigTests"
        ),
        .testTarget(
            name: "AdminServerTests",
            dependencies: [
                "AdminServer",
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
            ],
            path: "Tests/AdminServerTests"
        ),
        .testTarget(
            name: "PoolProxyKitTests",
            dependencies: [
                "PoolProxyKit",
                "PoolProxyConfig",
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "LoadBalancer", package: "LoadBalancer"),
                .product(name: "PoolMetrics", package: "Metrics"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/PoolProxyKitTests"
        ),

        .testTarget(
            name: "PoolBenchTests",
            dependencies: [
                "RedisTestSupport",
                "PoolBench",
                .product(name: "PoolMetrics", package: "Metrics"),
                .product(name: "NIOCore", package: nio),
            ],
            path: "Tests/PoolBenchTests"
        ),

        .testTarget(
            name: "CacheClientTests",
            dependencies: [
                "CacheClient",
                .product(name: "Logging", package: "swift-log"),
                "RedisTestSupport",
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "SocketIO", package: "SocketIO"),
                .product(name: "LoadBalancer", package: "LoadBalancer"),
                .product(name: "NIOConcurrencyHelpers", package: nio),
                .product(name: "NIOCore", package: nio),
            ],
            path: "Tests/CacheClientTests"
        ),

        // Release: BuildInfo, the release scripts in scratch repositories, the systemd unit, dist/ binaries.
        .testTarget(
            name: "ReleaseTests",
            dependencies: ["BuildInfo", "PoolProxyConfig"],
            path: "Tests/ReleaseTests"
        ),

        // Replays the committed fuzz corpus and every regression input through the proxy fuzz harnesses.
        .testTarget(
            name: "ProxyFuzzingTests",
            dependencies: ["ProxyFuzzing"],
            path: "Tests/ProxyFuzzingTests"
        ),

        // MARK: - Integration: real redis-server processes, real clients
        // A throwaway redis-server on a free loopback port, shared by the test targets that need one.
        .target(
            name: "RedisTestSupport",
            dependencies: [.product(name: "NIOConcurrencyHelpers", package: nio)],
            path: "Tests/RedisTestSupport"
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "RedisTestSupport",
                .product(name: "RESPCodec", package: "RESPCodec"),
                .product(name: "SocketIO", package: "SocketIO"),
                .product(name: "PoolCore", package: "PoolCore"),
                .product(name: "LoadBalancer", package: "LoadBalancer"),
                "PoolProxyKit",
                "PoolProxyConfig",
                .product(name: "NIOConcurrencyHelpers", package: nio),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/IntegrationTests",
            exclude: ["Proxy/python"]
        ),
    ]
)

import Foundation

/// Where the proxy integration tests find their Python scripts and the built `pool-proxy` executable.
///
/// ```swift
/// let script = ProxyTestPaths.pythonScript("transparency.py")
/// guard let binary = ProxyTestPaths.poolProxyExecutable() else { return }
/// ```
enum ProxyTestPaths {
    /// `Tests/IntegrationTests/Proxy/python`, found from this file's path.
    static let pythonDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Proxy/python")

    /// The repository root, four levels above this file.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func pythonScript(_ name: String) -> String {
        self.pythonDirectory.appendingPathComponent(name).path
    }

    /// The `pool-proxy` built next to the test bundle (any scratch path), `POOL_PROXY_BINARY`, or the default
    /// `.build/debug/pool-proxy`; nil when none exists.
    static func poolProxyExecutable() -> String? {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["POOL_PROXY_BINARY"] { candidates.append(explicit) }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("pool-proxy").path)
        if let runner = CommandLine.arguments.first {
            let directory = URL(fileURLWithPath: runner).deletingLastPathComponent()
            candidates.append(directory.appendingPathComponent("pool-proxy").path)
            // Inside `Foo.xctest/...` on some layouts: walk up to the build directory.
            candidates.append(directory.deletingLastPathComponent().appendingPathComponent("pool-proxy").path)
        }
        candidates.append(self.repositoryRoot.appendingPathComponent(".build/debug/pool-proxy").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

import Foundation

/// The monorepo's root, found from this file's path, and the files the release tests read in it.
///
/// ```swift
/// let unit = RepositoryRoot.url.appendingPathComponent("deploy/pool-proxy/pool-proxy.service")
/// ```
enum RepositoryRoot {
    /// Four levels above `Tests/ReleaseTests/Support/RepositoryRoot.swift`.
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The trimmed contents of a file below the root.
    static func read(_ path: String) throws -> String {
        try String(contentsOf: self.url.appendingPathComponent(path), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An executable on `PATH`, or nil.
    static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}

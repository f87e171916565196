/// The versions an app was built from: its own and those of the monorepo packages it links.
///
/// Every version is written once, in a `VERSION` file (`Apps/<App>/VERSION`, `Packages/<Name>/VERSION`).
/// `Scripts/gen-build-info` copies them into `BuildInfo+Generated.swift`, which is committed, and CI runs
/// `Scripts/gen-build-info --check` so that the binary cannot report a version its sources do not have.
///
/// ```swift
/// static let configuration = CommandConfiguration(
///     commandName: "pool-proxy",
///     version: BuildInfo.versionText(app: "pool-proxy")
/// )
/// // pool-proxy --version
/// // pool-proxy 0.1.0
/// //   CircuitBreaker 0.2.0
/// //   ...
/// ```
public enum BuildInfo {
    /// The version of `app` (an executable product name such as `"pool-proxy"`), or `nil` for a name that is
    /// not an app of this repository.
    ///
    /// ```swift
    /// let version = BuildInfo.version(ofApp: "pool-proxy") ?? "unknown"  // "0.1.0"
    /// ```
    public static func version(ofApp app: String) -> String? {
        self.apps.first { $0.name == app }?.version
    }

    /// The monorepo packages `app` links, directly or through other targets, each with its version, sorted by
    /// name; empty for a name that is not an app of this repository.
    ///
    /// ```swift
    /// for package in BuildInfo.packages(linkedBy: "pool-bench") {
    ///     print(package.name, package.version)  // Metrics 0.2.0, PoolCore 0.2.1, ...
    /// }
    /// ```
    public static func packages(linkedBy app: String) -> [(name: String, version: String)] {
        guard let names = self.apps.first(where: { $0.name == app })?.packages else { return [] }
        return self.packages.filter { names.contains($0.name) }
    }

    /// What `app --version` prints: the app and its version on the first line, then one indented line per
    /// linked package.
    ///
    /// ```swift
    /// print(BuildInfo.versionText(app: "pool-bench"))
    /// // pool-bench 0.1.0
    /// //   Metrics 0.2.0
    /// //   PoolCore 0.2.1
    /// //   RESPCodec 0.2.0
    /// //   SocketIO 0.2.0
    /// ```
    public static func versionText(app: String) -> String {
        let header = "\(app) \(self.version(ofApp: app) ?? "(unknown app: not in BuildInfo.apps)")"
        let lines = self.packages(linkedBy: app).map { "  \($0.name) \($0.version)" }
        return ([header] + lines).joined(separator: "\n")
    }
}

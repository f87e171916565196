import Foundation

/// A throwaway git repository laid out like the monorepo, with copies of the release scripts, so that tests can
/// tag, change and release packages without touching the real repository.
///
/// ```swift
/// let repository = try ScratchRepository()
/// defer { repository.remove() }
/// try repository.addPackage("Widget", version: "1.0.0")
/// try repository.commit("Widget 1.0.0")
/// let result = try repository.script("check-versions")
/// ```
struct ScratchRepository {
    let url: URL

    /// A new repository with one empty commit and `Scripts/check-versions` and `Scripts/release-package`.
    init() throws {
        self.url = FileManager.default.temporaryDirectory.appendingPathComponent("release-tests-repo-\(UUID())")
        let scripts = self.url.appendingPathComponent("Scripts")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        for script in ["check-versions", "release-package"] {
            try FileManager.default.copyItem(
                at: RepositoryRoot.url.appendingPathComponent("Scripts/\(script)"),
                to: scripts.appendingPathComponent(script)
            )
        }
        try self.git("init", "-q")
        try self.commit("Scripts")
    }

    /// Writes `Packages/NAME` with a manifest, `VERSION`, a changelog with an entry for each of `changelog`
    /// (`version` when empty) and one source file.
    func addPackage(_ name: String, version: String, changelog: [String] = []) throws {
        let entries = (changelog.isEmpty ? [version] : changelog).map { "## \($0) - 2026-11-23\n\n- Changes.\n" }
        try self.write("Packages/\(name)/VERSION", "\(version)\n")
        try self.write("Packages/\(name)/CHANGELOG.md", "# Changelog of \(name)\n\n" + entries.joined(separator: "\n"))
        try self.write(
            "Packages/\(name)/Package.swift",
            """
            // swift-tools-version:6.0
            import PackageDescription

            let package = Package(name: "\(name)", targets: [.target(name: "\(name)")])

            """
        )
        try self.write("Packages/\(name)/Sources/\(name)/\(name).swift", "public enum \(name) {}\n")
    }

    /// Writes `contents` to `path` below the root, creating folders.
    func write(_ path: String, _ contents: String) throws {
        let file = self.url.appendingPathComponent(path)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try contents.write(to: file, atomically: true, encoding: .utf8)
    }

    /// Commits everything in the work tree.
    func commit(_ message: String) throws {
        try self.git("add", "-A")
        try self.git("commit", "-q", "--allow-empty", "-m", message)
    }

    /// Runs git in the repository and fails on a non-zero exit.
    @discardableResult
    func git(_ arguments: String...) throws -> CommandResult {
        let result = try Command.run(Self.gitPath, Array(arguments), in: self.url, environment: Self.environment)
        guard result.status == 0 else { throw ScratchRepositoryError(description: result.transcript) }
        return result
    }

    /// Runs `Scripts/NAME` of the scratch repository, in `directory` (the root when nil).
    func script(_ name: String, _ arguments: [String] = [], in directory: URL? = nil) throws -> CommandResult {
        let root = directory ?? self.url
        return try Command.run(
            root.appendingPathComponent("Scripts/\(name)").path,
            arguments,
            in: root,
            environment: Self.environment
        )
    }

    /// Deletes the repository.
    func remove() {
        try? FileManager.default.removeItem(at: self.url)
    }

    static let gitPath = RepositoryRoot.executable(named: "git") ?? "/usr/bin/git"

    /// The test's environment with a fixed identity, so that commits and annotated tags work on any machine.
    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        for role in ["AUTHOR", "COMMITTER"] {
            environment["GIT_\(role)_NAME"] = "Release Tests"
            environment["GIT_\(role)_EMAIL"] = "release-tests@example.invalid"
        }
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        return environment
    }()
}

import BuildInfo
import Foundation
import Testing

/// The binaries `Scripts/release-app APP` leaves in `dist/`. Building one statically in release mode takes
/// minutes, so these tests check what is there and are skipped, saying so, for an app that was not released.
@Suite("Static release binaries in dist/")
struct StaticBinaryTests {
    static let apps = ["pool-proxy", "pool-bench", "cache-client"]

    /// `dist/APP-VERSION-linux-ARCH/APP` for the version this build reports.
    static func releasedBinary(_ app: String) -> String? {
        guard let version = BuildInfo.version(ofApp: app) else { return nil }
        let dist = RepositoryRoot.url.appendingPathComponent("dist")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: dist.path)) ?? []
        return folders.filter { $0.hasPrefix("\(app)-\(version)-linux-") && !$0.hasSuffix(".tar.gz") }.sorted()
            .map { dist.appendingPathComponent("\($0)/\(app)").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A PATH of the usual system folders, minus any that holds a Swift toolchain.
    static let pathWithoutSwift = ["/usr/local/bin", "/usr/bin", "/bin"].filter {
        !FileManager.default.fileExists(atPath: "\($0)/swift")
            && !FileManager.default.fileExists(atPath: "\($0)/swiftc")
    }.joined(separator: ":")

    static func isReleased(_ app: String) -> Bool { self.releasedBinary(app) != nil }

    @Test(.enabled(if: isReleased("pool-proxy"), "no dist/pool-proxy-*: run Scripts/release-app pool-proxy"))
    func poolProxy() throws { try Self.checkReleasedBinary("pool-proxy") }

    @Test(.enabled(if: isReleased("pool-bench"), "no dist/pool-bench-*: run Scripts/release-app pool-bench"))
    func poolBench() throws { try Self.checkReleasedBinary("pool-bench") }

    @Test(.enabled(if: isReleased("cache-client"), "no dist/cache-client-*: run Scripts/release-app cache-client"))
    func cacheClient() throws { try Self.checkReleasedBinary("cache-client") }

    /// No Swift runtime library in `ldd`'s list, and `--version` and `--help` work with nothing in the
    /// environment but a PATH without a toolchain, as on a fresh server.
    static func checkReleasedBinary(_ app: String) throws {
        let binary = try #require(self.releasedBinary(app))
        let ldd = try Command.run("/usr/bin/ldd", [binary])
        for library in ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime"] {
            #expect(!ldd.output.contains(library), "\(binary) links \(library):\n\(ldd.output)")
        }

        let environment = ["-i", "PATH=\(self.pathWithoutSwift)", binary]
        let version = try Command.run("/usr/bin/env", environment + ["--version"], environment: [:])
        #expect(version.status == 0, "\(version.transcript)")
        #expect(version.output.trimmingCharacters(in: .newlines) == BuildInfo.versionText(app: app))

        let help = try Command.run("/usr/bin/env", environment + ["--help"], environment: [:])
        #expect(help.status == 0, "\(help.transcript)")
        #expect(help.output.contains("USAGE: \(app)"), "\(help.output)")
    }

    @Test func theReleaseBundleHasAReadmeForEveryApp() {
        for app in Self.apps {
            let readme = RepositoryRoot.url.appendingPathComponent("deploy/\(app)/README.md").path
            #expect(FileManager.default.fileExists(atPath: readme), "deploy/\(app)/README.md")
        }
    }
}

import BuildInfo
import Foundation
import Testing

@Suite("BuildInfo: the versions the apps report")
struct BuildInfoTests {
    static let appVersionFiles = [
        "pool-proxy": "Apps/PoolProxy/VERSION",
        "pool-bench": "Apps/PoolBench/VERSION",
        "cache-client": "Apps/CacheClient/VERSION",
    ]

    @Test func everyPackageVersionIsTheOneInItsVersionFile() throws {
        let packages = try FileManager.default.contentsOfDirectory(
            atPath: RepositoryRoot.url.appendingPathComponent("Packages").path
        ).filter {
            FileManager.default.fileExists(
                atPath: RepositoryRoot.url.appendingPathComponent("Packages/\($0)/Package.swift").path
            )
        }
        #expect(Set(BuildInfo.packages.map(\.name)) == Set(packages))
        for package in BuildInfo.packages {
            #expect(package.version == (try RepositoryRoot.read("Packages/\(package.name)/VERSION")), "\(package.name)")
        }
    }

    @Test(arguments: appVersionFiles.sorted { $0.key < $1.key })
    func everyAppVersionIsTheOneInItsVersionFile(app: String, file: String) throws {
        #expect(BuildInfo.version(ofApp: app) == (try RepositoryRoot.read(file)))
    }

    @Test func theAppsAreTheExecutablesOfTheRootManifest() {
        #expect(BuildInfo.apps.map(\.name) == ["cache-client", "pool-bench", "pool-proxy"])
    }

    @Test func poolProxyLinksEveryPackage() {
        #expect(BuildInfo.packages(linkedBy: "pool-proxy").map(\.name) == BuildInfo.packages.map(\.name))
    }

    @Test func versionTextNamesTheAppThenEachLinkedPackage() throws {
        let lines = BuildInfo.versionText(app: "pool-bench").split(separator: "\n").map(String.init)
        let version = try #require(BuildInfo.version(ofApp: "pool-bench"))
        #expect(lines.first == "pool-bench \(version)")
        let linked = BuildInfo.packages(linkedBy: "pool-bench")
        #expect(linked.map(\.name) == ["Metrics", "PoolCore", "RESPCodec", "SocketIO"])
        #expect(Array(lines.dropFirst()) == linked.map { "  \($0.name) \($0.version)" })
    }

    @Test func anUnknownAppHasNoVersionAndNoPackages() {
        #expect(BuildInfo.version(ofApp: "nutcracker") == nil)
        #expect(BuildInfo.packages(linkedBy: "nutcracker").isEmpty)
        #expect(BuildInfo.versionText(app: "nutcracker").hasPrefix("nutcracker (unknown app"))
    }
}

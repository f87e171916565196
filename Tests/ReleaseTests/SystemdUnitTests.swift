import Foundation
import PoolProxyConfig
import Testing

@Suite("deploy/pool-proxy: the systemd unit and the sample configuration")
struct SystemdUnitTests {
    static let unitPath = "deploy/pool-proxy/pool-proxy.service"
    static let systemdAnalyze = RepositoryRoot.executable(named: "systemd-analyze")

    /// `Key=value` lines of the unit, comments and section headers left out.
    static func settings() throws -> [(key: String, value: String)] {
        try RepositoryRoot.read(self.unitPath).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<equals]), String(line[line.index(after: equals)...]))
        }
    }

    @Test func restartsOnFailureRaisesTheDescriptorLimitAndReloadsWithSIGHUP() throws {
        let settings = try Self.settings()
        #expect(settings.contains { $0 == ("Restart", "on-failure") })
        let limit = try #require(settings.first { $0.key == "LimitNOFILE" })
        #expect((Int(limit.value) ?? 0) >= 65536)
        #expect(settings.contains { $0.key == "ExecReload" && $0.value.hasPrefix("/bin/kill -HUP $MAINPID") })
        // SIGHUP reloads only a --config file: the proxy must run with one.
        let start = try #require(settings.first { $0.key == "ExecStart" })
        #expect(start.value.contains("--config /etc/pool-proxy/nutcracker.yml"))
    }

    @Test(.enabled(if: systemdAnalyze != nil, "systemd-analyze is not installed: the unit is not verified"))
    func systemdAnalyzeVerifiesTheUnit() throws {
        // verify checks that each command exists: point them at an executable this machine has.
        let unit = try RepositoryRoot.read(Self.unitPath)
            .replacingOccurrences(of: "/usr/local/bin/pool-proxy", with: "/bin/true")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("release-tests-unit-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pool-proxy.service")
        try unit.write(to: file, atomically: true, encoding: .utf8)

        let result = try Command.run(try #require(Self.systemdAnalyze), ["verify", file.path])
        #expect(result.status == 0, "\(result.transcript)")
        // Unknown keys and bad values are only warnings: any output is a finding.
        #expect(result.output.isEmpty && result.error.isEmpty, "\(result.transcript)")
    }

    @Test func theSampleConfigurationIsValid() throws {
        let yaml = try RepositoryRoot.read("deploy/pool-proxy/nutcracker.yml")
        let configuration = try ProxyConfiguration(yaml: yaml, file: "nutcracker.yml")
        #expect(configuration.pools.map(\.name) == ["cache"])
    }
}

import Foundation
import Testing

@testable import LoadBalancer

/// Placements recorded from a real nutcracker 0.5.0 by `Scripts/gen-ketama-fixture`.
@Suite struct TwemproxyFixtureTests {
    struct Case: CustomStringConvertible {
        var name = ""
        var hash = ""
        var distribution = ""
        var hashTag: String?
        var servers: [String] = []
        var placements: [(key: [UInt8], server: Int)] = []
        var description: String { self.name }
    }

    static let fixtureURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/twemproxy-placement.txt")

    static func loadCases() throws -> [Case] {
        let text = try String(contentsOf: Self.fixtureURL, encoding: .utf8)
        var cases: [Case] = []
        var current = Case()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let value = parts.count > 1 ? parts[1] : ""
            switch parts[0] {
            case "case": current = Case(name: value)
            case "hash": current.hash = value
            case "distribution": current.distribution = value
            case "hash_tag": current.hashTag = value
            case "server": current.servers.append(value)
            case "key":
                let fields = value.split(separator: " ")
                current.placements.append((Self.bytes(fromHex: fields[0]), Int(fields[1])!))
            case "end": cases.append(current)
            default: Issue.record("unexpected fixture line \(line)")
            }
        }
        return cases
    }

    static func bytes(fromHex hex: Substring) -> [UInt8] {
        guard hex != "-" else { return [] }
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)!
        }
    }

    @Test func fixtureCoversEveryHashFunctionAndDistribution() throws {
        let cases = try Self.loadCases()
        for distribution in ["ketama", "modula"] {
            let hashes = Set(cases.filter { $0.distribution == distribution }.map(\.hash))
            #expect(hashes == Set(TwemproxyHash.allCases.map(\.configName)))
        }
        #expect(cases.contains { $0.hashTag != nil && $0.distribution == "ketama" })
        #expect(cases.contains { $0.servers.allSatisfy { TwemproxyServer(parsing: $0)?.name == nil } })
        #expect(cases.contains { Set($0.servers.compactMap { TwemproxyServer(parsing: $0)?.weight }).count > 1 })
        #expect(cases.filter { $0.placements.contains { $0.key.isEmpty } }.count >= 24)
    }

    @Test func everyKeyLandsWhereNutcrackerPutIt() throws {
        for fixture in try Self.loadCases() {
            let servers = fixture.servers.compactMap(TwemproxyServer.init(parsing:))
            #expect(servers.count == fixture.servers.count)
            let router = TwemproxyRouter(
                servers: servers,
                hash: try #require(TwemproxyHash(configName: fixture.hash)),
                distribution: try #require(TwemproxyDistribution(rawValue: fixture.distribution)),
                hashTag: fixture.hashTag.flatMap(TwemproxyHashTag.init)
            )
            #expect(fixture.placements.count >= 300)
            #expect(Set(servers.map(\.port)).count == 5)
            var mismatches = 0
            // Entries that share a port share a redis-server, so the fixture can only tell servers apart by port.
            for placement in fixture.placements {
                let chosen = try #require(router.index(forKey: placement.key))
                if servers[chosen].port != servers[placement.server].port { mismatches += 1 }
            }
            #expect(mismatches == 0, "\(fixture.name): \(mismatches) of \(fixture.placements.count) keys differ")
        }
    }
}

import NIOCore
import RESPCodec
import Testing

@testable import PoolProxyKit

@Suite struct InfoMergerTests {
    private let first =
        [
            "# Server", "redis_version:7.0.15", "uptime_in_seconds:100", "",
            "# Clients", "connected_clients:3", "maxclients:10000", "",
            "# Memory", "used_memory:1048576", "used_memory_human:1.00M", "mem_fragmentation_ratio:1.50",
            "maxmemory_policy:noeviction", "",
            "# Stats", "total_commands_processed:10", "instantaneous_input_kbps:0.25", "",
            "# Replication", "role:master", "connected_slaves:1", "",
            "# Keyspace", "db0:keys=2,expires=1,avg_ttl=1000,subexpiry=0",
        ].joined(separator: "\r\n") + "\r\n"

    private let second =
        [
            "# Server", "redis_version:7.0.15", "uptime_in_seconds:50", "",
            "# Clients", "connected_clients:4", "maxclients:10000", "",
            "# Memory", "used_memory:2097152", "used_memory_human:2.00M", "mem_fragmentation_ratio:2.50",
            "maxmemory_policy:noeviction", "",
            "# Stats", "total_commands_processed:5", "instantaneous_input_kbps:0.50", "",
            "# Replication", "role:master", "connected_slaves:0", "",
            "# Keyspace", "db0:keys=3,expires=3,avg_ttl=3000,subexpiry=0", "db1:keys=7,expires=0,avg_ttl=0,subexpiry=0",
        ].joined(separator: "\r\n") + "\r\n"

    private func fields(_ merged: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in merged.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return fields
    }

    @Test func countsAddUpAndEverythingElseIsTheFirstServers() {
        let fields = self.fields(InfoMerger.merge([self.first, self.second]))
        #expect(fields["connected_clients"] == "7")
        #expect(fields["maxclients"] == "20000")
        #expect(fields["used_memory"] == "3145728")
        #expect(fields["used_memory_human"] == "3.00M")
        #expect(fields["total_commands_processed"] == "15")
        #expect(fields["instantaneous_input_kbps"] == "0.75")
        // Ratios and per-process facts are not totals.
        #expect(fields["mem_fragmentation_ratio"] == "1.50")
        #expect(fields["uptime_in_seconds"] == "100")
        #expect(fields["redis_version"] == "7.0.15")
        #expect(fields["connected_slaves"] == "1")
    }

    @Test func keyspaceAddsUpPerDatabaseAndAveragesTheTTLOverKeysWithOne() {
        let fields = self.fields(InfoMerger.merge([self.first, self.second]))
        // (1000 × 1 + 3000 × 3) / 4 expiring keys.
        #expect(fields["db0"] == "keys=5,expires=4,avg_ttl=2500,subexpiry=0")
        #expect(fields["db1"] == "keys=7,expires=0,avg_ttl=0,subexpiry=0")
    }

    @Test func commandStatsRecomputeTheirAverage() {
        let merged = InfoMerger.merge([
            "# Commandstats\r\ncmdstat_get:calls=1,usec=10,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n",
            "# Commandstats\r\ncmdstat_get:calls=3,usec=2,usec_per_call=0.67,rejected_calls=1,failed_calls=0\r\n",
        ])
        #expect(
            merged
                == "# Commandstats\r\ncmdstat_get:calls=4,usec=12,usec_per_call=3.00,rejected_calls=1,failed_calls=0\r\n"
        )
    }

    @Test func sectionsKeepTheFirstServersOrderAfterTheProxysOwn() {
        let merged = InfoMerger.merge([self.first, self.second], proxySection: "# Proxy\r\nproxy:pool-proxy\r\n")
        let headers = merged.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("#") }
        #expect(headers == ["# Proxy", "# Server", "# Clients", "# Memory", "# Stats", "# Replication", "# Keyspace"])
        #expect(merged.hasSuffix("\r\n"))
    }

    @Test func aFieldOnlySomeServersHaveIsStillReported() {
        let fields = self.fields(InfoMerger.merge(["# Stats\r\na:1\r\n", "# Stats\r\na:2\r\nb:5\r\n"]))
        #expect(fields["a"] == "3")
        #expect(fields["b"] == "5")
    }

    @Test func humanSizesUseRedisUnits() {
        #expect(InfoMerger.human(512) == "512B")
        #expect(InfoMerger.human(1536) == "1.50K")
        #expect(InfoMerger.human(3 * 1024 * 1024 * 1024) == "3.00G")
    }

    @Test func theMergedReplyKeepsTheServersFormRESP2OrRESP3() {
        let resp2 = ReplyMerger.merge(
            [try! RESPToken(validating: ByteBuffer(string: "$14\r\n# Stats\r\na:1\r\n\r\n"))!],
            kind: .info(proxySection: nil)
        )
        #expect(String(buffer: resp2) == "$14\r\n# Stats\r\na:1\r\n\r\n")
        let resp3 = ReplyMerger.merge(
            [try! RESPToken(validating: ByteBuffer(string: "=18\r\ntxt:# Stats\r\na:1\r\n\r\n"))!],
            kind: .info(proxySection: nil)
        )
        #expect(String(buffer: resp3) == "=18\r\ntxt:# Stats\r\na:1\r\n\r\n")
    }
}

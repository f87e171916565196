import NIOCore
import RESPCodec

/// A Redis Cluster's layout as one node reported it: shards, each a master with its replicas and its slot ranges.
///
/// Built from `CLUSTER SHARDS` (Redis 7) or, for older servers, `CLUSTER SLOTS`; both RESP2 and RESP3 shapes
/// parse. Nodes that report themselves failed are left out, so the map never routes to them.
///
/// ```swift
/// let topology = try ClusterTopology(shards: reply)
/// let owners = topology.slotOwners()  // 16384 entries: the master address serving each slot, or nil
/// ```
struct ClusterTopology: Sendable, Hashable {
    /// A node's address as clients reach it.
    struct Address: Sendable, Hashable, CustomStringConvertible {
        var host: String
        var port: Int

        var description: String { "\(self.host):\(self.port)" }
    }

    struct Shard: Sendable, Hashable {
        var master: Address
        var replicas: [Address]
        var slots: [ClosedRange<Int>]
    }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    static let slotCount = 16_384

    var shards: [Shard]

    init(shards: [Shard]) {
        self.shards = shards
    }

    /// The master serving each slot; nil for a slot no shard covers (the cluster is then partly down).
    func slotOwners() -> [Address?] {
        var owners = [Address?](repeating: nil, count: Self.slotCount)
        for shard in self.shards {
            for range in shard.slots where range.lowerBound >= 0 && range.upperBound < Self.slotCount {
                for slot in range { owners[slot] = shard.master }
            }
        }
        return owners
    }

    /// How many slots some shard covers.
    var coveredSlots: Int {
        self.shards.reduce(0) { total, shard in total + shard.slots.reduce(0) { $0 + $1.count } }
    }

    // MARK: - CLUSTER SHARDS

    /// Parses a `CLUSTER SHARDS` reply.
    init(shards reply: RESPValue) throws {
        guard let entries = reply.elements else { throw ParseError(description: "CLUSTER SHARDS: not an array") }
        var shards: [Shard] = []
        for entry in entries {
            let fields = try Self.fields(entry, "CLUSTER SHARDS entry")
            guard let slotValues = fields["slots"]?.elements else {
                throw ParseError(description: "CLUSTER SHARDS entry without slots")
            }
            var slots: [ClosedRange<Int>] = []
            var index = 0
            while index + 1 < slotValues.count {
                guard let low = slotValues[index].integerValue, let high = slotValues[index + 1].integerValue,
                    low <= high
                else { throw ParseError(description: "CLUSTER SHARDS: bad slot range") }
                slots.append(low...high)
                index += 2
            }
            var master: Address?
            var replicas: [Address] = []
            for node in fields["nodes"]?.elements ?? [] {
                let nodeFields = try Self.fields(node, "CLUSTER SHARDS node")
                guard nodeFields["health"]?.text != "fail",
                    let port = nodeFields["port"]?.integerValue ?? nodeFields["tls-port"]?.integerValue
                else { continue }
                let host =
                    [nodeFields["endpoint"]?.text, nodeFields["ip"]?.text].compactMap { $0 }
                    .first { !$0.isEmpty && $0 != "?" } ?? "127.0.0.1"
                let address = Address(host: host, port: port)
                if nodeFields["role"]?.text == "master" {
                    master = address
                } else {
                    replicas.append(address)
                }
            }
            // A shard whose master failed and has no replacement yet serves nothing.
            guard let master, !slots.isEmpty else { continue }
            shards.append(Shard(master: master, replicas: replicas, slots: slots))
        }
        self.shards = shards
    }

    // MARK: - CLUSTER SLOTS

    /// Parses a `CLUSTER SLOTS` reply (Redis before 7).
    init(slots reply: RESPValue) throws {
        guard let entries = reply.elements else { throw ParseError(description: "CLUSTER SLOTS: not an array") }
        var byMaster: [Address: Int] = [:]
        var shards: [Shard] = []
        for entry in entries {
            guard let parts = entry.elements, parts.count >= 3, let low = parts[0].integerValue,
                let high = parts[1].integerValue, low <= high
            else { throw ParseError(description: "CLUSTER SLOTS: bad entry") }
            let nodes = try parts[2...].map { node -> Address in
                guard let fields = node.elements, fields.count >= 2, let port = fields[1].integerValue else {
                    throw ParseError(description: "CLUSTER SLOTS: bad node")
                }
                let host = fields[0].text.flatMap { $0.isEmpty || $0 == "?" ? nil : $0 } ?? "127.0.0.1"
                return Address(host: host, port: port)
            }
            let master = nodes[0]
            if let existing = byMaster[master] {
                shards[existing].slots.append(low...high)
            } else {
                byMaster[master] = shards.count
                shards.append(Shard(master: master, replicas: Array(nodes.dropFirst()), slots: [low...high]))
            }
        }
        self.shards = shards
    }

    /// A flat `[key, value, ...]` array (RESP2) or a map (RESP3), by key.
    private static func fields(_ value: RESPValue, _ what: String) throws -> [String: RESPValue] {
        var fields: [String: RESPValue] = [:]
        switch value {
        case .map(let entries):
            for entry in entries {
                if let key = entry.key.text { fields[key] = entry.value }
            }
        case .array(let elements?):
            var index = 0
            while index + 1 < elements.count {
                if let key = elements[index].text { fields[key] = elements[index + 1] }
                index += 2
            }
        default:
            throw ParseError(description: "\(what): expected a map")
        }
        return fields
    }
}

extension RESPValue {
    fileprivate var elements: [RESPValue]? {
        switch self {
        case .array(let elements?): elements
        case .set(let elements): elements
        default: nil
        }
    }

    fileprivate var text: String? {
        switch self {
        case .simpleString(let bytes), .verbatimString(let bytes): String(buffer: bytes)
        case .bulkString(let bytes?): String(buffer: bytes)
        default: nil
        }
    }

    fileprivate var integerValue: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .bulkString(let bytes?): Int(String(buffer: bytes))
        default: nil
        }
    }
}

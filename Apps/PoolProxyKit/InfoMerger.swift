/// Merges the `INFO` replies of a sharded or cluster pool's servers into one reply, so that a dashboard or a
/// `redis-cli INFO` pointed at the proxy sees the pool as one server.
///
/// The rules, also in the README:
/// - The proxy's own `# Proxy` section comes first (when the request asked for it), then the servers' sections in
///   the order the first server gave them.
/// - In `Clients`, `Memory`, `Stats`, `Keyspace`, `Commandstats` and `Errorstats`, numbers add up across the
///   servers: keys, memory, connected clients, commands processed, ops/s. Ratios and percentages do not; they
///   are the first server's. `*_human` sizes are written again from their sums; `usec_per_call` and a database's
///   `avg_ttl` are recomputed from the sums they average.
/// - Every other field (versions, roles, persistence, replication) is the first server's.
///
/// ```swift
/// let merged = InfoMerger.merge(["# Keyspace\r\ndb0:keys=2,expires=0\r\n", "# Keyspace\r\ndb0:keys=3,expires=1\r\n"])
/// // "# Keyspace\r\ndb0:keys=5,expires=1\r\n"
/// ```
enum InfoMerger {
    /// Sections whose numbers are totals over the servers.
    static let summedSections: Set<String> = ["clients", "memory", "stats", "keyspace", "commandstats", "errorstats"]

    static func merge(_ replies: [String], proxySection: String? = nil) -> String {
        let parsed = replies.map(Self.sections(of:))
        var order: [String] = []
        var fields: [String: [String: [String]]] = [:]
        var fieldOrder: [String: [String]] = [:]
        for reply in parsed {
            for section in reply {
                if fields[section.name] == nil {
                    order.append(section.name)
                    fields[section.name] = [:]
                    fieldOrder[section.name] = []
                }
                for (key, value) in section.fields {
                    if fields[section.name]![key] == nil { fieldOrder[section.name]!.append(key) }
                    fields[section.name]![key, default: []].append(value)
                }
            }
        }
        var output: [String] = []
        if let proxySection { output.append(proxySection) }
        for name in order {
            var lines = ["# \(name)"]
            let summed = Self.summedSections.contains(name.lowercased())
            let values = fields[name]!
            var sums: [String: Double] = [:]
            for key in fieldOrder[name]! {
                let nodeValues = values[key]!
                guard summed else {
                    lines.append("\(key):\(nodeValues[0])")
                    continue
                }
                if nodeValues[0].contains("=") {
                    lines.append("\(key):\(Self.mergeList(nodeValues))")
                } else if !Self.isAverage(key), let total = Self.sum(nodeValues) {
                    sums[key] = total.value
                    lines.append("\(key):\(total.text)")
                } else if key.hasSuffix("_human"), let total = sums[String(key.dropLast("_human".count))] {
                    lines.append("\(key):\(Self.human(total))")
                } else {
                    lines.append("\(key):\(nodeValues[0])")
                }
            }
            output.append(lines.joined(separator: "\r\n") + "\r\n")
        }
        return output.joined(separator: "\r\n")
    }

    private struct Section {
        var name: String
        var fields: [(String, String)] = []
    }

    private static func sections(of reply: String) -> [Section] {
        var sections: [Section] = []
        for line in reply.split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            if line.hasPrefix("#") {
                sections.append(Section(name: line.dropFirst().trimmingPrefix(" ").description))
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            if sections.isEmpty { sections.append(Section(name: "Server")) }
            sections[sections.count - 1].fields.append(
                (String(line[..<colon]), String(line[line.index(after: colon)...]))
            )
        }
        return sections
    }

    /// Fields that are averages or ratios of something else: summing them means nothing.
    private static func isAverage(_ key: String) -> Bool {
        key.contains("ratio") || key.contains("perc") || key.hasPrefix("avg") || key.contains("_avg")
            || key.hasSuffix("per_call")
    }

    /// The sum of values that are all numbers; nil otherwise. Integers stay integers.
    private static func sum(_ values: [String]) -> (value: Double, text: String)? {
        if let integers = Optional(values.compactMap { Int64($0) }), integers.count == values.count {
            let total = integers.reduce(0, &+)
            return (Double(total), String(total))
        }
        let doubles = values.compactMap { Double($0) }
        guard doubles.count == values.count else { return nil }
        let total = doubles.reduce(0, +)
        return (total, Self.decimal(total))
    }

    /// `keys=1,expires=0,avg_ttl=0` or `calls=3,usec=10,usec_per_call=3.33`: numbers add up field by field.
    private static func mergeList(_ values: [String]) -> String {
        var order: [String] = []
        var totals: [String: Double] = [:]
        var isInteger: [String: Bool] = [:]
        var text: [String: String] = [:]
        var weightedTTL = 0.0
        for value in values {
            var pairs: [String: String] = [:]
            for pair in value.split(separator: ",") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let key = String(pair[..<equals])
                let item = String(pair[pair.index(after: equals)...])
                pairs[key] = item
                if totals[key] == nil && text[key] == nil { order.append(key) }
                if let number = Double(item) {
                    totals[key, default: 0] += number
                    isInteger[key] = (isInteger[key] ?? true) && Int64(item) != nil
                } else if text[key] == nil {
                    text[key] = item
                }
            }
            if let ttl = pairs["avg_ttl"].flatMap(Double.init), let expires = pairs["expires"].flatMap(Double.init) {
                weightedTTL += ttl * expires
            }
        }
        let pairs = order.map { key -> String in
            let value: String
            switch key {
            case "usec_per_call":
                let calls = totals["calls"] ?? 0
                value = Self.decimal(calls > 0 ? (totals["usec"] ?? 0) / calls : 0)
            case "avg_ttl":
                let expires = totals["expires"] ?? 0
                value = String(Int64(expires > 0 ? weightedTTL / expires : 0))
            default:
                if let total = totals[key] {
                    value = isInteger[key] == true ? String(Int64(total)) : Self.decimal(total)
                } else {
                    value = text[key] ?? ""
                }
            }
            return "\(key)=\(value)"
        }
        return pairs.joined(separator: ",")
    }

    /// Two decimals, as Redis prints its own (`%.2f`).
    private static func decimal(_ value: Double) -> String {
        let hundredths = Int64((abs(value) * 100).rounded())
        let fraction = hundredths % 100
        return "\(value < 0 && hundredths > 0 ? "-" : "")\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Redis's own rendering of a byte count: `1.50K`, `2.00M`.
    static func human(_ bytes: Double) -> String {
        let units: [(Double, String)] = [
            (1024 * 1024 * 1024 * 1024, "T"), (1024 * 1024 * 1024, "G"), (1024 * 1024, "M"), (1024, "K"),
        ]
        for (size, suffix) in units where bytes >= size { return Self.decimal(bytes / size) + suffix }
        return "\(Int64(bytes))B"
    }
}

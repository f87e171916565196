/// The sorted ring of points twemproxy's ketama builds: 160 points per live server at equal weights, four per MD5
/// digest of `"<name>-<n>"`, and proportionally more or fewer with weights.
///
/// A server's point count is `floor(weight / totalWeight × 40 × liveServers) × 4`, computed in single precision as
/// twemproxy does. A hash maps to the first point at or after it, wrapping to the first point of the ring.
///
/// ```swift
/// let ring = KetamaContinuum(servers: [(name: "a", weight: 1, index: 0), (name: "b", weight: 1, index: 1)])
/// assert(ring.count == 320)
/// let owner = ring.owner(ofHash: 0xDEAD_BEEF)
/// ```
public struct KetamaContinuum: Sendable {
    /// Points per server when all weights are equal.
    public static let pointsPerServer = 160

    /// The point values, ascending.
    public private(set) var values: [UInt32]

    /// `owners[i]` is the server index that `values[i]` belongs to.
    public private(set) var owners: [Int]

    // bucketStarts[b] is the first position whose value is at least b << bucketShift, which narrows the search.
    private var bucketStarts: [Int32]
    private static var bucketShift: UInt32 { 20 }

    /// Builds the ring over the live servers, given as name, weight and the index reported for their points.
    public init(servers: [(name: String, weight: Int, index: Int)]) {
        let totalWeight = servers.reduce(0) { $0 + $1.weight }
        var points: [(value: UInt32, owner: Int)] = []
        for server in servers {
            let share = Float(server.weight) / Float(totalWeight)
            let scaled = share * Float(Self.pointsPerServer) / 4 * Float(servers.count)
            // twemproxy adds 1e-10 in double precision, then floors in single precision (truncation, as it is >= 0).
            let digests = Int(Float(Double(scaled) + 0.000_000_000_1))
            for digestIndex in 0..<digests {
                let digest = MD5.digest(Array("\(server.name)-\(digestIndex)".utf8))
                for alignment in 0..<4 {
                    points.append((digest.word(alignment), server.index))
                }
            }
        }
        // Equal values (rare 32-bit collisions) keep their build order; twemproxy's qsort promises no order for them.
        let order = points.indices.sorted { (points[$0].value, $0) < (points[$1].value, $1) }
        self.values = order.map { points[$0].value }
        self.owners = order.map { points[$0].owner }
        var starts = [Int32](repeating: 0, count: (1 << (32 - Self.bucketShift)) + 1)
        var position = 0
        for bucket in 0..<(starts.count - 1) {
            while position < self.values.count && self.values[position] >> Self.bucketShift < UInt32(bucket) {
                position += 1
            }
            starts[bucket] = Int32(position)
        }
        starts[starts.count - 1] = Int32(self.values.count)
        self.bucketStarts = starts
    }

    /// The number of points on the ring.
    public var count: Int { self.values.count }

    /// The server owning the first point at or after `hash`, wrapping around; `nil` for an empty ring.
    public func owner(ofHash hash: UInt32) -> Int? {
        guard !self.values.isEmpty else { return nil }
        let bucket = Int(hash >> Self.bucketShift)
        let position = self.values.withUnsafeBufferPointer { values in
            var low = Int(self.bucketStarts[bucket])
            var high = Int(self.bucketStarts[bucket + 1])
            while low < high {
                let middle = low + (high - low) / 2
                if values[middle] < hash { low = middle + 1 } else { high = middle }
            }
            return low
        }
        return self.owners[position == self.values.count ? 0 : position]
    }
}

import NIOCore

/// One connection's stream of requests: deterministic for a seed and connection index.
struct WorkloadGenerator: Sendable {
    private var ratio: RatioScheduler?
    private let encoders: [RequestEncoder]
    private var keys: KeyGenerator
    private var sizes: SplitMix64
    private let dataSize: DataSize
    /// Every value is a prefix of these bytes.
    private let payload: [UInt8]

    init(workload: Workload, connection: Int, of connections: Int, seed: UInt64) {
        let width = workload.keyRange.upperBound - workload.keyRange.lowerBound + 1
        // Sequential walks start evenly spread, so N connections cover the range once in width/N requests each.
        let start = width / Int64(max(connections, 1)) * Int64(connection)
        let connectionSeed = seed &+ UInt64(connection) &* 0x9E37_79B9_7F4A_7C15
        self.keys = KeyGenerator(
            pattern: workload.keyPattern,
            range: workload.keyRange,
            seed: connectionSeed,
            start: start
        )
        self.sizes = SplitMix64(seed: connectionSeed ^ 0xD1B5_4A32_D192_ED03)
        self.dataSize = workload.dataSize
        let templates: [CommandTemplate]
        switch workload.mix {
        case .ratio(let ratio):
            self.ratio = ratio
            templates = [Workload.setTemplate, Workload.getTemplate]
        case .template(let template):
            self.ratio = nil
            templates = [template]
        }
        self.encoders = templates.map { RequestEncoder(template: $0, keyPrefix: workload.keyPrefix) }
        self.payload = Self.makePayload(size: workload.dataSize.range.upperBound)
    }

    /// Encodes the next request into `buffer` and returns its command index.
    mutating func writeNext(into buffer: inout ByteBuffer) -> Int {
        let index: Int
        if var ratio = self.ratio {
            index = ratio.next() == .set ? 0 : 1
            self.ratio = ratio
        } else {
            index = 0
        }
        let key = self.keys.next()
        let size = self.dataSize.next(using: &self.sizes)
        self.payload.withUnsafeBytes { payload in
            self.encoders[index].write(
                key: key,
                data: UnsafeRawBufferPointer(rebasing: payload[..<size]),
                into: &buffer
            )
        }
        return index
    }

    private static func makePayload(size: Int) -> [UInt8] {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        return (0..<size).map { alphabet[$0 % alphabet.count] }
    }
}

import NIOCore

/// One connection's stream of requests: deterministic for a seed and connection index.
struct WorkloadGenerator: Sendable {
    private var ratio: RatioScheduler?
    private let templates: [CommandTemplate]
    private var keys: KeyGenerator
    private var sizes: SplitMix64
    private let dataSize: DataSize
    private let prefix: [UInt8]
    private let payload: ByteBuffer

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
        self.prefix = Array(workload.keyPrefix.utf8)
        switch workload.mix {
        case .ratio(let ratio):
            self.ratio = ratio
            self.templates = [Workload.setTemplate, Workload.getTemplate]
        case .template(let template):
            self.ratio = nil
            self.templates = [template]
        }
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
        let key = KeyName(prefix: self.prefix, number: self.keys.next())
        let size = self.dataSize.next(using: &self.sizes)
        let data = self.payload.getSlice(at: self.payload.readerIndex, length: size)!
        self.templates[index].write(key: key, data: data, into: &buffer)
        return index
    }

    private static func makePayload(size: Int) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { pointer in
            for index in 0..<size { pointer[index] = alphabet[index % alphabet.count] }
            return size
        }
        return buffer
    }
}

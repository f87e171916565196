import NIOCore

/// Everything that decides *what* is sent: the command mix, the keys and the values.
///
/// ```swift
/// let workload = Workload(keyPrefix: "key:", keyRange: 0...999, keyPattern: .uniform,
///                         dataSize: DataSize(32...32), mix: .ratio(RatioScheduler(sets: 1, gets: 10)))
/// var generator = workload.makeGenerator(connection: 0, of: 4, seed: 1)
/// ```
struct Workload: Sendable {
    enum Mix: Sendable {
        /// SET `__key__` `__data__` and GET `__key__`, in a set:get ratio.
        case ratio(RatioScheduler)
        /// One command template for every request.
        case template(CommandTemplate)
    }

    var keyPrefix: String
    var keyRange: ClosedRange<Int64>
    var keyPattern: KeyPattern
    var dataSize: DataSize
    var mix: Mix

    static let setTemplate = try! CommandTemplate(parsing: "SET __key__ __data__")
    static let getTemplate = try! CommandTemplate(parsing: "GET __key__")

    /// Report rows, in order; a request's command index points into this list.
    var commandNames: [String] {
        switch self.mix {
        case .ratio: ["SET", "GET"]
        case .template(let template): [template.name]
        }
    }

    func makeGenerator(connection: Int, of connections: Int, seed: UInt64) -> WorkloadGenerator {
        WorkloadGenerator(workload: self, connection: connection, of: connections, seed: seed)
    }
}

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
        self.keys = KeyGenerator(pattern: workload.keyPattern, range: workload.keyRange, seed: connectionSeed, start: start)
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

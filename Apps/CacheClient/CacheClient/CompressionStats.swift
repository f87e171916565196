/// How compression of large values went.
///
/// ```swift
/// let compression = cache.stats().compression
/// print("saved \(100 * (1 - compression.ratio))% in \(compression.averageTime) per value")
/// ```
public struct CompressionStats: Sendable, Hashable {
    /// Values stored compressed.
    public var compressedValues: Int
    /// Compressed values read back.
    public var decompressedValues: Int
    /// Bytes handed to zlib (values at or above the threshold).
    public var inputBytes: Int
    /// Bytes zlib produced from them.
    public var outputBytes: Int
    /// Time spent compressing, in total.
    public var totalTime: Duration
    /// Time spent compressing one value, on average.
    public var averageTime: Duration

    /// Creates stats.
    public init(
        compressedValues: Int = 0,
        decompressedValues: Int = 0,
        inputBytes: Int = 0,
        outputBytes: Int = 0,
        totalTime: Duration = .zero,
        averageTime: Duration = .zero
    ) {
        self.compressedValues = compressedValues
        self.decompressedValues = decompressedValues
        self.inputBytes = inputBytes
        self.outputBytes = outputBytes
        self.totalTime = totalTime
        self.averageTime = averageTime
    }

    /// `outputBytes / inputBytes`: below 1 when compression saves space, 1 before any compression.
    public var ratio: Double {
        self.inputBytes == 0 ? 1 : Double(self.outputBytes) / Double(self.inputBytes)
    }
}

/// A 64-bit hash that is the same in every process and on every platform, unlike `Hasher`: FNV-1a 64 followed by
/// the SplitMix64 finalizer, so that every input bit reaches every output bit.
///
/// ```swift
/// let hash = StableHash.hash(Array("10.0.0.1:6379".utf8), seed: 1)
/// ```
public enum StableHash {
    /// The hash of `bytes` under `seed`.
    @inlinable
    public static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes, seed: UInt64 = 0) -> UInt64 {
        if let hash = bytes.withContiguousStorageIfAvailable({
            Self.hash(bytes: UnsafeRawBufferPointer($0), seed: seed)
        }) {
            return hash
        }
        return Array(bytes).withUnsafeBytes { Self.hash(bytes: $0, seed: seed) }
    }

    /// The hash of raw bytes under `seed`.
    @inlinable
    public static func hash(bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return SplitMix64.mix(hash)
    }
}

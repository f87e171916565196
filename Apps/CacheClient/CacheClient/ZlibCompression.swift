import CompressNIO
import NIOCore

/// zlib (RFC 1950) through compress-nio, which links the system's libz.
///
/// ```swift
/// let packed = try ZlibCompression.compress(ByteBuffer(string: String(repeating: "a", count: 4096)))
/// let unpacked = try ZlibCompression.decompress(packed)
/// ```
public enum ZlibCompression {
    /// Decompressed values larger than this are refused as corrupt, so a hostile value cannot exhaust memory.
    public static let maximumDecompressedSize = 512 * 1024 * 1024

    /// The zlib stream of `value`.
    public static func compress(_ value: ByteBuffer) throws -> ByteBuffer {
        var input = value
        return try input.compress(with: .zlib())
    }

    /// The bytes in the zlib stream `payload`.
    public static func decompress(_ payload: ByteBuffer) throws -> ByteBuffer {
        var input = payload
        return try input.decompress(with: .zlib(), maxSize: Self.maximumDecompressedSize)
    }
}

import NIOCore

/// The stored form of a value: one ``ValueEncoding`` header byte, then the payload; pure logic with the
/// compressor passed in.
///
/// Values of at least `threshold` bytes are compressed, unless compression does not make them smaller, in
/// which case they are stored raw (so the header always tells the truth). Reading a value whose first byte is
/// not a known header returns the whole value unchanged: values written by other clients stay readable.
/// The cost of that choice: a foreign binary value that happens to start with `0x00` or `0x01` is misread
/// (its first byte is taken as a header).
///
/// ```swift
/// let stored = try ValueFrame.encode(value, threshold: 1024, compress: ZlibCompression.compress)
/// let (value, encoding) = try ValueFrame.decode(stored.bytes, decompress: ZlibCompression.decompress)
/// ```
public enum ValueFrame {
    /// The outcome of encoding one value.
    public struct Encoded: Sendable {
        /// The bytes to store.
        public var bytes: ByteBuffer
        /// The encoding the header names.
        public var encoding: ValueEncoding
        /// Whether compression was attempted (the value reached the threshold).
        public var attemptedCompression: Bool
    }

    /// Frames `value`: compressed when it has at least `threshold` bytes (and compression helps), raw otherwise.
    /// A `threshold` of `nil` never compresses.
    public static func encode(
        _ value: ByteBuffer,
        threshold: Int?,
        compress: (ByteBuffer) throws -> ByteBuffer
    ) rethrows -> Encoded {
        let payload = try Self.payload(of: value, threshold: threshold, compress: compress)
        return Encoded(
            bytes: Self.framed(payload.bytes, payload.encoding),
            encoding: payload.encoding,
            attemptedCompression: payload.attemptedCompression
        )
    }

    /// What ``encode(_:threshold:compress:)`` stores after the header byte, not yet framed: a writer can put
    /// the header byte and the payload straight into its command instead of copying a framed value.
    static func payload(
        of value: ByteBuffer,
        threshold: Int?,
        compress: (ByteBuffer) throws -> ByteBuffer
    ) rethrows -> Encoded {
        if let threshold, value.readableBytes >= threshold {
            let compressed = try compress(value)
            if compressed.readableBytes < value.readableBytes {
                return Encoded(bytes: compressed, encoding: .zlib, attemptedCompression: true)
            }
            return Encoded(bytes: value, encoding: .raw, attemptedCompression: true)
        }
        return Encoded(bytes: value, encoding: .raw, attemptedCompression: false)
    }

    /// The value stored in `stored` and how it was encoded (`nil`: no header, returned whole).
    public static func decode(
        _ stored: ByteBuffer,
        decompress: (ByteBuffer) throws -> ByteBuffer
    ) rethrows -> (value: ByteBuffer, encoding: ValueEncoding?) {
        guard let first = stored.getInteger(at: stored.readerIndex, as: UInt8.self),
            let encoding = ValueEncoding(headerByte: first)
        else { return (stored, nil) }
        let payload = stored.getSlice(at: stored.readerIndex + 1, length: stored.readableBytes - 1)!
        switch encoding {
        case .raw: return (payload, .raw)
        case .zlib: return (try decompress(payload), .zlib)
        }
    }

    static func framed(_ payload: ByteBuffer, _ encoding: ValueEncoding) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(payload.readableBytes + 1)
        buffer.writeInteger(encoding.headerByte)
        buffer.writeImmutableBuffer(payload)
        return buffer
    }
}

import NIOCore
import RESPCodec

/// Bytes split into RESP frames as the proxy's parser splits them: the complete frames, how many bytes they
/// (and skipped empty lines) took, and the error that stopped the split, if any.
///
/// ```swift
/// let split = RESPFrameSplit(Array("PING\r\nGET".utf8), mode: .request, limits: RESPParser.Limits())
/// // split.frames.count == 1, split.consumed == 6, split.error == nil
/// ```
struct RESPFrameSplit {
    var frames: [RESPToken] = []
    var consumed = 0
    var error: RESPParsingError?

    init(_ bytes: some Collection<UInt8>, mode: RESPParser.Mode, limits: RESPParser.Limits) {
        var parser = RESPParser(mode: mode, limits: limits)
        var buffer = ByteBuffer(bytes: bytes)
        let total = buffer.readableBytes
        do {
            while let frame = try parser.next(&buffer) { self.frames.append(frame) }
        } catch {
            self.error = error
        }
        self.consumed = total - buffer.readableBytes
    }
}

import NIOCore
import RESPCodec

/// libFuzzer entry point. For every input, in both modes, it checks that:
/// - parsing never traps, whatever the bytes;
/// - feeding the bytes in small reads gives the same tokens and the same error as one read;
/// - in reply mode, every token decodes, and its re-encoding parses back to an equal value.
@_cdecl("LLVMFuzzerTestOneInput")
public func respCodecFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var limits = RESPParser.Limits()
    limits.maximumBulkLength = 1 << 16
    limits.maximumAggregateCount = 1 << 12
    limits.maximumNestingDepth = 16
    limits.maximumInlineLength = 1 << 12
    let chunkSize = 1 + Int(bytes.first ?? 0) % 7
    for mode in [RESPParser.Mode.request, .reply] {
        let whole = parseAll(bytes, mode: mode, limits: limits, chunkSize: bytes.count + 1)
        let pieces = parseAll(bytes, mode: mode, limits: limits, chunkSize: chunkSize)
        precondition(whole.tokens == pieces.tokens, "split reads changed the tokens")
        precondition(whole.error == pieces.error, "split reads changed the error")
        guard mode == .reply else { continue }
        for token in whole.tokens {
            let value = RESPValue(token)
            var encoded = ByteBuffer()
            encoded.writeRESPValue(value)
            var parser = RESPParser(mode: .reply)
            guard let reparsed = try? parser.next(&encoded) else {
                preconditionFailure("a re-encoded value did not parse")
            }
            var again = ByteBuffer()
            again.writeRESPValue(RESPValue(reparsed))
            precondition(again == reparsed.base, "encoding is not stable")
        }
    }
    return 0
}

private func parseAll(
    _ bytes: [UInt8],
    mode: RESPParser.Mode,
    limits: RESPParser.Limits,
    chunkSize: Int
) -> (tokens: [RESPToken], error: RESPParsingError?) {
    var parser = RESPParser(mode: mode, limits: limits)
    var buffer = ByteBuffer()
    var tokens: [RESPToken] = []
    var start = 0
    repeat {
        let end = min(bytes.count, start + chunkSize)
        buffer.writeBytes(bytes[start..<end])
        start = end
        do {
            while let token = try parser.next(&buffer) { tokens.append(token) }
        } catch {
            return (tokens, error)
        }
    } while start < bytes.count
    return (tokens, nil)
}

// SwiftPM links an executable's entry point under the name `<Target>_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("RESPCodecFuzz_main")
public func respCodecFuzzMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments) { data, size in respCodecFuzz(data, size) }
}

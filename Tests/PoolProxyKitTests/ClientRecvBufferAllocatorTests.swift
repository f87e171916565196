import NIOCore
import Testing

@testable import PoolProxyKit

@Suite struct ClientRecvBufferAllocatorTests {
    @Test func growsOnFullReadsAndShrinksAfterTwoSmallOnes() {
        var allocator = ClientRecvBufferAllocator()
        #expect(allocator.nextBufferSize() == 128)
        let grew = allocator.record(actualReadBytes: 128)
        #expect(grew)
        #expect(allocator.nextBufferSize() == 256)
        for _ in 0..<20 { _ = allocator.record(actualReadBytes: 1 << 20) }
        #expect(allocator.nextBufferSize() == 65_536, "capped")
        let grewAgain = allocator.record(actualReadBytes: 10)
        #expect(!grewAgain)
        #expect(allocator.nextBufferSize() == 65_536, "one small read is not enough to shrink")
        _ = allocator.record(actualReadBytes: 10)
        #expect(allocator.nextBufferSize() == 32_768)
        for _ in 0..<40 { _ = allocator.record(actualReadBytes: 1) }
        #expect(allocator.nextBufferSize() == 64, "floored")
        #expect(allocator.buffer(allocator: ByteBufferAllocator()).capacity >= 64)
    }
}

import NIOCore
import Testing

@testable import PoolProxyKit

@Suite struct WriteRunTests {
    /// Three pipelined requests as one read, sliced as the parser slices them.
    static func readBuffer() -> (source: ByteBuffer, slices: [ByteBuffer]) {
        var source = ByteBufferAllocator().buffer(capacity: 256)
        source.writeString("*1\r\n$4\r\nPING\r\n")
        source.writeString("*2\r\n$3\r\nGET\r\n$1\r\na\r\n")
        source.writeString("*2\r\n$3\r\nGET\r\n$1\r\nb\r\n")
        source.writeString("*2\r\n$3\r\nGE")  // an incomplete request: read, not yet parsed
        var reading = source
        let slices = [14, 22, 22].map { reading.readSlice(length: $0)! }
        return (source, slices)
    }

    @Test func adjacentSlicesOfTheReadSourceBecomeOneWrite() {
        let (source, slices) = Self.readBuffer()
        var run = WriteRun()
        for slice in slices { #expect(run.append(slice, source: source) == nil) }
        let joined = run.take()
        #expect(joined.map { String(buffer: $0) } == slices.map { String(buffer: $0) }.joined())
        #expect(run.isEmpty && run.take() == nil)
    }

    @Test func aGapEndsTheRun() {
        let (source, slices) = Self.readBuffer()
        var run = WriteRun()
        #expect(run.append(slices[0], source: source) == nil)
        let written = run.append(slices[2], source: source)
        #expect(written.map { String(buffer: $0) } == String(buffer: slices[0]))
        #expect(run.take().map { String(buffer: $0) } == String(buffer: slices[2]))
    }

    @Test func bytesFromElsewhereAreWrittenInOrderAndNeverJoined() {
        let (source, slices) = Self.readBuffer()
        var run = WriteRun()
        #expect(run.append(slices[0], source: source) == nil)
        let local = ByteBuffer(string: "+OK\r\n")
        #expect(run.append(local, source: source).map { String(buffer: $0) } == String(buffer: slices[0]))
        // Bytes of their own storage cannot grow over another's, even when the next slice is adjacent to the first.
        #expect(run.append(slices[1], source: source).map { String(buffer: $0) } == "+OK\r\n")
        #expect(run.take().map { String(buffer: $0) } == String(buffer: slices[1]))
    }

    @Test func withoutTheSourceEachSliceStaysItsOwnWrite() {
        let (_, slices) = Self.readBuffer()
        var run = WriteRun()
        #expect(run.append(slices[0], source: nil) == nil)
        #expect(run.append(slices[1], source: nil).map { String(buffer: $0) } == String(buffer: slices[0]))
        #expect(run.take().map { String(buffer: $0) } == String(buffer: slices[1]))
    }

    @Test func aSourceThatDoesNotHoldTheBytesIsIgnored() {
        let (_, slices) = Self.readBuffer()
        let (otherSource, _) = Self.readBuffer()
        var run = WriteRun()
        #expect(run.append(slices[0], source: otherSource) == nil)
        #expect(run.append(slices[1], source: otherSource) != nil)
        #expect(run.take().map { String(buffer: $0) } == String(buffer: slices[1]))
    }

    @Test func theRunNeverCoversUnreadOrUnwrittenBytes() {
        let (source, slices) = Self.readBuffer()
        var run = WriteRun()
        for slice in slices { _ = run.append(slice, source: source) }
        let joined = run.take()!
        #expect(joined.readableBytes == 58)
        #expect(joined.readableBytesView.last == UInt8(ascii: "\n"))
        // Changing the source afterwards copies it: the run keeps the bytes it had.
        var source2 = source
        source2.setString("XXXX", at: 0)
        #expect(String(buffer: joined).hasPrefix("*1\r\n$4\r\nPING"))
    }

    @Test func aKeptReplyStillJoinsTheRepliesAfterIt() {
        let (source, slices) = Self.readBuffer()
        let kept = WriteRun.growable(slices[1], in: source)
        #expect(String(buffer: kept) == String(buffer: slices[1]))
        var run = WriteRun()
        // Written later, while another buffer is being read: the kept reply still grows over its neighbour.
        #expect(run.append(kept, source: nil) == nil)
        #expect(run.append(slices[2], source: nil) == nil)
        #expect(run.take().map { String(buffer: $0) } == String(buffer: slices[1]) + String(buffer: slices[2]))
        #expect(WriteRun.growable(slices[0], in: nil).capacity == slices[0].readableBytes)
    }

    @Test func emptyWritesAreDropped() {
        var run = WriteRun()
        #expect(run.append(ByteBuffer(), source: nil) == nil)
        #expect(run.isEmpty)
    }
}

import NIOCore

/// The receive-buffer policy for client connections: NIO's adaptive one (start at 128 bytes, double when a read
/// fills the buffer, halve after two reads under half full, between 64 bytes and 64 KiB), in 5 bytes of state.
///
/// NIO stores a channel's allocator as an existential, and `AdaptiveRecvByteBufferAllocator`'s five words do not
/// fit its inline buffer, so every client would pay a separate 56-byte heap box for it. With thousands of idle
/// clients that box is a measurable part of the proxy's memory.
///
/// ```swift
/// try channel.syncOptions?.setOption(.recvAllocator, value: ClientRecvBufferAllocator())
/// ```
struct ClientRecvBufferAllocator: RecvByteBufferAllocator {
    static let minimum: UInt32 = 64
    static let initial: UInt32 = 128
    static let maximum: UInt32 = 65_536

    private var next: UInt32 = Self.initial
    private var decreaseNow = false

    func buffer(allocator: ByteBufferAllocator) -> ByteBuffer {
        allocator.buffer(capacity: Int(self.next))
    }

    func nextBufferSize() -> Int? {
        Int(self.next)
    }

    mutating func record(actualReadBytes: Int) -> Bool {
        let lower = self.next >> 1
        if actualReadBytes <= Int(lower) && lower >= Self.minimum {
            if self.decreaseNow {
                self.next = lower
                self.decreaseNow = false
            } else {
                self.decreaseNow = true
            }
            return false
        }
        self.decreaseNow = false
        if actualReadBytes >= Int(self.next) && self.next < Self.maximum {
            self.next <<= 1
            return true
        }
        return false
    }
}

import NIOCore

/// The bytes a channel is to write next, joined without copying when they lie back to back in one buffer.
///
/// The proxy forwards requests and replies as slices of the buffers it read. A client pipelining 16 requests sends
/// them in one read, and they go to the server one after another: 16 slices that are, in memory, one run of
/// adjacent bytes. Writing each slice costs NIO a pipeline pass, a pending-write entry and an I/O vector; a run
/// costs one. A slice cannot grow, so a run is a view of the whole read buffer (its ``LoopFlusher/readSource``),
/// narrowed to the run, whose writer index moves on as adjacent slices arrive.
///
/// ```swift
/// if let previous = run.append(reply, source: flusher.readSource) { context.write(wrapOutboundOut(previous)) }
/// // ...at the flush:
/// if let rest = run.take() { context.write(wrapOutboundOut(rest)) }
/// ```
struct WriteRun {
    private var run: ByteBuffer?

    /// Adds `bytes` to the run. When they do not continue it, the run so far is returned, to be written before
    /// anything else, and a new run starts with `bytes`; `source` is the buffer they may be a slice of.
    mutating func append(_ bytes: ByteBuffer, source: ByteBuffer?) -> ByteBuffer? {
        guard bytes.readableBytes > 0 else { return nil }
        if var run = self.run, Self.continues(run, with: bytes) {
            run.moveWriterIndex(forwardBy: bytes.readableBytes)
            self.run = run
            return nil
        }
        let previous = self.run
        self.run = Self.growable(bytes, in: source)
        return previous
    }

    /// `bytes` as a view that a later run can grow from over adjacent bytes, when they are a slice of `source`;
    /// `bytes` otherwise. For a reply kept to be written later: the replies that follow it in its read buffer then
    /// still join it.
    static func growable(_ bytes: ByteBuffer, in source: ByteBuffer?) -> ByteBuffer {
        Self.view(of: bytes, in: source) ?? bytes
    }

    /// The run so far, which the caller writes; the run is empty afterwards.
    mutating func take() -> ByteBuffer? {
        self.run.take()
    }

    var isEmpty: Bool { self.run == nil }

    /// Whether `bytes` start where `run` ends, in the same storage, within the part of it `run` may grow into.
    ///
    /// The same storage object and the same address make the bytes at the end of `run` exactly `bytes`: they are
    /// written bytes of that storage, so moving `run`'s writer index over them reads nothing uninitialised.
    private static func continues(_ run: ByteBuffer, with bytes: ByteBuffer) -> Bool {
        guard run.writerIndex + bytes.readableBytes <= run.capacity else { return false }
        return run.withVeryUnsafeBytesWithStorageManagement { runStorage, runOwner in
            bytes.withVeryUnsafeBytesWithStorageManagement { bytesStorage, bytesOwner in
                runOwner.toOpaque() == bytesOwner.toOpaque()
                    && runStorage.baseAddress! + run.writerIndex == bytesStorage.baseAddress! + bytes.readerIndex
            }
        }
    }

    /// `bytes` as a view of `source` that can grow over the rest of `source`'s storage; nil when they are not a
    /// slice of `source`'s written bytes.
    private static func view(of bytes: ByteBuffer, in source: ByteBuffer?) -> ByteBuffer? {
        guard var view = source else { return nil }
        let offset: Int? = view.withVeryUnsafeBytesWithStorageManagement { sourceStorage, sourceOwner in
            bytes.withVeryUnsafeBytesWithStorageManagement { bytesStorage, bytesOwner in
                guard sourceOwner.toOpaque() == bytesOwner.toOpaque() else { return nil }
                let offset = (bytesStorage.baseAddress! + bytes.readerIndex) - sourceStorage.baseAddress!
                guard offset >= 0, offset + bytes.readableBytes <= view.writerIndex else { return nil }
                return offset
            }
        }
        guard let offset else { return nil }
        view.moveReaderIndex(to: 0)
        view.moveWriterIndex(to: offset + bytes.readableBytes)
        view.moveReaderIndex(to: offset)
        return view
    }
}

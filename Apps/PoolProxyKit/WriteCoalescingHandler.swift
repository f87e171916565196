import NIOCore

/// Joins the writes between two flushes into one buffer, for channels that encrypt.
///
/// NIOSSL turns every write into its own TLS record: its own encryption call, header and MAC. The proxy writes one
/// buffer per reply (and one per request towards a server), so a pipelining client at `-P 16` would cost 16 records
/// per flush. Copying the small buffers into one costs far less than the records it saves. Plain sockets do not
/// need this: they hand all the buffers to the kernel in one `writev`.
///
/// ```swift
/// try channel.pipeline.syncOperations.addHandler(WriteCoalescingHandler())  // after the TLS handler
/// ```
final class WriteCoalescingHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Past this, the joined buffer goes out without waiting for the flush: TLS records hold 16 KiB, so bigger
    /// batches save nothing more, and memory stays bounded.
    static let maximumBatch = 64 * 1024

    private var batch: ByteBuffer?
    private var promises: [EventLoopPromise<Void>] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = self.unwrapOutboundIn(data)
        if let promise { self.promises.append(promise) }
        if var batch = self.batch.take() {
            batch.writeBuffer(&buffer)
            self.batch = batch
        } else if buffer.readableBytes >= Self.maximumBatch {
            self.batch = buffer
        } else {
            // A buffer of its own: the first write is usually a slice of a larger read buffer, which must not be
            // appended to in place.
            var batch = context.channel.allocator.buffer(capacity: max(1024, buffer.readableBytes * 2))
            batch.writeBuffer(&buffer)
            self.batch = batch
        }
        if self.batch!.readableBytes >= Self.maximumBatch { self.writeBatch(context: context) }
    }

    func flush(context: ChannelHandlerContext) {
        self.writeBatch(context: context)
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        self.writeBatch(context: context)
        context.close(mode: mode, promise: promise)
    }

    private func writeBatch(context: ChannelHandlerContext) {
        guard let batch = self.batch.take() else { return }
        guard !self.promises.isEmpty else {
            context.write(self.wrapOutboundOut(batch), promise: nil)
            return
        }
        let promises = self.promises
        self.promises.removeAll(keepingCapacity: true)
        let written = context.eventLoop.makePromise(of: Void.self)
        for promise in promises { written.futureResult.cascade(to: promise) }
        context.write(self.wrapOutboundOut(batch), promise: written)
    }
}

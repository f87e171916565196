import NIOCore
import RESPCodec

/// One connection of ``FuzzBackend``: parses the proxy's requests and answers as its script says.
final class FuzzBackendHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let script: FuzzBackendScript
    private var parser: RESPParser
    private var unparsed: ByteBuffer?
    private var isDone = false

    init(script: FuzzBackendScript) {
        self.script = script
        self.parser = RESPParser(mode: .request, limits: script.limits)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.isDone else { return }
        var buffer = self.unwrapInboundIn(data)
        if var unparsed = self.unparsed.take() {
            unparsed.writeBuffer(&buffer)
            buffer = unparsed
        }
        do {
            while !self.isDone, let frame = try self.parser.next(&buffer) {
                self.answer(frame, context: context)
            }
        } catch {
            self.script.receivedMalformed("\(error) in \(Self.printable(buffer))")
            self.isDone = true
            context.close(promise: nil)
            return
        }
        if buffer.readableBytes > 0 { self.unparsed = buffer }
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(_ frame: RESPToken, context: ChannelHandlerContext) {
        self.script.received(frame.base)
        switch self.script.mode {
        case .echo:
            var reply = context.channel.allocator.buffer(capacity: frame.base.readableBytes + 16)
            reply.writeString("$\(frame.base.readableBytes)\r\n")
            reply.writeImmutableBuffer(frame.base)
            reply.writeStaticString("\r\n")
            context.write(self.wrapOutboundOut(reply), promise: nil)
        case .play(let bytes):
            guard Self.names(frame, FuzzBackendScript.marker) else { return }
            self.isDone = true
            let channel = context.channel
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(bytes: bytes))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    private static func names(_ frame: RESPToken, _ argument: String) -> Bool {
        guard case .array(let elements) = frame.value else { return false }
        return elements.contains { element in
            if case .bulkString(let bytes) = element.value { return String(buffer: bytes) == argument }
            return false
        }
    }

    static func printable(_ buffer: ByteBuffer) -> String {
        String(decoding: buffer.readableBytesView.prefix(200), as: UTF8.self).debugDescription
    }
}

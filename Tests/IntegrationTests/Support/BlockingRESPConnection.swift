import NIOCore
import RESPCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking loopback TCP connection that pipelines commands and parses replies with ``RESPParser``.
///
/// Enough for tests that talk to a throwaway server; not a client.
///
/// ```swift
/// let connection = try BlockingRESPConnection(port: server.port)
/// defer { connection.disconnect() }
/// let replies = try connection.pipeline([["PING"], ["ECHO", "hi"]])
/// ```
final class BlockingRESPConnection {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let descriptor: Int32
    private var parser = RESPParser(mode: .reply)
    private var received = ByteBuffer()

    init(port: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure(description: "connect() to 127.0.0.1:\(port) failed: \(errno)")
        }
        self.descriptor = descriptor
    }

    func disconnect() {
        close(self.descriptor)
    }

    /// Sends every command in one write, then reads one reply per command.
    func pipeline(_ commands: [[String]]) throws -> [RESPValue] {
        var request = ByteBuffer()
        for command in commands {
            request.writeRESPCommand(command)
        }
        try self.sendAll(request)
        return try (0..<commands.count).map { _ in try self.receiveReply() }
    }

    private func sendAll(_ buffer: ByteBuffer) throws {
        var remaining = buffer
        while remaining.readableBytes > 0 {
            let written = remaining.withUnsafeReadableBytes { send(self.descriptor, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { throw Failure(description: "send() failed: \(errno)") }
            remaining.moveReaderIndex(forwardBy: written)
        }
    }

    private func receiveReply() throws -> RESPValue {
        while true {
            if let token = try self.parser.next(&self.received) {
                return RESPValue(token)
            }
            var count = 0
            self.received.writeWithUnsafeMutableBytes(minimumWritableBytes: 64 * 1024) { bytes in
                count = recv(self.descriptor, bytes.baseAddress, bytes.count, 0)
                return max(count, 0)
            }
            guard count > 0 else { throw Failure(description: "recv() failed or the server closed: \(errno)") }
        }
    }
}

import NIOCore
import RESPCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking loopback client that sends raw bytes to the proxy and parses what comes back as RESP replies.
///
/// ```swift
/// let client = try FuzzClientSocket(port: port)
/// _ = client.send(Array("PING\r\n".utf8))
/// let replies = try client.readReplies(timeout: .seconds(5)) { $0.count == 1 }
/// ```
final class FuzzClientSocket {
    struct Replies {
        var frames: [RESPToken] = []
        /// The proxy closed the connection.
        var closed = false
        /// Bytes that are not a well-formed reply stream, if any.
        var malformed: String?
    }

    private var fd: Int32
    private var parser = RESPParser(mode: .reply)
    private var received = ByteBuffer()
    private(set) var replies = Replies()

    init(port: Int) throws {
        self.fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard self.fd >= 0 else { throw ProxyFuzzFailure("socket() failed: \(errno)") }
        var one: Int32 = 1
        _ = setsockopt(self.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(self.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            self.close()
            throw ProxyFuzzFailure("connect to the proxy on port \(port) failed: errno \(code)")
        }
    }

    deinit {
        self.close()
    }

    func close() {
        if self.fd >= 0 { _ = Glibc.close(self.fd) }
        self.fd = -1
    }

    /// Sends every byte; false when the proxy closed the connection first.
    @discardableResult
    func send(_ bytes: some Collection<UInt8>) -> Bool {
        let bytes = Array(bytes)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Reads until `done` holds for the replies so far, the proxy closes, the stream breaks, or `timeout` passes.
    /// Returns false on timeout.
    func readReplies(timeout: Duration, until done: (Replies) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !done(self.replies) && !self.replies.closed && self.replies.malformed == nil {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return false }
            var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(
                remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
            )
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                self.replies.closed = true
                if self.received.readableBytes > 0 {
                    self.replies.malformed =
                        "the stream ends inside a reply: \(FuzzBackendHandler.printable(self.received))"
                }
                break
            }
            self.received.writeBytes(chunk[..<count])
            do {
                while let frame = try self.parser.next(&self.received) { self.replies.frames.append(frame) }
            } catch {
                self.replies.malformed = "\(error) in \(FuzzBackendHandler.printable(self.received))"
            }
        }
        return true
    }
}

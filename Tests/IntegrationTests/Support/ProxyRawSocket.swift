import Foundation
import RedisTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP socket to 127.0.0.1 that sends raw bytes and reads raw replies, for tests that need to send what
/// no client library would (garbage, floods) or to watch the proxy close a connection.
///
/// ```swift
/// let socket = try ProxyRawSocket(port: harness.port)
/// try socket.send("PING\r\n")
/// let reply = try socket.read(until: "\r\n", timeout: .seconds(5))
/// ```
final class ProxyRawSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private var fd: Int32
    /// Bytes read but not yet returned.
    private var buffered: [UInt8] = []

    init(port: Int, receiveBufferSize: Int? = nil) throws {
        self.fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard self.fd >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        if var size = receiveBufferSize.map({ Int32($0) }) {
            _ = setsockopt(self.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
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
            // deinit runs after a throw from a fully initialised init: without the reset it would close this
            // number a second time, by then perhaps another socket of the process (the in-process proxy's).
            self.close()
            throw Failure(description: "connect to 127.0.0.1:\(port) failed: \(code)")
        }
    }

    deinit {
        if self.fd >= 0 { Glibc.close(self.fd) }
    }

    func close() {
        if self.fd >= 0 { Glibc.close(self.fd) }
        self.fd = -1
    }

    /// Sends every byte, blocking as needed.
    func send(_ text: String) throws {
        try self.send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw Failure(description: "send failed: \(errno)") }
            offset += sent
        }
    }

    enum SendOutcome: Equatable {
        /// The kernel took this many bytes (maybe 0: its buffers are full).
        case sent(Int)
        /// The peer closed or reset the connection.
        case closed
    }

    /// Sends what the kernel takes without blocking.
    func sendWithoutBlocking(_ bytes: [UInt8]) -> SendOutcome {
        let sent = bytes.withUnsafeBytes {
            Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
        if sent >= 0 { return .sent(sent) }
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .sent(0) : .closed
    }

    /// Reads until `terminator` has arrived, the peer closes, or `timeout` passes; returns all that was read.
    func read(until terminator: String, timeout: Duration) throws -> String {
        let needle = Array(terminator.utf8)
        let deadline = ContinuousClock.now + TestTime.scaled(timeout)
        while !self.buffered.contains(needle) {
            guard try self.fill(deadline: deadline) else { break }
        }
        let text = String(decoding: self.buffered, as: UTF8.self)
        self.buffered.removeAll()
        return text
    }

    /// Reads exactly `count` lines ending in CRLF (simple replies only), or fewer if the peer closes or time runs out.
    func readLines(_ count: Int, timeout: Duration) throws -> [String] {
        let deadline = ContinuousClock.now + TestTime.scaled(timeout)
        var lines: [String] = []
        while lines.count < count {
            if let end = self.crlfIndex() {
                lines.append(String(decoding: self.buffered[..<end], as: UTF8.self))
                self.buffered.removeFirst(end + 2)
                continue
            }
            guard try self.fill(deadline: deadline) else { break }
        }
        return lines
    }

    /// Whether the peer closes the connection before `timeout`, reading and discarding anything sent before.
    func waitForClose(timeout: Duration) throws -> Bool {
        let deadline = ContinuousClock.now + TestTime.scaled(timeout)
        while ContinuousClock.now < deadline {
            self.buffered.removeAll()
            if try !self.fill(deadline: deadline), ContinuousClock.now < deadline { return true }
        }
        return false
    }

    /// Reads once; false on end of file or when the deadline passed.
    private func fill(deadline: ContinuousClock.Instant) throws -> Bool {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return false }
        var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(min(remaining.components.seconds * 1000 + 1, 60_000))
        let ready = poll(&poller, 1, milliseconds)
        guard ready > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
        if count < 0 && (errno == ECONNRESET) { return false }
        guard count > 0 else { return false }
        self.buffered.append(contentsOf: chunk[..<count])
        return true
    }

    private func crlfIndex() -> Int? {
        guard self.buffered.count >= 2 else { return nil }
        for index in 0..<(self.buffered.count - 1) where self.buffered[index] == 13 && self.buffered[index + 1] == 10 {
            return index
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    fileprivate func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, self.count >= needle.count else { return needle.isEmpty }
        for start in 0...(self.count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}

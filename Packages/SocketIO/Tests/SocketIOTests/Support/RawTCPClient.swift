import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain blocking POSIX socket, to see exactly what a server sends a real client.
final class RawTCPClient {
    private let descriptor: Int32
    private var isClosed = false

    init(port: Int) throws {
        self.descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard self.descriptor >= 0 else { throw RedisTestServerError(message: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(self.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            self.close()
            throw RedisTestServerError(message: "connect() to port \(port) failed, errno \(errno)")
        }
        var pollInterval = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(self.descriptor, SOL_SOCKET, SO_RCVTIMEO, &pollInterval, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        self.close()
    }

    /// The client's own port, as the server sees it as the peer's.
    var localPort: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(self.descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Hangs up; later reads see nothing.
    func close() {
        guard !self.isClosed else { return }
        self.isClosed = true
        #if canImport(Glibc)
        _ = Glibc.close(self.descriptor)
        #elseif canImport(Darwin)
        _ = Darwin.close(self.descriptor)
        #endif
    }

    /// Sends `text` whole.
    func send(_ text: String) {
        var bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeMutableBytes {
                Glibc.send(self.descriptor, $0.baseAddress! + sent, $0.count - sent, 0)
            }
            guard count > 0 else { return }
            sent += count
        }
    }

    /// Reads until `enough` says so, the server closes, or `timeout` passes.
    func read(
        timeout: Duration = .seconds(3),
        until enough: (String) -> Bool = { _ in false }
    ) -> (
        text: String, closedByServer: Bool
    ) {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let count = chunk.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return (String(decoding: received, as: UTF8.self), true) }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return (String(decoding: received, as: UTF8.self), true)
            }
            received += chunk[0..<count]
            if enough(String(decoding: received, as: UTF8.self)) { break }
        }
        return (String(decoding: received, as: UTF8.self), false)
    }
}

import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway `redis-server` on a free loopback port, for integration tests.
///
/// ```swift
/// let server = try RedisServer.start()
/// defer { server.stop() }
/// let reply = try server.cli(["PING"])
/// ```
public final class RedisServer: Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    public let port: Int
    public let directory: URL
    private let process: Process

    private init(port: Int, directory: URL, process: Process) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Starts a server with persistence off. `extraArguments` are passed as `--name value` pairs.
    public static func start(extraArguments: [String] = []) throws -> RedisServer {
        guard let executable = Self.which("redis-server") else {
            throw StartError(description: "redis-server is not installed; run Scripts/test, which installs it")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var failures: [String] = []
        for _ in 0..<5 {
            let port = try Self.freeLoopbackPort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments =
                [
                    "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", directory.path, "--logfile", directory.appendingPathComponent("redis.log").path,
                ] + extraArguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try ProcessLauncher.run(process)
            let server = RedisServer(port: port, directory: directory, process: process)
            if server.waitUntilAcceptingConnections(timeout: .seconds(10)) { return server }
            // The directory stays for the next attempt: a port another process took between our probe and the
            // server's bind is the usual cause, and a retry on a fresh port fixes it.
            server.killProcess()
            failures.append("port \(port): \(server.logTail())")
        }
        try? FileManager.default.removeItem(at: directory)
        throw StartError(
            description: "redis-server did not come up after 5 attempts:\n" + failures.joined(separator: "\n")
        )
    }

    /// Stops the server and removes its directory.
    public func stop() {
        self.killProcess()
        try? FileManager.default.removeItem(at: self.directory)
    }

    private func killProcess() {
        if self.process.isRunning {
            // Children of test threads inherit a blocked signal mask, so SIGTERM may never arrive; the server
            // keeps no data worth a graceful shutdown.
            kill(self.process.processIdentifier, SIGKILL)
            self.process.waitUntilExit()
        }
    }

    /// The last lines of the server's log, for failure messages.
    private func logTail() -> String {
        let log = self.directory.appendingPathComponent("redis.log")
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return "(no log)" }
        return text.split(separator: "\n").suffix(5).joined(separator: "\n")
    }

    /// Runs `redis-cli` against this server and returns its standard output.
    public func cli(_ arguments: [String]) throws -> String {
        guard let executable = Self.which("redis-cli") else {
            throw StartError(description: "redis-cli is not installed; run Scripts/test, which installs it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-h", "127.0.0.1", "-p", String(self.port)] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func waitUntilAcceptingConnections(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard self.process.isRunning else { return false }
            if Self.canConnect(port: self.port), Self.owns(pid: self.process.processIdentifier, listenerOn: self.port) {
                return true
            }
            usleep(20_000)
        }
        return false
    }

    public static func which(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/bin:/usr/sbin:/usr/local/bin"
        for directory in paths.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// A free port on 127.0.0.1 that no other caller in this process has been given.
    ///
    /// The kernel's free port (from binding port 0) is not enough: a failure test kills a server and restarts it
    /// on the same port, and while it is down the kernel may offer that port to another test. Both servers then
    /// race for it, and the loser's readiness check sees the winner's server answering, so one test ran against
    /// another's server and found it gone when the other killed it. Each port is handed out once per process.
    public static func freeLoopbackPort() throws -> Int {
        for _ in 0..<100 {
            let port = try Self.unboundLoopbackPort()
            if Self.claim(port: port) { return port }
        }
        throw StartError(description: "found no loopback port that this process has not handed out already")
    }

    /// Marks `port` as taken for the rest of the process; false when it was handed out before. For ports a
    /// server uses besides its own, such as a cluster node's bus port.
    public static func claim(port: Int) -> Bool {
        Self.handedOut.withLockedValue { $0.insert(port).inserted }
    }

    private static let handedOut = NIOLockedValueBox<Set<Int>>([])

    /// Asks the kernel for a free port on 127.0.0.1 by binding port 0.
    private static func unboundLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket() failed: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw StartError(description: "bind() failed: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether process `pid` owns the socket listening on 127.0.0.1:`port`.
    ///
    /// A server that cannot bind its port exits, but until it has, a readiness check that only connects would
    /// take whatever else listens there (another test's server, or a proxy that listens on a kernel-chosen port)
    /// for it. Reads the kernel's socket table and the process's descriptors; Linux only, false elsewhere.
    public static func owns(pid: Int32, listenerOn port: Int) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return false }
        // Rows: "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...", addresses in hex;
        // 127.0.0.1 reads 0100007F and state 0A is LISTEN.
        let local = "0100007F:" + String(format: "%04X", port)
        var inode: Substring?
        for row in table.split(separator: "\n").dropFirst() {
            let fields = row.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count > 9, fields[1] == local, fields[3] == "0A" {
                inode = fields[9]
                break
            }
        }
        guard let inode else { return false }
        let socket = "socket:[\(inode)]"
        let descriptors = "/proc/\(pid)/fd"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: descriptors) else { return false }
        return entries.contains { entry in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(descriptors)/\(entry)")) == socket
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` now.
    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}

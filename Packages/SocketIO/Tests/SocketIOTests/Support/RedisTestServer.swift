import Foundation
import NIOCore
import SocketIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway `redis-server` on a free loopback port, with its own temporary directory, killed at the latest when
/// the value goes away.
final class RedisTestServer {
    /// The plain-text port, or the TLS port when started with certificates.
    let port: Int
    /// Set when started with `unixSocket: true`.
    let unixSocketPath: String?
    let directory: URL
    private let process: Process

    var endpoint: SocketEndpoint {
        .tcp(host: "127.0.0.1", port: self.port)
    }

    private init(port: Int, unixSocketPath: String?, directory: URL, process: Process) {
        self.port = port
        self.unixSocketPath = unixSocketPath
        self.directory = directory
        self.process = process
    }

    /// Starts a server and waits until it accepts connections. A port taken by someone else between picking and
    /// binding it costs a retry on another port.
    static func start(
        _ extraArguments: [String] = [],
        tls certificates: TestCertificates? = nil,
        unixSocket: Bool = false
    ) async throws -> RedisTestServer {
        var lastError: (any Error)?
        for _ in 0..<3 {
            do {
                return try await self.startOnce(extraArguments, tls: certificates, unixSocket: unixSocket)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? RedisTestServerError(message: "redis-server did not start")
    }

    private static func startOnce(
        _ extraArguments: [String],
        tls certificates: TestCertificates?,
        unixSocket: Bool
    ) async throws -> RedisTestServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("socketio-redis-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        let socketPath = unixSocket ? directory.appendingPathComponent("redis.sock").path : nil

        var arguments = [
            "--bind", "127.0.0.1", "-::1",
            "--save", "", "--appendonly", "no",
            "--dir", directory.path,
            "--logfile", directory.appendingPathComponent("redis.log").path,
            "--enable-debug-command", "yes",
        ]
        if let certificates {
            arguments += [
                "--port", "0", "--tls-port", String(port),
                "--tls-cert-file", certificates.serverCertificate,
                "--tls-key-file", certificates.serverKey,
                "--tls-ca-cert-file", certificates.caCertificate,
            ]
        } else {
            arguments += ["--port", String(port)]
        }
        if let socketPath {
            arguments += ["--unixsocket", socketPath, "--unixsocketperm", "700"]
        }
        arguments += extraArguments

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = RedisTestServer(port: port, unixSocketPath: socketPath, directory: directory, process: process)
        try await server.waitUntilReady()
        return server
    }

    /// Kills the server at once, as a crash would.
    func kill() {
        guard self.process.isRunning else { return }
        #if canImport(Glibc)
        _ = Glibc.kill(self.process.processIdentifier, SIGKILL)
        #elseif canImport(Darwin)
        _ = Darwin.kill(self.process.processIdentifier, SIGKILL)
        #endif
        self.process.waitUntilExit()
    }

    /// Stops the server and removes its directory.
    func stop() {
        self.kill()
        try? FileManager.default.removeItem(at: self.directory)
    }

    deinit {
        self.stop()
    }

    /// Waits for the log line Redis writes once it listens: polling the port could find another process there.
    private func waitUntilReady() async throws {
        let logFile = self.directory.appendingPathComponent("redis.log")
        for _ in 0..<250 {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            if log.contains("Ready to accept connections") {
                return
            }
            guard self.process.isRunning else {
                throw RedisTestServerError(message: "redis-server exited: \(log.suffix(600))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RedisTestServerError(message: "redis-server did not get ready in time")
    }
}

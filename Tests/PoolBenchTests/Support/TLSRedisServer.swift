import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A throwaway `redis-server` that speaks TLS on a free loopback port, with certificates from ``TestCertificates``
/// (a CA, a server certificate for 127.0.0.1 and localhost, and an unrelated CA for negative tests). Clients may
/// present a certificate but need not. The plain port stays open for `redis-cli`. ``RedisServer/start(extraArguments:)`` waits on the plain
/// port only, so the TLS port is polled too before this returns.
///
/// ```swift
/// let server = try TLSRedisServer.start()
/// defer { server.stop() }
/// // connect to 127.0.0.1:server.tlsPort, trusting server.caFile
/// ```
final class TLSRedisServer: Sendable {
    /// Why TLS cannot be tested here; the tests skip with this reason.
    struct Unsupported: Error, CustomStringConvertible {
        let description: String
    }

    let plain: RedisServer
    let tlsPort: Int
    let certificates: TestCertificates

    var caFile: String { self.certificates.caFile }
    /// A CA that did not sign the server's certificate.
    var wrongCAFile: String { self.certificates.otherCAFile }
    /// Scratch space that goes away with the server.
    var directory: URL { self.certificates.directory }

    private init(plain: RedisServer, tlsPort: Int, certificates: TestCertificates) {
        self.plain = plain
        self.tlsPort = tlsPort
        self.certificates = certificates
    }

    static func start() throws -> TLSRedisServer {
        try Self.checkSupport()
        let certificates = try TestCertificates.make()
        var lastError: any Error = RedisServer.StartError(description: "no attempt made")
        // A free TLS port can be taken by someone else before the server binds it; try a few.
        for _ in 0..<3 {
            let tlsPort = try RedisServer.freeLoopbackPort()
            do {
                let plain = try RedisServer.start(extraArguments: certificates.redisTLSArguments(port: tlsPort))
                if Self.waitUntilAccepting(port: tlsPort) {
                    return TLSRedisServer(plain: plain, tlsPort: tlsPort, certificates: certificates)
                }
                plain.stop()
                lastError = RedisServer.StartError(description: "TLS port \(tlsPort) did not open")
            } catch {
                lastError = error
            }
        }
        certificates.remove()
        throw lastError
    }

    func stop() {
        self.plain.stop()
        self.certificates.remove()
    }

    /// openssl must exist, and redis-server must know `tls-port` (a build without TLS calls it a bad directive).
    private static func checkSupport() throws {
        guard RedisServer.which("openssl") != nil else { throw Unsupported(description: "openssl is not installed") }
        guard let redis = RedisServer.which("redis-server") else {
            throw Unsupported(description: "redis-server is not installed")
        }
        // Listening nowhere makes a TLS build exit at once too, after it has accepted the directive.
        let output = try Self.run(redis, ["--port", "0", "--tls-port", "0"])
        if output.contains("Bad directive") {
            throw Unsupported(description: "redis-server was built without TLS support")
        }
    }

    /// Runs a process to its end; standard output and error together.
    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private static func waitUntilAccepting(port: Int) -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if RedisServer.canConnect(port: port) { return true }
            usleep(20_000)
        }
        return false
    }
}

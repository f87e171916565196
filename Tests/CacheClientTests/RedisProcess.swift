import Foundation
import RedisTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A redis-server on a port chosen by the test, for restarting a killed node on the same port (RedisServer
/// always picks a fresh one).
final class RedisProcess: Sendable {
    let port: Int
    private let directory: URL
    private let process: Process

    init(port: Int) throws {
        guard let executable = RedisServer.which("redis-server") else {
            throw RedisServer.StartError(description: "redis-server is not installed")
        }
        self.port = port
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", self.directory.path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        self.process = process
    }

    func stop() {
        if self.process.isRunning {
            kill(self.process.processIdentifier, SIGKILL)
            self.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: self.directory)
    }
}

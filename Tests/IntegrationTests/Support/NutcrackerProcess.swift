import Foundation
import RedisTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A real twemproxy (`nutcracker`) on a free loopback port, the reference that key placement is compared with.
///
/// ```swift
/// let nutcracker = try NutcrackerProcess.start(servers: ports, settings: ["hash: murmur"])
/// defer { nutcracker.stop() }
/// _ = try BackendRedis.cli(port: nutcracker.port, ["SET", "k", "v"])
/// ```
final class NutcrackerProcess: Sendable {
    let port: Int
    let directory: URL
    private let process: Process

    private init(port: Int, directory: URL, process: Process) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Whether `nutcracker` is on the PATH.
    static var isInstalled: Bool { RedisServer.which("nutcracker") != nil }

    /// Starts nutcracker with one Redis pool over `servers` (loopback ports, weight 1). `settings` are extra pool
    /// lines of `nutcracker.yml`, such as `hash: murmur` or `hash_tag: "{}"`.
    static func start(servers: [Int], settings: [String]) throws -> NutcrackerProcess {
        guard let executable = RedisServer.which("nutcracker") else {
            throw RedisServer.StartError(description: "nutcracker is not installed")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nutcracker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lastError: any Error = RedisServer.StartError(description: "no attempt made")
        for _ in 0..<5 {
            let port = try RedisServer.freeLoopbackPort()
            let statsPort = try RedisServer.freeLoopbackPort()
            var lines = ["pool:", "  listen: 127.0.0.1:\(port)", "  redis: true", "  preconnect: true"]
            lines += settings.map { "  \($0)" }
            lines.append("  servers:")
            lines += servers.map { "    - 127.0.0.1:\($0):1" }
            let configuration = directory.appendingPathComponent("nutcracker.yml")
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: configuration)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "-c", configuration.path, "-s", String(statsPort), "-a", "127.0.0.1",
                "-p", directory.appendingPathComponent("nutcracker.pid").path,
                "-o", directory.appendingPathComponent("nutcracker.log").path,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try ProcessLauncher.run(process)
            let nutcracker = NutcrackerProcess(port: port, directory: directory, process: process)
            if nutcracker.waitUntilServing(timeout: .seconds(10)) { return nutcracker }
            nutcracker.kill()
            lastError = RedisServer.StartError(description: "nutcracker did not come up on 127.0.0.1:\(port)")
        }
        try? FileManager.default.removeItem(at: directory)
        throw lastError
    }

    /// SIGKILL (see ``BackendRedis``: other signals may be blocked in the child) and removes the directory.
    func stop() {
        self.kill()
        try? FileManager.default.removeItem(at: self.directory)
    }

    private func kill() {
        guard self.process.isRunning else { return }
        killProcess(self.process.processIdentifier)
        self.process.waitUntilExit()
    }

    private func waitUntilServing(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + TestTime.scaled(timeout)
        while ContinuousClock.now < deadline {
            guard self.process.isRunning else { return false }
            if (try? BackendRedis.cli(port: self.port, ["PING"]))?.hasPrefix("PONG") == true { return true }
            usleep(20_000)
        }
        return false
    }
}

private func killProcess(_ process: Int32) {
    _ = kill(process, SIGKILL)
}

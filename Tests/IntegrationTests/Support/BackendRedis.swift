import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A redis-server that failure tests can kill, pause, resume and restart on the same port and data directory.
///
/// Test threads hand a blocked signal mask to `Process` children, so only the signals nobody can block or catch
/// (SIGKILL, SIGSTOP, SIGCONT) are used.
///
/// ```swift
/// let backend = try BackendRedis.start(extraArguments: ["--appendonly", "yes"])
/// defer { backend.stop() }
/// backend.kill()
/// try backend.restart()
/// ```
final class BackendRedis: Sendable {
    let port: Int
    let directory: URL
    private let extraArguments: [String]
    private let process: NIOLockedValueBox<Process?>

    private init(port: Int, directory: URL, extraArguments: [String]) {
        self.port = port
        self.directory = directory
        self.extraArguments = extraArguments
        self.process = NIOLockedValueBox(nil)
    }

    /// Starts a server on a free loopback port. `extraArguments` (`--name value` pairs) come after the defaults
    /// (no RDB snapshots, no AOF), so they may turn persistence on.
    static func start(extraArguments: [String] = []) throws -> BackendRedis {
        var lastError: any Error = RedisServer.StartError(description: "no attempt made")
        for _ in 0..<5 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "backend-\(UUID().uuidString)"
            )
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let backend = BackendRedis(
                port: try RedisServer.freeLoopbackPort(),
                directory: directory,
                extraArguments: extraArguments
            )
            do {
                try backend.launch()
                return backend
            } catch {
                backend.stop()
                lastError = error
            }
        }
        throw lastError
    }

    /// Whether the process is running (a paused one counts as running).
    var isRunning: Bool { self.process.withLockedValue { $0?.isRunning ?? false } }

    /// SIGKILL: the server dies at once, without saving anything it had not already written.
    func kill() {
        let process = self.process.withLockedValue { process in
            defer { process = nil }
            return process
        }
        guard let process, process.isRunning else { return }
        sendSignal(SIGKILL, to: process.processIdentifier)
        process.waitUntilExit()
    }

    /// SIGSTOP: the server keeps its connections and its data but answers nothing.
    func pause() {
        self.signal(SIGSTOP)
    }

    /// SIGCONT after ``pause()``.
    func resume() {
        self.signal(SIGCONT)
    }

    /// Starts the server again on the same port and directory, after ``kill()``.
    func restart() throws {
        self.kill()
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            do {
                try self.launch()
                return
            } catch {
                // The old listener may linger for a moment; try again until the deadline.
                guard ContinuousClock.now < deadline else { throw error }
                usleep(50_000)
            }
        }
    }

    /// Kills the server and removes its directory.
    func stop() {
        self.resume()
        self.kill()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// Runs `redis-cli` against this server and returns its standard output.
    func cli(_ arguments: [String]) throws -> String {
        try Self.cli(port: self.port, arguments)
    }

    /// Runs `redis-cli` against any loopback port and returns its standard output.
    static func cli(port: Int, _ arguments: [String]) throws -> String {
        guard let executable = RedisServer.which("redis-cli") else {
            throw RedisServer.StartError(description: "redis-cli is not installed; run Scripts/test, which installs it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-h", "127.0.0.1", "-p", String(port)] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func signal(_ signal: Int32) {
        self.process.withLockedValue { process in
            guard let process, process.isRunning else { return }
            sendSignal(signal, to: process.processIdentifier)
        }
    }

    private func launch() throws {
        guard let executable = RedisServer.which("redis-server") else {
            throw RedisServer.StartError(
                description: "redis-server is not installed; run Scripts/test, which installs it"
            )
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments =
            [
                "--port", String(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", self.directory.path, "--logfile", self.directory.appendingPathComponent("redis.log").path,
            ] + self.extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        self.process.withLockedValue { $0 = process }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { break }
            if RedisServer.owns(pid: process.processIdentifier, listenerOn: self.port),
                (try? Self.cli(port: self.port, ["PING"]))?.hasPrefix("PONG") == true
            {
                return
            }
            usleep(20_000)
        }
        self.kill()
        throw RedisServer.StartError(description: "redis-server did not come up on 127.0.0.1:\(self.port)")
    }
}

private func sendSignal(_ signal: Int32, to process: Int32) {
    _ = kill(process, signal)
}

import Foundation
import RedisTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a helper program (python3, redis-benchmark, ...) to completion with a deadline, capturing its output.
///
/// ```swift
/// let result = try ProxyCommandRunner.run("python3", [script, String(port)], timeout: .seconds(30))
/// #expect(result.status == 0, "\(result.output)")
/// ```
enum ProxyCommandRunner {
    struct Result {
        /// The exit status, or -1 when the deadline passed and the program was killed.
        var status: Int32
        /// Standard output and standard error, interleaved.
        var output: String
    }

    struct NotFound: Error, CustomStringConvertible {
        let description: String
    }

    static func run(_ program: String, _ arguments: [String], timeout: Duration) throws -> Result {
        guard let executable = program.hasPrefix("/") ? program : RedisServer.which(program) else {
            throw NotFound(description: "\(program) is not installed; run Scripts/test, which installs it")
        }
        let outputFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("proxy-run-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let handle = try FileHandle(forWritingTo: outputFile)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        let deadline = ContinuousClock.now + TestTime.scaled(timeout)
        var timedOut = false
        while process.isRunning {
            if ContinuousClock.now > deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        return Result(
            status: timedOut ? -1 : process.terminationStatus,
            output: timedOut ? "timed out after \(timeout)\n" + output : output
        )
    }

    /// Runs `python3 Proxy/python/<script> <arguments...>`.
    static func python(_ script: String, _ arguments: [String], timeout: Duration = .seconds(60)) throws -> Result {
        try self.run("python3", ["-u", ProxyTestPaths.pythonScript(script)] + arguments, timeout: timeout)
    }
}

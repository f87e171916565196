import Foundation
import RedisTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn` and an empty signal mask, so that SIGTERM and SIGHUP reach it: children
/// of `Foundation.Process` on test threads inherit the threads' blocked signals. Output goes to files.
///
/// ```swift
/// let proxy = try ProxySpawnedProcess.start(binary, ["--listen", "127.0.0.1:7000", "--backend", "127.0.0.1:6379"])
/// defer { proxy.kill() }
/// proxy.signal(SIGTERM)
/// let status = proxy.waitForExit(timeout: .seconds(10))
/// ```
final class ProxySpawnedProcess: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let pid: pid_t
    let directory: URL
    // Touched only by the test that owns the process.
    private var exitStatus: Int32?

    private init(pid: pid_t, directory: URL) {
        self.pid = pid
        self.directory = directory
    }

    var standardOutputPath: String { self.directory.appendingPathComponent("stdout").path }
    var standardErrorPath: String { self.directory.appendingPathComponent("stderr").path }

    static func start(_ executable: String, _ arguments: [String]) throws -> ProxySpawnedProcess {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions,
            1,
            directory.appendingPathComponent("stdout").path,
            O_WRONLY | O_CREAT | O_TRUNC,
            0o644
        )
        posix_spawn_file_actions_addopen(
            &actions,
            2,
            directory.appendingPathComponent("stderr").path,
            O_WRONLY | O_CREAT | O_TRUNC,
            0o644
        )
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGHUP, SIGINT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = ProcessLauncher.launching { posix_spawn(&pid, executable, &actions, &attributes, argv, environ) }
        guard result == 0 else { throw Failure(description: "posix_spawn \(executable) failed: \(result)") }
        return ProxySpawnedProcess(pid: pid, directory: directory)
    }

    func signal(_ signal: Int32) {
        _ = Glibc.kill(self.pid, signal)
    }

    /// The exit status once the process has exited (a signal death reads as 128 + signal), or nil at the deadline.
    func waitForExit(timeout: Duration) -> Int32? {
        if let exitStatus { return exitStatus }
        let deadline = ContinuousClock.now + TestTime.scaled(timeout)
        repeat {
            var status: Int32 = 0
            let result = waitpid(self.pid, &status, WNOHANG)
            if result == self.pid {
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                self.exitStatus = code
                return code
            }
            usleep(10_000)
        } while ContinuousClock.now < deadline
        return nil
    }

    var isRunning: Bool {
        guard self.exitStatus == nil else { return false }
        return self.waitForExit(timeout: .zero) == nil
    }

    /// Kills the process if it still runs, reaps it, and removes its output files.
    func kill() {
        if self.isRunning {
            self.signal(SIGKILL)
            _ = self.waitForExit(timeout: .seconds(5))
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    var standardError: String {
        (try? String(contentsOfFile: self.standardErrorPath, encoding: .utf8)) ?? ""
    }

    var standardOutput: String {
        (try? String(contentsOfFile: self.standardOutputPath, encoding: .utf8)) ?? ""
    }

    /// Polls standard error until it contains `text`.
    func waitForStandardError(containing text: String, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + TestTime.scaled(timeout)
        repeat {
            if self.standardError.contains(text) { return true }
            usleep(20_000)
        } while ContinuousClock.now < deadline
        return self.standardError.contains(text)
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program the test starts with `posix_spawnp` and always reaps.
///
/// Not Foundation's `Process`: its children inherit the test thread's blocked signals, so SIGTERM cannot stop
/// them. Output goes to a log file, never a pipe another child could inherit and keep open.
final class ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let logFile: URL
    private let pid: pid_t
    private var reaped = false

    /// Starts `program` (looked up on PATH when it has no slash) with stdout and stderr in `logFile`.
    init(program: String, arguments: [String], logFile: URL) throws {
        self.logFile = logFile
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw Failure(description: "cannot start \(program): \(String(cString: strerror(status)))")
        }
        self.pid = pid
    }

    /// What the program wrote so far.
    var log: String {
        (try? String(contentsOf: self.logFile, encoding: .utf8)) ?? ""
    }

    /// Waits for the program to end by itself and returns its exit status (128 + n if killed by signal n).
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(self.pid, &status, 0) < 0 && errno == EINTR {}
        self.reaped = true
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Kills the program and reaps it; safe to call twice.
    func stop() {
        guard !self.reaped else { return }
        kill(self.pid, SIGKILL)
        _ = self.waitForExit()
    }

    deinit {
        self.stop()
    }

    /// The first of these paths that is executable, or the last one (so the error names a sensible path).
    static func locate(_ candidates: [String]) throws -> String {
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(
                description: "\(candidates.last!) is missing: Scripts/bootstrap installs redis-server and nutcracker"
            )
        }
        return found
    }
}

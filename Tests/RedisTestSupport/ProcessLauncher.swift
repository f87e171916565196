import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts child processes one at a time. Foundation's `Process.run()` on Linux can fail with EBADF when several
/// threads spawn children at once (each closes descriptors another is handing to its child), which made parallel
/// integration tests flaky.
///
/// ```swift
/// try ProcessLauncher.run(process)
/// ```
public enum ProcessLauncher {
    private static let lock = NIOLock()

    /// Runs `process.run()` while no other test in this process is spawning a child.
    public static func run(_ process: Process) throws {
        try self.lock.withLock { try process.run() }
    }

    /// Runs `executable` with `arguments` to completion, its output discarded, and returns its exit status.
    ///
    /// `posix_spawn` and `waitpid`, not `Process`: a `Process` spawned while code outside this lock spawns
    /// another (a package's own tests in the same test process) can lose its termination notice, and
    /// `waitUntilExit()` then waits forever on a child that already exited (seen as a zombie `openssl` under
    /// AddressSanitizer).
    ///
    /// ```swift
    /// let status = try ProcessLauncher.runToCompletion("/usr/bin/openssl", ["version"])
    /// ```
    public static func runToCompletion(_ executable: String, _ arguments: [String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = self.lock.withLock { posix_spawn(&pid, executable, &actions, nil, argv, environ) }
        guard spawned == 0 else {
            throw ProcessLauncherError(description: "cannot start \(executable): errno \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw ProcessLauncherError(description: "waitpid for \(executable) failed: errno \(errno)")
            }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

/// A child process that could not be started or waited for.
public struct ProcessLauncherError: Error, CustomStringConvertible {
    public let description: String
}

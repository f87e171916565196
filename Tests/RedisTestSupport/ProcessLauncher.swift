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
/// It also marks every descriptor of the test process close-on-exec first. NIO opens its sockets without
/// `O_CLOEXEC`, and a child that inherited one (a `redis-server` started by one test while another test's client was
/// connected) kept that connection open after the test closed it: the proxy never saw the client leave.
///
/// ```swift
/// try ProcessLauncher.run(process)
/// ```
public enum ProcessLauncher {
    private static let lock = NIOLock()

    /// Runs `process.run()` while no other test in this process is spawning a child.
    public static func run(_ process: Process) throws {
        try self.launching { try process.run() }
    }

    /// Runs `body`, which starts a child process some other way (`posix_spawn`), under the same rules as ``run(_:)``.
    ///
    /// ```swift
    /// let result = ProcessLauncher.launching { posix_spawn(&pid, executable, &actions, nil, argv, environ) }
    /// ```
    public static func launching<Result>(_ body: () throws -> Result) rethrows -> Result {
        try self.lock.withLock {
            Self.markDescriptorsCloseOnExec()
            return try body()
        }
    }

    /// Sets `FD_CLOEXEC` on every open descriptor above standard error. A child's own standard streams are copies
    /// made by `dup2` in the child, which clears the flag, so nothing a child should get is lost.
    private static func markDescriptorsCloseOnExec() {
        #if canImport(Glibc)
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let descriptor = Int32(name), descriptor > 2 else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
        #endif
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
        let spawned = self.launching { posix_spawn(&pid, executable, &actions, nil, argv, environ) }
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

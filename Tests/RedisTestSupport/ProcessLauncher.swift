import Foundation
import NIOConcurrencyHelpers

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
}

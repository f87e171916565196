/// What a finished child process left: its exit status and both output streams.
///
/// ```swift
/// let result = try Command.run("/usr/bin/git", ["status"])
/// #expect(result.status == 0, "\(result.error)")
/// ```
struct CommandResult: Sendable {
    var status: Int32
    var output: String
    var error: String

    /// Both streams, for a failure message.
    var transcript: String { "exit \(self.status)\n--- stdout\n\(self.output)\n--- stderr\n\(self.error)" }
}

import NIOCore

/// Every Redis 7 command and subcommand, generated from a real server (see `Scripts/gen-command-table`).
///
/// Lookups compare names case-insensitively and allocate nothing: the name's bytes are packed into a small
/// fixed-size key and hashed.
///
/// ```swift
/// let arguments = ["client", "SETNAME", "worker-1"].map { ByteBuffer(string: $0) }
/// let spec = RESPCommandTable.lookup(arguments: arguments)
/// assert(spec?.name == "client|setname")
/// assert(spec?.traits.contains(.sessionState) == true)
/// ```
public enum RESPCommandTable {
    /// The top-level commands, sorted by name; containers hold their subcommands.
    public static let commands: [RESPCommandSpec] = Self.generatedCommands

    /// Every command and every subcommand.
    public static let allCommands: [RESPCommandSpec] = Self.commands.flatMap { [$0] + $0.subcommands }

    private static let index = RESPCommandNameIndex(
        Self.commands.enumerated().compactMap { position, command in
            RESPCommandNameKey(command.name.utf8).map { (key: $0, position: position) }
        }
    )

    /// The top-level command named by `name`'s readable bytes, ignoring case.
    public static func lookup(_ name: ByteBuffer) -> RESPCommandSpec? {
        let key = name.withUnsafeReadableBytes { RESPCommandNameKey($0) }
        return key.flatMap { Self.index[$0] }.map { Self.commands[$0] }
    }

    /// The command named `name`, ignoring case; `container|subcommand` names a subcommand.
    ///
    /// ```swift
    /// assert(RESPCommandTable.lookup("Config|Get")?.arity == -3)
    /// ```
    public static func lookup(_ name: some StringProtocol) -> RESPCommandSpec? {
        let utf8 = name.utf8
        guard let bar = utf8.firstIndex(of: UInt8(ascii: "|")) else {
            return RESPCommandNameKey(utf8).flatMap { Self.index[$0] }.map { Self.commands[$0] }
        }
        let container = RESPCommandNameKey(utf8[..<bar]).flatMap { Self.index[$0] }.map { Self.commands[$0] }
        return container?.subcommand(name[name.index(after: bar)...])
    }

    /// The command a request runs: its first argument names the command and, for a container such as
    /// `CONFIG` or `CLIENT`, its second argument the subcommand. Nil for an unknown command or subcommand,
    /// which Redis refuses.
    public static func lookup<Arguments: RandomAccessCollection>(
        arguments: Arguments
    ) -> RESPCommandSpec? where Arguments.Element == ByteBuffer, Arguments.Index == Int {
        guard let name = arguments.first, let command = Self.lookup(name) else { return nil }
        guard !command.subcommands.isEmpty, arguments.count > 1 else { return command }
        return command.subcommand(arguments[arguments.startIndex + 1])
    }
}

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

    /// The top-level command named by the first element of `request`, an array whose first element is a bulk
    /// string; nil for another frame or an unknown name. It reads the frame's bytes in place, without the slices
    /// ``RESPToken/value`` makes: the cheapest way for a proxy to route a request. A container such as `CONFIG`
    /// comes back as the container; ``lookup(arguments:)`` finds its subcommand.
    ///
    /// ```swift
    /// let request = try RESPToken(validating: ByteBuffer(string: "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"))!
    /// assert(RESPCommandTable.lookup(commandOf: request)?.name == "get")
    /// ```
    public static func lookup(commandOf request: RESPToken) -> RESPCommandSpec? {
        Self.readHead(of: request.base, withFirstArgument: false)?.command
    }

    /// The request's argument count, its top-level command and the argument after the name, read in place like
    /// ``lookup(commandOf:)``: what a sharding proxy needs to route a command whose key comes first, without
    /// decoding the other arguments. Nil when `request` is not an array of bulk strings that starts with a name.
    ///
    /// ```swift
    /// let request = try RESPToken(validating: ByteBuffer(string: "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"))!
    /// let head = RESPCommandTable.head(of: request)
    /// assert(head?.command?.name == "set" && head?.argumentCount == 3)
    /// assert(head?.firstArgument == ByteBuffer(string: "k"))
    /// ```
    public static func head(of request: RESPToken) -> RESPRequestHead? {
        Self.readHead(of: request.base, withFirstArgument: true)
    }

    /// "*<count>\r\n$<length>\r\n<name>\r\n[$<length>\r\n<first argument>\r\n]...", with count > 0.
    @inline(__always)
    private static func readHead(of base: ByteBuffer, withFirstArgument: Bool) -> RESPRequestHead? {
        let layout = base.withUnsafeReadableBytes {
            bytes -> (count: Int, name: RESPCommandNameKey?, argument: Range<Int>?)? in
            guard bytes.count >= 4, bytes[0] == UInt8(ascii: "*") else { return nil }
            var position = 1
            var count = 0
            guard Self.readDecimal(bytes, at: &position, into: &count), count > 0,
                position < bytes.count, bytes[position] == UInt8(ascii: "$")
            else { return nil }
            position += 1
            var length = 0
            guard Self.readDecimal(bytes, at: &position, into: &length), position + length <= bytes.count else {
                return nil
            }
            let name = RESPCommandNameKey(UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)]))
            guard withFirstArgument, count > 1 else { return (count, name, nil) }
            position += length + 2
            guard position < bytes.count, bytes[position] == UInt8(ascii: "$") else { return nil }
            position += 1
            var argumentLength = 0
            guard Self.readDecimal(bytes, at: &position, into: &argumentLength),
                position + argumentLength <= bytes.count
            else { return nil }
            return (count, name, position..<(position + argumentLength))
        }
        guard let layout else { return nil }
        return RESPRequestHead(
            argumentCount: layout.count,
            command: layout.name.flatMap { Self.index[$0] }.map { Self.commands[$0] },
            firstArgument: layout.argument.flatMap {
                base.getSlice(at: base.readerIndex + $0.lowerBound, length: $0.count)
            }
        )
    }

    /// Reads the digits at `position` and the CRLF after them, leaving `position` past it; false for anything else.
    private static func readDecimal(
        _ bytes: UnsafeRawBufferPointer,
        at position: inout Int,
        into value: inout Int
    ) -> Bool {
        let start = position
        while position < bytes.count, bytes[position] != 0x0D {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit < 10, position - start < 18 else { return false }
            value = value * 10 + Int(digit)
            position += 1
        }
        guard position > start, position + 1 < bytes.count else { return false }
        position += 2
        return true
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

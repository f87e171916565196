import NIOCore

/// The start of a request, read in place by ``RESPCommandTable/head(of:)``: how many arguments it has, the
/// command its name selects, and the argument after the name.
///
/// ```swift
/// if let head = RESPCommandTable.head(of: request), let key = head.firstArgument,
///     head.command?.keyRange(argumentCount: head.argumentCount) == RESPKeyRange(lowerBound: 1, upperBound: 1, step: 1)
/// {
///     route(request, byKey: key)
/// }
/// ```
public struct RESPRequestHead: Sendable {
    /// The number of arguments, the name included.
    public var argumentCount: Int
    /// The top-level command the name selects; nil for a name Redis does not know. A container such as `CONFIG`
    /// comes back as the container, as from ``RESPCommandTable/lookup(commandOf:)``.
    public var command: RESPCommandSpec?
    /// The argument after the name, a slice of the request's bytes; nil for a request of one argument.
    public var firstArgument: ByteBuffer?

    /// Creates a head from its parts.
    public init(argumentCount: Int, command: RESPCommandSpec?, firstArgument: ByteBuffer?) {
        self.argumentCount = argumentCount
        self.command = command
        self.firstArgument = firstArgument
    }
}

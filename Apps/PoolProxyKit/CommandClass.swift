import RESPCodec

/// The `command_class` label of `proxy_requests_total`: a handful of values, so the series stay few.
enum CommandClass: Int, CaseIterable, Sendable {
    case read
    case write
    case admin
    case pubsub
    case transaction
    case blocking
    case other
    case unknown

    init(_ command: RESPCommandSpec?) {
        guard let command else {
            self = .unknown
            return
        }
        let traits = command.traits
        if traits.contains(.blocking) {
            self = .blocking
        } else if traits.contains(.transaction) {
            self = .transaction
        } else if command.flags.contains(.pubsub) {
            self = .pubsub
        } else if command.flags.contains(.admin) {
            self = .admin
        } else if command.flags.contains(.write) {
            self = .write
        } else if command.flags.contains(.readonly) {
            self = .read
        } else {
            self = .other
        }
    }

    var label: String { String(describing: self) }
}

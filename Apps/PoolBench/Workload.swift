import NIOCore

/// Everything that decides *what* is sent: the command mix, the keys and the values.
///
/// ```swift
/// let workload = Workload(keyPrefix: "key:", keyRange: 0...999, keyPattern: .uniform,
///                         dataSize: DataSize(32...32), mix: .ratio(RatioScheduler(sets: 1, gets: 10)))
/// var generator = workload.makeGenerator(connection: 0, of: 4, seed: 1)
/// ```
struct Workload: Sendable {
    enum Mix: Sendable {
        /// SET `__key__` `__data__` and GET `__key__`, in a set:get ratio.
        case ratio(RatioScheduler)
        /// One command template for every request.
        case template(CommandTemplate)
    }

    var keyPrefix: String
    var keyRange: ClosedRange<Int64>
    var keyPattern: KeyPattern
    var dataSize: DataSize
    var mix: Mix

    static let setTemplate = try! CommandTemplate(parsing: "SET __key__ __data__")
    static let getTemplate = try! CommandTemplate(parsing: "GET __key__")

    /// Report rows, in order; a request's command index points into this list.
    var commandNames: [String] {
        switch self.mix {
        case .ratio: ["SET", "GET"]
        case .template(let template): [template.name]
        }
    }

    func makeGenerator(connection: Int, of connections: Int, seed: UInt64) -> WorkloadGenerator {
        WorkloadGenerator(workload: self, connection: connection, of: connections, seed: seed)
    }
}

/// What one pool achieved with one number of tasks on one pool size.
struct ScenarioResult {
    var pool: String
    var tasks: Int
    var size: Int
    var operationsPerSecond: Double
    var medianNanoseconds: Double
    var p99Nanoseconds: Double
}

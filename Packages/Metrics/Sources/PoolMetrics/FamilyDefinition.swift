/// What a metric family was registered with; two registrations of one name must agree on all of it.
struct FamilyDefinition: Sendable, Hashable {
    var name: String
    var help: String
    var type: MetricType
    var labelNames: [String]
    var maxSeries: Int
    var buckets: [Double]
}

/// A metric family as the registry sees it, whatever its metric type.
protocol RegisteredFamily: Sendable {
    var definition: FamilyDefinition { get }
    func snapshot() -> MetricFamilySnapshot
}

extension MetricFamily: RegisteredFamily {}

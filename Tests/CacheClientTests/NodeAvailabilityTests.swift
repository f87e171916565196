import CacheClient
import Testing

@Suite struct NodeAvailabilityTests {
    @Test func aNewNodeIsRoutableUntilChecksFail() {
        var availability = NodeAvailability()
        #expect(availability.isRoutable && availability.refusal == nil)
        let changed = availability.apply(.unhealthy)
        #expect(changed)
        #expect(!availability.isRoutable)
        #expect(availability.refusal == "failing health checks")
        let back = availability.apply(.healthy)
        #expect(back && availability.isRoutable)
    }

    @Test func anEjectedNodeNeedsRestoringEvenWhenHealthy() {
        var availability = NodeAvailability()
        availability.apply(.healthy)
        availability.apply(.ejected)
        #expect(!availability.isRoutable)
        let healthyChanged = availability.apply(.healthy)
        #expect(!healthyChanged)
        #expect(!availability.isRoutable)
        let restored = availability.apply(.restored)
        #expect(restored)
        #expect(availability.isRoutable)
    }
}

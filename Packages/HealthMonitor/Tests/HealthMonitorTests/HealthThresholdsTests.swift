import Testing

@testable import HealthMonitor

@Suite struct HealthThresholdsTests {
    @Test func newEndpointIsHealthyAfterOneSuccess() {
        var thresholds = HealthThresholds(healthy: 3, unhealthy: 2)
        #expect(thresholds.isHealthy == nil)
        #expect(thresholds.record(success: true) == true)
        #expect(thresholds.isHealthy == true)
    }

    @Test func flipsOnlyAfterConsecutiveResults() {
        var thresholds = HealthThresholds(healthy: 2, unhealthy: 3)
        thresholds.record(success: true)
        #expect(thresholds.record(success: false) == nil)
        #expect(thresholds.record(success: false) == nil)
        #expect(thresholds.record(success: true) == nil)  // the run of failures is broken
        #expect(thresholds.record(success: false) == nil)
        #expect(thresholds.record(success: false) == nil)
        #expect(thresholds.record(success: false) == false)
        #expect(thresholds.record(success: true) == nil)
        #expect(thresholds.record(success: true) == true)
    }

    @Test func newEndpointThatNeverAnswersBecomesUnhealthy() {
        var thresholds = HealthThresholds(healthy: 1, unhealthy: 2)
        #expect(thresholds.record(success: false) == nil)
        #expect(thresholds.record(success: false) == false)
    }
}

import Testing

@testable import HealthMonitor

@Suite struct OutlierDetectionConfigurationTests {
    @Test func twemproxyPresetEjectsForAFixedTimeWithoutALimitOnHowMany() {
        let detection = OutlierDetectionConfiguration.twemproxy(serverFailureLimit: 3, serverRetryTimeout: .seconds(7))
        #expect(detection.consecutiveFailures == 3)
        #expect(detection.successRate == nil)
        #expect(detection.baseEjectionTime == .seconds(7))
        #expect(detection.maxEjectionTime == .seconds(7))
        #expect(detection.maxEjectionPercent == 100)
    }

    @Test func twemproxyDefaultsMatchNutcracker() {
        let detection = OutlierDetectionConfiguration.twemproxy()
        #expect(detection.consecutiveFailures == 2)
        #expect(detection.baseEjectionTime == .seconds(30))
    }
}

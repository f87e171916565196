import Testing

@testable import PoolCore

@Suite struct ConnectionPoolConfigurationTests {
    @Test func defaultsAreValid() throws {
        try ConnectionPoolConfiguration().validate()
    }

    @Test func contradictionsAreNamed() {
        var configuration = ConnectionPoolConfiguration()
        configuration.hardMaximumConnections = 4
        configuration.softMaximumConnections = 8
        #expect(throws: ConnectionPoolConfiguration.ValidationError.self) { try configuration.validate() }
        configuration = ConnectionPoolConfiguration()
        configuration.minimumIdleConnections = 20
        do {
            try configuration.validate()
            Issue.record("expected a validation error")
        } catch {
            #expect(error.description.contains("minimumIdleConnections"))
        }
    }
}

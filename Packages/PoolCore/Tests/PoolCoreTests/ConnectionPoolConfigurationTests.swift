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

    @Test(arguments: [
        "maximumLeasesPerConnection", "lifetimeJitter", "dialBackoffJitter", "dialBackoffMaximum",
        "maximumIdleConnections", "acquireTimeout",
    ])
    func eachContradictionNamesItsSetting(setting: String) throws {
        var configuration = ConnectionPoolConfiguration()
        switch setting {
        case "maximumLeasesPerConnection": configuration.maximumLeasesPerConnection = 0
        case "lifetimeJitter": configuration.lifetimeJitter = .seconds(60 * 60)
        case "dialBackoffJitter": configuration.dialBackoffJitter = 1.5
        case "dialBackoffMaximum": configuration.dialBackoffMaximum = .milliseconds(1)
        case "maximumIdleConnections":
            configuration.minimumIdleConnections = 4
            configuration.maximumIdleConnections = 2
        default: configuration.acquireTimeout = .zero
        }
        let error = try #require(throws: ConnectionPoolConfiguration.ValidationError.self) {
            try configuration.validate()
        }
        #expect(error.description.hasPrefix(setting))
    }
}

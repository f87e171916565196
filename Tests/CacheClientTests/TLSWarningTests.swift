import CacheClient
import Logging
import NIOConcurrencyHelpers
import Testing

/// Turning TLS verification off is allowed, and said out loud.
@Suite struct TLSWarningTests {
    private final class Lines: Sendable {
        let text = NIOLockedValueBox<[String]>([])
    }

    private struct Handler: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            self.lines.text.withLockedValue { $0.append("\(event.level) \(event.message)") }
        }
    }

    @Test func verificationOffIsLoggedAsAWarning() throws {
        let lines = Lines()
        let logger = Logger(label: "test") { _ in Handler(lines: lines) }
        var configuration = CacheClientConfiguration.default
        configuration.tls = CacheTLSConfiguration(isEnabled: true, verifiesCertificates: false)
        _ = try CacheClient(configuration: configuration, logger: logger)
        #expect(
            lines.text.withLockedValue { $0 }.contains { $0.hasPrefix("warning") && $0.contains("verification is OFF") }
        )

        configuration.tls = CacheTLSConfiguration(isEnabled: true)
        let quiet = Lines()
        _ = try CacheClient(configuration: configuration, logger: Logger(label: "test") { _ in Handler(lines: quiet) })
        #expect(quiet.text.withLockedValue { $0 }.isEmpty, "verified TLS says nothing")
    }
}

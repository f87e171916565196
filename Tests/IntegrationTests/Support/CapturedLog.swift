import Logging
import NIOConcurrencyHelpers

/// Every log line a logger writes, message and metadata, so a test can check what reached the log.
///
/// ```swift
/// let log = CapturedLog()
/// let logger = log.logger(level: .trace)
/// // ... run the proxy with `logger` ...
/// #expect(!log.text.contains("s3cret"))
/// ```
final class CapturedLog: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "captured") { _ in Handler(log: self) }
        logger.logLevel = level
        return logger
    }

    var text: String { self.lines.withLockedValue { $0.joined(separator: "\n") } }

    func append(_ line: String) {
        self.lines.withLockedValue { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
            self.log.append("\(event.level) \(event.message) \(merged)")
        }
    }
}

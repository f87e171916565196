import NIOConcurrencyHelpers
import NIOCore
import RESPCodec

/// What ``FuzzBackend`` answers, and what it received, shared by its connections.
///
/// In ``Mode/echo`` each request is answered with a bulk string holding that request's bytes, so a client can
/// tell which request each reply answers. In ``Mode/play(_:)`` a connection stays silent until a request names
/// ``marker``, then writes the given bytes as its replies and closes.
///
/// ```swift
/// script.setMode(.play(Array("+OK\r\n".utf8)))
/// let record = script.takeRecord()
/// ```
final class FuzzBackendScript: Sendable {
    enum Mode: Sendable {
        case echo
        case play([UInt8])
    }

    struct Record: Sendable {
        var frames: [ByteBuffer] = []
        var malformed: [String] = []
    }

    /// The argument that makes a connection in ``Mode/play(_:)`` answer.
    static let marker = "fuzz:last"

    let limits: RESPParser.Limits
    private let state = NIOLockedValueBox<(mode: Mode, record: Record)>((.echo, Record()))

    init(limits: RESPParser.Limits) {
        self.limits = limits
    }

    var mode: Mode { self.state.withLockedValue { $0.mode } }

    func setMode(_ mode: Mode) {
        self.state.withLockedValue { $0.mode = mode }
    }

    /// What arrived since the last call, and forgets it.
    func takeRecord() -> Record {
        self.state.withLockedValue { state in
            defer { state.record = Record() }
            return state.record
        }
    }

    func received(_ frame: ByteBuffer) {
        self.state.withLockedValue { $0.record.frames.append(frame) }
    }

    func receivedMalformed(_ description: String) {
        self.state.withLockedValue { $0.record.malformed.append(description) }
    }
}

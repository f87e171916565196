import NIOCore
import RESPCodec

/// Merges the parts of a split request into one reply. A pure function of the parts, so it is unit-tested
/// without any server.
///
/// An error part wins: the client sees the first error, in server order, as twemproxy does.
enum ReplyMerger {
    static func merge(_ parts: [RESPToken], kind: ReplyMergeKind) -> ByteBuffer {
        for part in parts {
            switch part.value {
            case .simpleError, .bulkError: return part.base
            default: continue
            }
        }
        switch kind {
        case .arrayByPosition(let positions, let count):
            return Self.arrayByPosition(parts, positions: positions, count: count)
        case .sumOfIntegers:
            var sum: Int64 = 0
            for part in parts {
                guard case .integer(let value) = part.value else { return Self.unexpected(part) }
                sum &+= value
            }
            return ProxyReply.integer(sum)
        case .allOK:
            for part in parts {
                guard case .simpleString(let text) = part.value, text.readableBytesView.elementsEqual("OK".utf8)
                else { return Self.unexpected(part) }
            }
            return ProxyReply.ok
        case .concatenatedArrays:
            var total = 0
            for part in parts {
                guard case .array(let elements) = part.value else { return Self.unexpected(part) }
                total += elements.count
            }
            var buffer = ByteBuffer()
            buffer.writeString("*\(total)\r\n")
            for part in parts {
                guard case .array(let elements) = part.value else { continue }
                for element in elements { buffer.writeImmutableBuffer(element.base) }
            }
            return buffer
        case .scan(let server, let serverCount):
            return Self.scan(parts.first, server: server, serverCount: serverCount)
        case .info(let proxySection):
            return Self.info(parts, proxySection: proxySection)
        }
    }

    /// RESP2 servers answer INFO with a bulk string, RESP3 servers with a `txt` verbatim string; the merged reply
    /// keeps the servers' form.
    private static func info(_ parts: [RESPToken], proxySection: String?) -> ByteBuffer {
        var reports: [String] = []
        var verbatim = false
        for part in parts {
            switch part.value {
            case .bulkString(let text):
                reports.append(String(buffer: text))
            case .verbatimString(var text):
                verbatim = true
                text.moveReaderIndex(forwardBy: min(4, text.readableBytes))
                reports.append(String(buffer: text))
            default:
                return Self.unexpected(part)
            }
        }
        let merged = InfoMerger.merge(reports, proxySection: proxySection)
        var buffer = ByteBuffer()
        if verbatim {
            buffer.writeString("=\(merged.utf8.count + 4)\r\ntxt:")
        } else {
            buffer.writeString("$\(merged.utf8.count)\r\n")
        }
        buffer.writeString(merged)
        buffer.writeStaticString("\r\n")
        return buffer
    }

    private static func arrayByPosition(_ parts: [RESPToken], positions: [[Int]], count: Int) -> ByteBuffer {
        var elements = [ByteBuffer?](repeating: nil, count: count)
        for (part, partPositions) in zip(parts, positions) {
            guard case .array(let array) = part.value, array.count == partPositions.count else {
                return Self.unexpected(part)
            }
            for (element, position) in zip(array, partPositions) { elements[position] = element.base }
        }
        var buffer = ByteBuffer()
        buffer.writeString("*\(count)\r\n")
        for element in elements {
            if let element { buffer.writeImmutableBuffer(element) } else { buffer.writeStaticString("$-1\r\n") }
        }
        return buffer
    }

    private static func scan(_ part: RESPToken?, server: Int, serverCount: Int) -> ByteBuffer {
        guard let part, case .array(let array) = part.value, array.count == 2 else {
            return part.map(Self.unexpected) ?? ProxyReply.proxyError("missing SCAN reply")
        }
        var iterator = array.makeIterator()
        guard let cursorToken = iterator.next(), let keys = iterator.next(),
            case .bulkString(let cursorBytes) = cursorToken.value,
            let backendCursor = UInt64(String(buffer: cursorBytes))
        else { return Self.unexpected(part) }
        let cursor: UInt64
        if backendCursor == 0 {
            cursor =
                server + 1 < serverCount
                ? ScanCursor.encode(backend: 0, server: server + 1, serverCount: serverCount) ?? 0 : 0
        } else {
            guard let encoded = ScanCursor.encode(backend: backendCursor, server: server, serverCount: serverCount)
            else { return ProxyReply.proxyError("SCAN cursor \(backendCursor) from a backend is too large to route") }
            cursor = encoded
        }
        var buffer = ByteBuffer()
        let text = String(cursor)
        buffer.writeString("*2\r\n$\(text.utf8.count)\r\n\(text)\r\n")
        buffer.writeImmutableBuffer(keys.base)
        return buffer
    }

    private static func unexpected(_ part: RESPToken) -> ByteBuffer {
        ProxyReply.proxyError(
            "unexpected reply type '\(Character(UnicodeScalar(part.typeIdentifier.rawValue)))' from a backend"
        )
    }
}

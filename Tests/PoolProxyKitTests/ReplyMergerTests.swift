import NIOCore
import RESPCodec
import Testing

@testable import PoolProxyKit

@Suite struct ReplyMergerTests {
    private func token(_ text: String) -> RESPToken {
        try! RESPToken(validating: ByteBuffer(string: text))!
    }

    private func merge(_ parts: [String], _ kind: ReplyMergeKind) -> String {
        String(buffer: ReplyMerger.merge(parts.map(self.token), kind: kind))
    }

    @Test func mgetPutsEveryValueBackInTheClientsKeyOrder() {
        // Keys 0 and 2 went to one server, key 1 and 3 to another.
        let merged = self.merge(
            ["*2\r\n$1\r\na\r\n$-1\r\n", "*2\r\n$1\r\nb\r\n$1\r\nd\r\n"],
            .arrayByPosition(positions: [[0, 2], [1, 3]], count: 4)
        )
        #expect(merged == "*4\r\n$1\r\na\r\n$1\r\nb\r\n$-1\r\n$1\r\nd\r\n")
    }

    @Test func integersAddUp() {
        #expect(self.merge([":2\r\n", ":0\r\n", ":5\r\n"], .sumOfIntegers) == ":7\r\n")
    }

    @Test func okOnlyWhenEveryPartSaysOK() {
        #expect(self.merge(["+OK\r\n", "+OK\r\n"], .allOK) == "+OK\r\n")
        #expect(self.merge(["+OK\r\n", ":1\r\n"], .allOK).hasPrefix("-ERR pool-proxy: unexpected reply type ':'"))
    }

    @Test func theFirstErrorWins() {
        let merged = self.merge([":1\r\n", "-ERR first\r\n", "-ERR second\r\n"], .sumOfIntegers)
        #expect(merged == "-ERR first\r\n")
    }

    @Test func keysConcatenateInServerOrder() {
        let merged = self.merge(["*1\r\n$1\r\na\r\n", "*0\r\n", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"], .concatenatedArrays)
        #expect(merged == "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n")
    }

    @Test func anArrayOfTheWrongLengthIsAnErrorNotACrash() {
        let merged = self.merge(["*1\r\n$1\r\na\r\n"], .arrayByPosition(positions: [[0, 1]], count: 2))
        #expect(merged.hasPrefix("-ERR pool-proxy: unexpected reply"))
    }

    @Test func scanMovesToTheNextServerWhenOneIsDone() {
        // Server 0 of 3 finished: continue on server 1 at cursor 0, encoded as 0 * 3 + 1.
        #expect(
            self.merge(["*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n"], .scan(server: 0, serverCount: 3))
                == "*2\r\n$1\r\n1\r\n*1\r\n$1\r\nk\r\n"
        )
        // The last server finished: the whole scan is over.
        #expect(self.merge(["*2\r\n$1\r\n0\r\n*0\r\n"], .scan(server: 2, serverCount: 3)) == "*2\r\n$1\r\n0\r\n*0\r\n")
        // Mid-way through server 1: backend cursor 17 becomes 17 * 3 + 1.
        #expect(
            self.merge(["*2\r\n$2\r\n17\r\n*0\r\n"], .scan(server: 1, serverCount: 3)) == "*2\r\n$2\r\n52\r\n*0\r\n"
        )
    }

    @Test func scanCursorsRoundTrip() {
        for serverCount in 1...5 {
            for server in 0..<serverCount {
                for backend: UInt64 in [0, 1, 17, 1 << 40] {
                    let cursor = ScanCursor.encode(backend: backend, server: server, serverCount: serverCount)!
                    let decoded = ScanCursor.decode(cursor, serverCount: serverCount)
                    #expect(decoded.server == server && decoded.backend == backend)
                }
            }
        }
        #expect(ScanCursor.encode(backend: .max, server: 1, serverCount: 2) == nil)
    }
}

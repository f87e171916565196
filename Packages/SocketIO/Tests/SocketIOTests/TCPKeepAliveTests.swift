import NIOCore
import Testing

@testable import SocketIO

@Suite struct TCPKeepAliveTests {
    @Test func switchesKeepAliveOnWithTheGivenTimings() {
        let options = TCPKeepAlive(idle: .seconds(60), interval: .seconds(10), count: 3).socketOptions
        #expect(options.count == 4)
        #expect(options[0].0 == ChannelOptions.Types.SocketOption(level: .socket, name: .so_keepalive))
        #expect(options.map(\.1) == [1, 60, 10, 3])
    }

    @Test func roundsUpToWholeSecondsAndNeverToZero() {
        let options = TCPKeepAlive(idle: .milliseconds(1_500), interval: .milliseconds(10), count: 0).socketOptions
        #expect(options.map(\.1) == [1, 2, 1, 1])
    }
}

import Testing

@testable import SocketIO

@Suite struct RESPHandshakeTests {
    @Test func theDefaultSendsNothing() {
        #expect(RESPHandshake().commands.isEmpty)
    }

    @Test func respTwoAuthenticatesWithAUTH() {
        #expect(RESPHandshake(password: "pw").commands == [["AUTH", "pw"]])
        #expect(RESPHandshake(username: "app", password: "pw").commands == [["AUTH", "app", "pw"]])
    }

    @Test func respThreeAuthenticatesInsideHELLO() {
        #expect(
            RESPHandshake(password: "pw", protocolVersion: 3).commands == [["HELLO", "3", "AUTH", "default", "pw"]]
        )
        #expect(RESPHandshake(protocolVersion: 3).commands == [["HELLO", "3"]])
    }

    @Test func everythingGoesOutInOrder() {
        let handshake = RESPHandshake(username: "app", password: "pw", protocolVersion: 3, database: 4, clientName: "x")
        #expect(
            handshake.commands == [
                ["HELLO", "3", "AUTH", "app", "pw"], ["SELECT", "4"], ["CLIENT", "SETNAME", "x"],
            ]
        )
    }
}

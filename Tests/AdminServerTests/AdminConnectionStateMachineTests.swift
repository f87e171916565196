import Testing

@testable import AdminServer

@Suite struct AdminConnectionStateMachineTests {
    @Test func answersThenWaitsForTheNextRequest() {
        var machine = AdminConnectionStateMachine()
        machine.receivedHead(keepAlive: true)
        let answered = machine.receivedEnd()
        #expect(answered)
        #expect(machine.responseReady(serverClosing: false) == .write(keepAlive: true))
        let answeredWithoutRequest = machine.receivedEnd()
        #expect(!answeredWithoutRequest)
        machine.receivedHead(keepAlive: true)
        let answeredNext = machine.receivedEnd()
        #expect(answeredNext)
    }

    @Test func closesWhenTheClientOrTheServerAsks() {
        var machine = AdminConnectionStateMachine()
        machine.receivedHead(keepAlive: false)
        _ = machine.receivedEnd()
        #expect(machine.responseReady(serverClosing: false) == .write(keepAlive: false))

        var closing = AdminConnectionStateMachine()
        closing.receivedHead(keepAlive: true)
        _ = closing.receivedEnd()
        #expect(closing.responseReady(serverClosing: true) == .write(keepAlive: false))
    }

    @Test func idleTimeoutSparesARequestBeingAnswered() {
        var machine = AdminConnectionStateMachine()
        #expect(machine.idleTimeout() == .close)

        var busy = AdminConnectionStateMachine()
        busy.receivedHead(keepAlive: true)
        #expect(busy.idleTimeout() == .close)

        var answering = AdminConnectionStateMachine()
        answering.receivedHead(keepAlive: true)
        _ = answering.receivedEnd()
        #expect(answering.idleTimeout() == .ignore)
    }

    @Test func dropsAResponseForAGoneConnection() {
        var machine = AdminConnectionStateMachine()
        machine.receivedHead(keepAlive: true)
        _ = machine.receivedEnd()
        machine.channelInactive()
        #expect(machine.responseReady(serverClosing: false) == .drop)
    }
}

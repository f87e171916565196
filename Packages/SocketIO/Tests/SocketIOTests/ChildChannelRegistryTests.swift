import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

@testable import SocketIO

/// The registry's closing phases, on embedded channels: who is admitted, drained or refused, and when a closing
/// listener may return.
@Suite struct ChildChannelRegistryTests {
    /// Whether `whenEmpty()` has returned, watched from a task.
    final class Flag: Sendable {
        private let box = NIOLockedValueBox(false)
        var isSet: Bool { self.box.withLockedValue { $0 } }
        func set() { self.box.withLockedValue { $0 = true } }
    }

    private static func admission(
        _ registry: ChildChannelRegistry,
        returning: Bool = false
    ) -> (
        EmbeddedChannel, ChildChannelRegistry.Admission
    ) {
        let channel = EmbeddedChannel()
        return (channel, registry.admit(channel, returning: returning))
    }

    @Test func clientsAcceptedWhileClosingAreDrainedAndOnlyThoseAfterTheGracePeriodAreRefused() throws {
        let registry = ChildChannelRegistry(maximum: 10)
        let (first, admittedOpen) = Self.admission(registry)
        #expect(admittedOpen == .admitted)

        registry.beginClosing()
        let (second, admittedClosing) = Self.admission(registry)
        #expect(admittedClosing == .admitted, "accepted before the listener stopped: served like the others")
        #expect(!registry.park(first), "nobody parks once the listener is closing")

        let asked = registry.beginDraining()
        #expect(Set(asked.map { ObjectIdentifier($0) }) == Set([first, second].map { ObjectIdentifier($0) }))
        let (third, admittedDraining) = Self.admission(registry)
        #expect(admittedDraining == .drain, "set up after the others were asked to finish: asked at once")

        let closed = registry.forceClose()
        #expect(closed.count == 3)
        let (_, admittedLate) = Self.admission(registry)
        #expect(admittedLate == .refused)
        #expect(registry.count == 3, "a refused channel is not counted")
        for channel in [first, second, third] { _ = try channel.finish() }
        #expect(registry.count == 0)
    }

    @Test func theLimitStillHoldsWhileClosing() {
        let registry = ChildChannelRegistry(maximum: 1)
        let (channel, admitted) = Self.admission(registry)
        #expect(admitted == .admitted)
        registry.beginClosing()
        _ = registry.beginDraining()
        #expect(Self.admission(registry).1 == .overLimit)
        _ = try? channel.finish()
    }

    @Test func aParkedClientComingBackIsNeverOverTheLimit() {
        let registry = ChildChannelRegistry(maximum: 1)
        let (channel, _) = Self.admission(registry)
        #expect(registry.park(channel))
        #expect(registry.count == 1)
        #expect(registry.parkedCount == 1)
        #expect(Self.admission(registry).1 == .overLimit, "the parked client holds the only place")
        let (returned, admitted) = Self.admission(registry, returning: true)
        #expect(admitted == .admitted)
        #expect(registry.parkedCount == 0)
        #expect(registry.count == 1)
        _ = try? channel.finish()
        _ = try? returned.finish()
    }

    @Test func whenEmptyWaitsForEveryClientAndEverySocketOnItsWay() async throws {
        let registry = ChildChannelRegistry(maximum: 10)
        let (channel, _) = Self.admission(registry)
        registry.beginAdoption()
        registry.beginClosing()
        _ = registry.beginDraining()

        let returned = Flag()
        let waiter = Task {
            await registry.whenEmpty()
            returned.set()
        }
        _ = try channel.finish()
        #expect(!returned.isSet, "a socket is still on its way to an event loop")
        let (adopted, admission) = Self.admission(registry)
        #expect(admission == .drain)
        registry.endAdoption()
        #expect(!returned.isSet, "the adopted client is still connected")
        _ = try adopted.finish()
        await waiter.value
        #expect(returned.isSet)
        #expect(registry.count == 0)
    }

    @Test func whenEmptyReturnsAtOnceForAListenerWithNobody() async {
        let registry = ChildChannelRegistry(maximum: 10)
        registry.beginClosing()
        _ = registry.beginDraining()
        await registry.whenEmpty()
        #expect(registry.count == 0)
    }
}

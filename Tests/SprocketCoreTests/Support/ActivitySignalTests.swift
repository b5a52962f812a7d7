import SprocketCore
import Testing

@Suite("ActivitySignal: one-slot wake-ups with a timeout")
struct ActivitySignalTests {
    @Test("a signal sent before the wait is kept, once: many signals make one wake-up")
    func pendingSignalCollapses() async {
        let signal = ActivitySignal()
        signal.signal()
        signal.signal()
        #expect(await signal.wait(upTo: .seconds(30)))
        #expect(await signal.wait(upTo: .milliseconds(50)) == false)
    }

    @Test("a wait with no signal ends with false after its limit")
    func timesOut() async {
        #expect(await ActivitySignal().wait(upTo: .milliseconds(20)) == false)
    }

    @Test("a signal during the wait wakes it")
    func wakesWaiter() async {
        let signal = ActivitySignal()
        async let woke = signal.wait(upTo: .seconds(60))
        // The waiter may not be registered yet; either way the signal must reach it (pending or direct).
        try? await Task.sleep(for: .milliseconds(20))
        signal.signal()
        #expect(await woke)
    }

    @Test("cancelling the waiting task ends the wait with false")
    func cancellation() async {
        let signal = ActivitySignal()
        let waiter = Task { await signal.wait(upTo: .seconds(60)) }
        try? await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        #expect(await waiter.value == false)
    }
}

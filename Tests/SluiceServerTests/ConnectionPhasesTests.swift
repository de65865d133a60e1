import Testing

@testable import SluiceServer

/// The connection deadline state machine, with explicit instants.
@Suite struct ConnectionPhasesTests {
    let start = ContinuousClock.now
    let timeouts = HTTPTimeouts(idle: .seconds(60), header: .seconds(10), bodyProgress: .seconds(15))

    @Test func anIdleConnectionExpiresAfterTheIdleTimeout() {
        let phases = ConnectionPhases(timeouts: timeouts, now: start)
        #expect(phases.isIdle)
        #expect(phases.expired(at: start + .seconds(59)) == nil)
        #expect(phases.expired(at: start + .seconds(60)) == .idle)
    }

    @Test func theFirstByteStartsTheHeaderTimeout() {
        var phases = ConnectionPhases(timeouts: timeouts, now: start)
        phases.bytesArrived(start + .seconds(5))
        #expect(!phases.isIdle)
        #expect(phases.expired(at: start + .seconds(14)) == nil)
        #expect(phases.expired(at: start + .seconds(15)) == .header)
        // Later bytes of the same head do not extend it (a slowloris head).
        phases.bytesArrived(start + .seconds(14))
        #expect(phases.expired(at: start + .seconds(15)) == .header)
    }

    @Test func everyBodyReadRestartsTheBodyTimeoutAndHandlingHasNone() {
        var phases = ConnectionPhases(timeouts: timeouts, now: start)
        phases.bytesArrived(start)
        phases.headReceived(start + .seconds(1))
        phases.bodyRead(start + .seconds(10))
        #expect(phases.expired(at: start + .seconds(24)) == nil)
        #expect(phases.expired(at: start + .seconds(25)) == .body)
        phases.requestEnded()
        #expect(phases.deadline == nil)
        #expect(phases.expired(at: start + .seconds(10_000)) == nil)
    }

    @Test func afterTheAnswerTheConnectionIsIdleAgainUnlessTheNextRequestStarted() {
        var phases = ConnectionPhases(timeouts: timeouts, now: start)
        phases.headReceived(start)
        phases.requestEnded()
        phases.responseEnded(start + .seconds(2))
        #expect(phases.isIdle)
        #expect(phases.expired(at: start + .seconds(62)) == .idle)

        var pipelined = ConnectionPhases(timeouts: timeouts, now: start)
        pipelined.headReceived(start)
        pipelined.requestEnded()
        pipelined.bytesArrived(start + .seconds(1))
        pipelined.responseEnded(start + .seconds(2))
        #expect(!pipelined.isIdle)
        #expect(pipelined.expired(at: start + .seconds(12)) == .header)
    }

    @Test func anEarlyAnswerKeepsTheBodyDeadline() {
        var phases = ConnectionPhases(timeouts: timeouts, now: start)
        phases.headReceived(start)
        phases.responseEnded(start + .seconds(1))
        #expect(phases.expired(at: start + .seconds(15)) == .body)
    }
}

extension ConnectionPhasesTests {
    /// A second request read while the first is handled keeps the connection busy until both are answered.
    @Test func pipelinedRequestsKeepTheConnectionBusyUntilAllAreAnswered() {
        var phases = ConnectionPhases(timeouts: timeouts, now: start)
        phases.headReceived(start)
        phases.requestEnded()
        phases.bytesArrived(start + .seconds(1))
        phases.headReceived(start + .seconds(1))
        phases.requestEnded()
        phases.responseEnded(start + .seconds(2))
        #expect(!phases.isIdle)
        #expect(phases.deadline == nil)
        #expect(phases.expired(at: start + .seconds(1000)) == nil)
        phases.responseEnded(start + .seconds(3))
        #expect(phases.isIdle)
        #expect(phases.expired(at: start + .seconds(63)) == .idle)
    }
}

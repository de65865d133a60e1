import Delivery
import Testing

@Suite struct CopyScheduleTests {
    let hourly = CopySchedule.hourly(minute: 40)

    @Test(arguments: [
        // (now, next :40 strictly after it)
        (utc(2026, 11, 24, 10, 0), utc(2026, 11, 24, 10, 40)),
        (utc(2026, 11, 24, 10, 39, 59), utc(2026, 11, 24, 10, 40)),
        (utc(2026, 11, 24, 10, 40), utc(2026, 11, 24, 11, 40)),
        (utc(2026, 11, 24, 10, 41), utc(2026, 11, 24, 11, 40)),
        // day, month and year rollover
        (utc(2026, 11, 24, 23, 50), utc(2026, 11, 25, 0, 40)),
        (utc(2026, 11, 30, 23, 41), utc(2026, 12, 1, 0, 40)),
        (utc(2026, 12, 31, 23, 59, 59), utc(2027, 1, 1, 0, 40)),
        (utc(2028, 2, 28, 23, 45), utc(2028, 2, 29, 0, 40)),
    ])
    func slotIsTheNextMinute40(now: Int64, expected: Int64) {
        #expect(hourly.slot(after: now) == expected)
    }

    @Test func aFreshInstallWaitsForTheNextSlot() {
        #expect(hourly.nextRun(lastRun: nil, now: utc(2026, 11, 24, 10, 5)) == utc(2026, 11, 24, 10, 40))
    }

    @Test func afterARunTheNextIsAnHourLater() {
        let ranAt = utc(2026, 11, 24, 10, 40, 2)
        #expect(hourly.nextRun(lastRun: ranAt, now: utc(2026, 11, 24, 10, 52)) == utc(2026, 11, 24, 11, 40))
    }

    @Test func aRunMissedDuringDowntimeHappensAtOnceThenTheScheduleGoesOn() {
        let lastRun = utc(2026, 11, 24, 7, 40)
        let restart = utc(2026, 11, 24, 10, 55)
        // Three slots were missed; one catch-up run now (it delivers everything pending), not three.
        #expect(hourly.nextRun(lastRun: lastRun, now: restart) == restart)
        // The catch-up run is recorded as the last run; the next is the regular :40.
        #expect(hourly.nextRun(lastRun: restart, now: restart + 1000) == utc(2026, 11, 24, 11, 40))
    }

    @Test func catchUpAcrossMidnight() {
        let lastRun = utc(2026, 11, 24, 23, 40)
        let restart = utc(2026, 11, 25, 0, 41)
        #expect(hourly.nextRun(lastRun: lastRun, now: restart) == restart)
        #expect(hourly.nextRun(lastRun: lastRun, now: utc(2026, 11, 25, 0, 39)) == utc(2026, 11, 25, 0, 40))
    }

    @Test(arguments: [0, 15, 59])
    func otherMinutes(minute: Int) {
        let schedule = CopySchedule.hourly(minute: minute)
        let next = schedule.slot(after: utc(2026, 11, 24, 10, 30))
        let expected = minute > 30 ? utc(2026, 11, 24, 10, minute) : utc(2026, 11, 24, 11, minute)
        #expect(next == expected)
    }

    @Test func minutesOutOfRangeAreClamped() {
        #expect(CopySchedule.hourly(minute: 75) == CopySchedule.hourly(minute: 59))
        #expect(CopySchedule.hourly(minute: -3) == CopySchedule.hourly(minute: 0))
    }

    @Test func continuousModeRunsAnIntervalAfterTheLastStart() {
        let schedule = CopySchedule.continuous(everySeconds: 30)
        let t = utc(2026, 11, 24, 10, 0)
        #expect(schedule.nextRun(lastRun: t, now: t + 5_000) == t + 30_000)
        #expect(schedule.nextRun(lastRun: t, now: t + 90_000) == t + 90_000)
        #expect(schedule.nextRun(lastRun: nil, now: t) == t + 30_000)
    }

    @Test func backoffDoublesUpToItsCap() {
        let backoff = Backoff(baseMilliseconds: 500, capMilliseconds: 3_000)
        #expect((0...6).map(backoff.delay(attempt:)) == [0, 500, 1_000, 2_000, 3_000, 3_000, 3_000])
        #expect(Backoff.destination.delay(attempt: 100) == 1_800_000)
    }
}

package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PollIdleDetectorTest {

    private final PollIdleDetector detector = new PollIdleDetector();
    private long now = 1_000_000;

    /** Polls {@code n} times, {@code gap} instructions apart; returns whether the last one should wait. */
    private boolean poll(int n, long gap) {
        boolean idle = false;
        for (int i = 0; i < n; i++) {
            now += gap;
            idle = detector.emptyPoll(now);
        }
        return idle;
    }

    @Test
    void aRunOfCloseEmptyPollsEndsInAWait() {
        assertFalse(poll(PollIdleDetector.BUSY_POLLS, 100));
        assertTrue(poll(1, 100));
        assertTrue(poll(1, 100)); // and every poll after it, while nothing comes
    }

    @Test
    void pollsFartherApartThanTheGapNeverWait() {
        assertFalse(poll(10 * PollIdleDetector.BUSY_POLLS, PollIdleDetector.BUSY_GAP_INSTRUCTIONS + 1));
    }

    @Test
    void oneSlowPollStartsTheRunAgain() {
        poll(PollIdleDetector.BUSY_POLLS - 1, 100);
        poll(1, PollIdleDetector.BUSY_GAP_INSTRUCTIONS + 1);
        assertFalse(poll(PollIdleDetector.BUSY_POLLS - 1, 100));
        assertTrue(poll(1, 100));
    }

    @Test
    void inputStartsTheRunAgain() {
        poll(PollIdleDetector.BUSY_POLLS + 5, 100);
        detector.inputSeen();
        assertFalse(poll(PollIdleDetector.BUSY_POLLS, 100));
    }

    @Test
    void aWaitDoesNotCountAsAGap() {
        assertTrue(poll(PollIdleDetector.BUSY_POLLS + 1, 100));
        now += 50; // the wait itself takes few instructions however long it lasts in time
        detector.waited(now);
        assertTrue(poll(1, 100));
    }
}

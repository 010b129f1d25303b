package dev.strata.emulator.machine;

import dev.strata.emulator.clock.TimedEvent;
import java.util.List;

/**
 * Texts a guest test waits for, met in order: each one must appear in the serial output (COM1) or the debug
 * console (E9h) after the output that met the previous one, or on the text screen. Output is checked when it
 * happens: each COM1 or E9h byte as it is sent, and the screen at the end of every CPU batch in which the guest
 * wrote to video memory or the CRT controller (so text scrolled into view by moving the start address counts too).
 * A run therefore meets its last expectation at most one batch after the guest showed it, and in deterministic mode
 * at the same instruction every time.
 */
public final class OutputExpectations {

    private static final int TRIM_AT = 1 << 20;
    private static final int KEEP = 1 << 16;

    private final List<String> texts;
    private final StreamMatch serial = new StreamMatch();
    private final StreamMatch debug = new StreamMatch();
    private volatile int met;
    private PcMachine machine;
    private Runnable onAllMet = () -> { };
    /** Due at once while the screen may have changed: it runs when the current CPU batch ends. */
    private TimedEvent screenCheck;

    public OutputExpectations(List<String> texts) {
        for (String t : texts) {
            if (t == null || t.isEmpty()) {
                throw new IllegalArgumentException("an expected text must not be empty");
            }
        }
        this.texts = List.copyOf(texts);
    }

    /**
     * Starts watching {@code m}'s COM1, debug console and screen; runs {@code allMet} on the CPU thread when the
     * last text appears (at once if there are none). Call on the CPU thread, or before the machine runs.
     */
    public void attach(PcMachine m, Runnable allMet) {
        this.machine = m;
        this.onAllMet = allMet;
        m.addSerialListener(0, b -> received(serial, b));
        m.addDebugConsoleListener(b -> received(debug, b));
        screenCheck = new TimedEvent("expectations.screen", deadline -> checkScreen());
        if (texts.isEmpty()) {
            allMet.run();
            return;
        }
        m.vga().setScreenWriteListener(this::screenWritten);
        screenWritten(); // the screen may already show a text (a machine restored from a saved state)
    }

    /** How many texts have been met. */
    public int metCount() {
        return met;
    }

    public boolean allMet() {
        return met == texts.size();
    }

    /** The first text not met yet, or null. */
    public String nextPending() {
        int m = met;
        return m < texts.size() ? texts.get(m) : null;
    }

    private void received(StreamMatch stream, int b) {
        if (allMet()) {
            return;
        }
        stream.text.append((char) (b & 0xFF));
        String want = texts.get(met);
        int start = Math.max(stream.from, stream.text.length() - want.length());
        int at = stream.text.indexOf(want, start);
        if (at >= 0) {
            stream.from = at + want.length();
            otherStream(stream).skipToEnd();
            advance();
        }
        stream.trim();
    }

    /** A video write: look at the screen once the CPU batch it happened in is over, not on every write. */
    private void screenWritten() {
        if (!screenCheck.isScheduled()) {
            machine.clock().scheduler().schedule(screenCheck, machine.clock().nanos());
        }
    }

    private void checkScreen() {
        if (allMet()) {
            return;
        }
        if (machine.vga().screenShows(texts.get(met))) {
            serial.skipToEnd();
            debug.skipToEnd();
            advance();
        }
    }

    private StreamMatch otherStream(StreamMatch stream) {
        return stream == serial ? debug : serial;
    }

    /**
     * Counts the current text as met, then any following ones already in the output that came after it. What the
     * other stream said before this moment counts as earlier output and cannot meet the next text.
     */
    private void advance() {
        met++;
        while (met < texts.size()) {
            String want = texts.get(met);
            if (serial.consume(want)) {
                debug.skipToEnd();
            } else if (debug.consume(want)) {
                serial.skipToEnd();
            } else {
                break;
            }
            met++;
        }
        if (allMet()) {
            machine.vga().setScreenWriteListener(null);
            machine.clock().scheduler().cancel(screenCheck);
            onAllMet.run();
        }
    }

    /** One output stream and where matching resumes in it. */
    private static final class StreamMatch {
        final StringBuilder text = new StringBuilder();
        int from;

        boolean consume(String want) {
            int at = text.indexOf(want, from);
            if (at < 0) {
                return false;
            }
            from = at + want.length();
            return true;
        }

        void skipToEnd() {
            from = text.length();
        }

        void trim() {
            if (text.length() > TRIM_AT) {
                int cut = text.length() - KEEP; // a text still wanted is shorter than what is kept
                text.delete(0, cut);
                from = Math.max(0, from - cut);
            }
        }
    }
}

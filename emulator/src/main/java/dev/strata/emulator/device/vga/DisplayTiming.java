package dev.strata.emulator.device.vga;

import dev.strata.emulator.clock.VirtualClock;

/**
 * Where the VGA's beam is, worked out from virtual time and the current CRTC timing (dot clock from the misc output
 * register, 8 or 9 dots per character, horizontal and vertical totals): software polls input status 1 for the
 * retrace and display-enable bits to pace its drawing. Nothing is scheduled; the bits are computed when read.
 */
final class DisplayTiming {

    static final long DOT_CLOCK_25MHZ = 25_175_000L;
    static final long DOT_CLOCK_28MHZ = 28_322_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final VirtualClock clock;

    DisplayTiming(VirtualClock clock) {
        this.clock = clock;
    }

    /** Input status 1 bits 3 (vertical retrace) and 0 (display disabled: horizontal or vertical blanking). */
    int statusBits(Crtc crtc, int miscOutput, int clockingMode) {
        long dotClock = (miscOutput >> 2 & 3) == 1 ? DOT_CLOCK_28MHZ : DOT_CLOCK_25MHZ;
        if ((clockingMode & 0x08) != 0) {
            dotClock /= 2;
        }
        int dotsPerChar = (clockingMode & 0x01) != 0 ? 8 : 9;
        long lineDots = (long) crtc.totalCharacterClocks() * dotsPerChar;
        int lines = crtc.totalScanLines();
        long nanos = clock.nanos();
        long dots = nanos / NANOS_PER_SECOND * dotClock + nanos % NANOS_PER_SECOND * dotClock / NANOS_PER_SECOND;
        long inFrame = dots % (lineDots * lines);
        int line = (int) (inFrame / lineDots);
        int character = (int) (inFrame % lineDots / dotsPerChar);
        int retraceStart = crtc.verticalRetraceStart();
        boolean verticalRetrace = line >= retraceStart && line < retraceStart + crtc.verticalRetraceLines();
        boolean blank = line >= crtc.displayedScanLines() || character >= crtc.displayedColumns();
        return (verticalRetrace ? 0x08 : 0) | (blank || verticalRetrace ? 0x01 : 0);
    }
}

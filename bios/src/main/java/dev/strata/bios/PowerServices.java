package dev.strata.bios;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The idle calls DOS and Windows make when they have nothing to do: APM 1.2's real-mode interface (INT 15h AH=53h:
 * installation check, connect, disconnect, CPU idle, CPU busy, driver version) and the multiplex "release time
 * slice" call (INT 2Fh AX=1680h). An idle call waits in STI;HLT for the next interrupt, so the host sleeps
 * (realtime) or time jumps to the next timer event (deterministic).
 */
@StateClass("dev.strata.bios.PowerServices")
final class PowerServices {

    /** APM BIOS version 1.2, reported by the installation check and accepted from the driver. */
    private static final int APM_VERSION = 0x0102;
    /** "PM": the APM signature in BX. */
    private static final int APM_SIGNATURE = 0x504D;
    private static final int APM_SYSTEM_BIOS = 0x0000;
    private static final int ERR_REAL_CONNECTED = 0x02, ERR_NOT_CONNECTED = 0x03, ERR_NO_16BIT = 0x06,
            ERR_NO_32BIT = 0x08, ERR_BAD_DEVICE = 0x09, ERR_UNSUPPORTED = 0x0C;

    @StateField("apmConnected") private boolean apmConnected;

    /** INT 15h AH=53h. Only the real-mode interface exists: CX reports no protected-mode entry points. */
    void apm(BiosCall c) {
        switch (c.al()) {
            case 0x00 -> {
                if (c.bx() != APM_SYSTEM_BIOS) {
                    c.fail(ERR_BAD_DEVICE);
                    return;
                }
                c.setAx(APM_VERSION);
                c.setBx(APM_SIGNATURE);
                c.setCx(0x0000); // no 16- or 32-bit protected-mode interface; APM enabled and engaged
                c.carry(false);
            }
            case 0x01 -> {
                if (c.bx() != APM_SYSTEM_BIOS) {
                    c.fail(ERR_BAD_DEVICE);
                } else if (apmConnected) {
                    c.fail(ERR_REAL_CONNECTED);
                } else {
                    apmConnected = true;
                    c.ok();
                }
            }
            case 0x02 -> c.fail(ERR_NO_16BIT);
            case 0x03 -> c.fail(ERR_NO_32BIT);
            case 0x04 -> {
                if (!apmConnected) {
                    c.fail(ERR_NOT_CONNECTED);
                } else {
                    apmConnected = false;
                    c.ok();
                }
            }
            case 0x05 -> {
                if (c.retry || !c.idleAndRetry()) {
                    c.ok();
                }
            }
            case 0x06 -> c.ok();
            case 0x0E -> {
                c.setAx(APM_VERSION);
                c.carry(false);
            }
            default -> c.fail(ERR_UNSUPPORTED);
        }
    }

    /**
     * INT 2Fh, the end of the multiplex chain (DOS and TSRs hook it first). AX=1680h "release time slice" waits for
     * the next interrupt and returns AL=00h (supported); every other call returns untouched, as the default IRET
     * handler did.
     */
    void multiplex(BiosCall c) {
        if (c.ax() != 0x1680) {
            return;
        }
        if (c.retry || !c.idleAndRetry()) {
            c.setAl(0x00);
        }
    }
}

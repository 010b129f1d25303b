package dev.strata.emulator.device.rtc;

/** The primary display adapter as bits 5-4 of the CMOS equipment byte (14h) name it. */
public enum PrimaryDisplay {
    /** EGA or VGA: the adapter has its own BIOS. */
    EGA_VGA(0),
    CGA_40_COLUMNS(1),
    CGA_80_COLUMNS(2),
    MONOCHROME(3);

    private final int code;

    PrimaryDisplay(int code) {
        this.code = code;
    }

    /** The two-bit value of equipment byte bits 5-4. */
    public int code() {
        return code;
    }
}

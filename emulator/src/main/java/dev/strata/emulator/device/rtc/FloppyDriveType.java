package dev.strata.emulator.device.rtc;

/** Floppy drive types as the BIOS reads them from CMOS byte 10h (one nibble per drive). */
public enum FloppyDriveType {
    NONE(0),
    DD_360K_525(1),
    HD_1200K_525(2),
    DD_720K_35(3),
    HD_1440K_35(4),
    ED_2880K_35(5);

    private final int code;

    FloppyDriveType(int code) {
        this.code = code;
    }

    /** The nibble stored in CMOS byte 10h. */
    public int code() {
        return code;
    }
}

package dev.strata.emulator.device.ata;

/** Register offsets and bit names of an ATA channel's command and control blocks, as the ATA standard gives them. */
public final class AtaRegisters {

    private AtaRegisters() {
    }

    // command block offsets (from 1F0h / 170h)
    public static final int DATA = 0;
    /** Error on read, features on write. */
    public static final int ERROR_FEATURES = 1;
    /** Sector count; the interrupt reason for ATAPI. */
    public static final int SECTOR_COUNT = 2;
    /** LBA 7:0, or the CHS sector number. */
    public static final int LBA_LOW = 3;
    /** LBA 15:8, the CHS cylinder low byte, or the ATAPI byte count low byte. */
    public static final int LBA_MID = 4;
    /** LBA 23:16, the CHS cylinder high byte, or the ATAPI byte count high byte. */
    public static final int LBA_HIGH = 5;
    /** Device select, LBA mode, LBA 27:24 or the CHS head. */
    public static final int DEVICE = 6;
    /** Status on read, command on write. */
    public static final int STATUS_COMMAND = 7;

    // status register
    public static final int STATUS_BSY = 0x80;
    public static final int STATUS_DRDY = 0x40;
    public static final int STATUS_DF = 0x20;
    /** Device seek complete (DSC); SERV for packet devices. */
    public static final int STATUS_DSC = 0x10;
    public static final int STATUS_DRQ = 0x08;
    public static final int STATUS_ERR = 0x01;

    // error register
    public static final int ERROR_UNC = 0x40;
    public static final int ERROR_IDNF = 0x10;
    public static final int ERROR_ABRT = 0x04;

    // device register
    public static final int DEVICE_LBA = 0x40;
    public static final int DEVICE_DEV = 0x10;

    // device control register (3F6h / 376h on write)
    /** Interrupts disabled: the selected device leaves INTRQ released. */
    public static final int CONTROL_NIEN = 0x02;
    public static final int CONTROL_SRST = 0x04;
    /** High order byte: taskfile reads return the previous (LBA48 high) values. */
    public static final int CONTROL_HOB = 0x80;

    // ATAPI interrupt reason (sector count register)
    public static final int REASON_COD = 0x01;
    public static final int REASON_IO = 0x02;
}

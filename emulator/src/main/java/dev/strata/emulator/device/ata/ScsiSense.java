package dev.strata.emulator.device.ata;

import dev.strata.emulator.state.StateClass;

/** The SCSI sense keys and additional sense codes an ATAPI CD-ROM reports, as REQUEST SENSE returns them. */
@StateClass("dev.strata.emulator.device.ata.ScsiSense")
public record ScsiSense(int key, int asc, int ascq) {

    public static final int KEY_NO_SENSE = 0x0;
    public static final int KEY_NOT_READY = 0x2;
    public static final int KEY_MEDIUM_ERROR = 0x3;
    public static final int KEY_ILLEGAL_REQUEST = 0x5;
    public static final int KEY_UNIT_ATTENTION = 0x6;

    public static final ScsiSense NONE = new ScsiSense(KEY_NO_SENSE, 0, 0);
    /** 02/3A/00: medium not present. */
    public static final ScsiSense NO_MEDIUM = new ScsiSense(KEY_NOT_READY, 0x3A, 0);
    /** 06/28/00: not ready to ready change, medium may have changed. */
    public static final ScsiSense MEDIUM_CHANGED = new ScsiSense(KEY_UNIT_ATTENTION, 0x28, 0);
    /** 05/20/00: invalid command operation code. */
    public static final ScsiSense INVALID_OPCODE = new ScsiSense(KEY_ILLEGAL_REQUEST, 0x20, 0);
    /** 05/21/00: logical block address out of range. */
    public static final ScsiSense LBA_OUT_OF_RANGE = new ScsiSense(KEY_ILLEGAL_REQUEST, 0x21, 0);
    /** 05/24/00: invalid field in CDB. */
    public static final ScsiSense INVALID_FIELD = new ScsiSense(KEY_ILLEGAL_REQUEST, 0x24, 0);
    /** 05/39/00: saving parameters not supported. */
    public static final ScsiSense SAVING_NOT_SUPPORTED = new ScsiSense(KEY_ILLEGAL_REQUEST, 0x39, 0);
    /** 05/53/02: medium removal prevented. */
    public static final ScsiSense REMOVAL_PREVENTED = new ScsiSense(KEY_ILLEGAL_REQUEST, 0x53, 0x02);
    /** 03/11/00: unrecovered read error. */
    public static final ScsiSense READ_ERROR = new ScsiSense(KEY_MEDIUM_ERROR, 0x11, 0);
    /** 0B/00/00: aborted command (the bus master could not reach memory). */
    public static final ScsiSense ABORTED = new ScsiSense(0xB, 0, 0);
}

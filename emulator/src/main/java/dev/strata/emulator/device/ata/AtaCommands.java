package dev.strata.emulator.device.ata;

/** ATA command opcodes the controller's devices understand. */
public final class AtaCommands {

    private AtaCommands() {
    }

    public static final int NOP = 0x00;
    public static final int DEVICE_RESET = 0x08;
    /** 10h..1Fh are all RECALIBRATE. */
    public static final int RECALIBRATE = 0x10;
    public static final int READ_SECTORS = 0x20;
    public static final int READ_SECTORS_NO_RETRY = 0x21;
    public static final int READ_SECTORS_EXT = 0x24;
    public static final int READ_DMA_EXT = 0x25;
    public static final int READ_MULTIPLE_EXT = 0x29;
    public static final int WRITE_SECTORS = 0x30;
    public static final int WRITE_SECTORS_NO_RETRY = 0x31;
    public static final int WRITE_SECTORS_EXT = 0x34;
    public static final int WRITE_DMA_EXT = 0x35;
    public static final int WRITE_MULTIPLE_EXT = 0x39;
    public static final int READ_VERIFY_SECTORS = 0x40;
    public static final int READ_VERIFY_SECTORS_NO_RETRY = 0x41;
    public static final int READ_VERIFY_SECTORS_EXT = 0x42;
    /** 70h..7Fh are all SEEK. */
    public static final int SEEK = 0x70;
    /** Native command queuing (SATA): the features register holds the count, the count register the tag. */
    public static final int READ_FPDMA_QUEUED = 0x60;
    public static final int WRITE_FPDMA_QUEUED = 0x61;
    public static final int EXECUTE_DEVICE_DIAGNOSTIC = 0x90;
    public static final int INITIALIZE_DEVICE_PARAMETERS = 0x91;
    public static final int STANDBY_IMMEDIATE_ALT = 0x94;
    public static final int IDLE_IMMEDIATE_ALT = 0x95;
    public static final int STANDBY_ALT = 0x96;
    public static final int IDLE_ALT = 0x97;
    public static final int CHECK_POWER_MODE_ALT = 0x98;
    public static final int SLEEP_ALT = 0x99;
    public static final int PACKET = 0xA0;
    public static final int IDENTIFY_PACKET_DEVICE = 0xA1;
    public static final int READ_MULTIPLE = 0xC4;
    public static final int WRITE_MULTIPLE = 0xC5;
    public static final int SET_MULTIPLE_MODE = 0xC6;
    public static final int READ_DMA = 0xC8;
    public static final int READ_DMA_NO_RETRY = 0xC9;
    public static final int WRITE_DMA = 0xCA;
    public static final int WRITE_DMA_NO_RETRY = 0xCB;
    public static final int STANDBY_IMMEDIATE = 0xE0;
    public static final int IDLE_IMMEDIATE = 0xE1;
    public static final int STANDBY = 0xE2;
    public static final int IDLE = 0xE3;
    public static final int CHECK_POWER_MODE = 0xE5;
    public static final int SLEEP = 0xE6;
    public static final int FLUSH_CACHE = 0xE7;
    public static final int FLUSH_CACHE_EXT = 0xEA;
    public static final int IDENTIFY_DEVICE = 0xEC;
    public static final int SET_FEATURES = 0xEF;

    // SET FEATURES subcommands (features register)
    public static final int FEATURE_ENABLE_WRITE_CACHE = 0x02;
    public static final int FEATURE_SET_TRANSFER_MODE = 0x03;
    public static final int FEATURE_DISABLE_READ_LOOK_AHEAD = 0x55;
    public static final int FEATURE_DISABLE_REVERTING = 0x66;
    public static final int FEATURE_DISABLE_WRITE_CACHE = 0x82;
    public static final int FEATURE_ENABLE_READ_LOOK_AHEAD = 0xAA;
    public static final int FEATURE_ENABLE_REVERTING = 0xCC;
}

package dev.strata.emulator.device.ahci;

/** Offsets and bits of the AHCI 1.3 register set (ABAR): the HBA's generic registers and each port's registers. */
public final class AhciRegisters {

    private AhciRegisters() {
    }

    // generic host control
    public static final int CAP = 0x00;
    public static final int GHC = 0x04;
    public static final int IS = 0x08;
    public static final int PI = 0x0C;
    public static final int VS = 0x10;
    public static final int CCC_CTL = 0x14;
    public static final int CCC_PORTS = 0x18;
    public static final int EM_LOC = 0x1C;
    public static final int EM_CTL = 0x20;
    public static final int CAP2 = 0x24;
    public static final int BOHC = 0x28;

    public static final int CAP_SNCQ = 1 << 30;
    public static final int CAP_SCLO = 1 << 24;
    public static final int CAP_SAM = 1 << 18;
    public static final int CAP_PMD = 1 << 15;
    public static final int CAP_ISS_GEN2 = 2 << 20;

    public static final int GHC_HR = 1;
    public static final int GHC_IE = 1 << 1;
    public static final int GHC_AE = 1 << 31;

    /** AHCI 1.3. */
    public static final int VERSION_1_3 = 0x0001_0300;

    // ports: port n's registers are at PORT_BASE + n * PORT_SIZE
    public static final int PORT_BASE = 0x100;
    public static final int PORT_SIZE = 0x80;

    public static final int PX_CLB = 0x00;
    public static final int PX_CLBU = 0x04;
    public static final int PX_FB = 0x08;
    public static final int PX_FBU = 0x0C;
    public static final int PX_IS = 0x10;
    public static final int PX_IE = 0x14;
    public static final int PX_CMD = 0x18;
    public static final int PX_TFD = 0x20;
    public static final int PX_SIG = 0x24;
    public static final int PX_SSTS = 0x28;
    public static final int PX_SCTL = 0x2C;
    public static final int PX_SERR = 0x30;
    public static final int PX_SACT = 0x34;
    public static final int PX_CI = 0x38;
    public static final int PX_SNTF = 0x3C;

    // PxIS / PxIE
    public static final int IS_DHRS = 1;
    public static final int IS_PSS = 1 << 1;
    public static final int IS_DSS = 1 << 2;
    public static final int IS_SDBS = 1 << 3;
    public static final int IS_OFS = 1 << 24;
    public static final int IS_IFS = 1 << 27;
    public static final int IS_HBFS = 1 << 29;
    public static final int IS_TFES = 1 << 30;
    /** The PxIS/PxIE bits AHCI 1.3 defines. */
    public static final int IS_DEFINED = 0xFDC0_00FF;

    // PxCMD
    public static final int CMD_ST = 1;
    public static final int CMD_SUD = 1 << 1;
    public static final int CMD_POD = 1 << 2;
    public static final int CMD_CLO = 1 << 3;
    public static final int CMD_FRE = 1 << 4;
    public static final int CMD_CCS_SHIFT = 8;
    public static final int CMD_FR = 1 << 14;
    public static final int CMD_CR = 1 << 15;
    public static final int CMD_ATAPI = 1 << 24;
    /** Bits software writes and reads back: ST, FRE, ATAPI, DLAE, ALPE, ASP. */
    public static final int CMD_STORED = CMD_ST | CMD_FRE | CMD_ATAPI | 0x0E00_0000;

    // PxSSTS
    /** Device present, communication established, Gen 2 speed, interface active. */
    public static final int SSTS_ONLINE = 0x123;
    public static final int SCTL_DET_MASK = 0xF;
    public static final int SCTL_DET_COMRESET = 1;
    /** PxSERR.DIAG.X: the device exchanged its signature (set by every COMRESET). */
    public static final int SERR_EXCHANGED = 1 << 26;

    /** PxTFD of a port with nothing behind it. */
    public static final int TFD_NO_DEVICE = 0x7F;
    public static final int SIG_NO_DEVICE = 0xFFFF_FFFF;

    // received-FIS area offsets
    public static final int RX_DMA_SETUP = 0x00;
    public static final int RX_PIO_SETUP = 0x20;
    public static final int RX_D2H = 0x40;
    public static final int RX_SDB = 0x58;
    public static final int RX_SIZE = 0x100;

    // FIS types
    public static final int FIS_H2D = 0x27;
    public static final int FIS_D2H = 0x34;
    public static final int FIS_DMA_SETUP = 0x41;
    public static final int FIS_PIO_SETUP = 0x5F;
    public static final int FIS_SDB = 0xA1;
}

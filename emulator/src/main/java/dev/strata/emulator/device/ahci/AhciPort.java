package dev.strata.emulator.device.ahci;

import static dev.strata.emulator.device.ahci.AhciRegisters.*;

import dev.strata.emulator.device.ata.AtaCommands;
import dev.strata.emulator.device.ata.AtaRegisters;
import dev.strata.emulator.device.ata.DmaMemory;
import dev.strata.emulator.device.ata.SataDevice;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AHCI port: its registers (command list and received-FIS bases, interrupt status and enable, command and
 * status, task file data, signature, SATA status/control/error, SActive, command issue) and the command engine that
 * fetches command headers and tables, sends the command FIS to the device, moves the data through the PRD table and
 * stores the FISes the device answers with.
 *
 * <p>A command runs to its end when software issues it, as the image I/O below it is synchronous, so the only
 * commands that stay in flight are those stopped by an error: the port then stops fetching (PxCI keeps the slot,
 * PxCMD.CCS names it) until software clears PxCMD.ST, as the specification's error recovery expects. Pointers into
 * memory that is not RAM give a host bus fatal error (PxIS.HBFS), a PRD table too short for the data an interface
 * fatal error (PxIS.IFS, with OFS for data from the device), a device error a task file error (PxIS.TFES).
 */
@StateClass("dev.strata.emulator.device.ahci.AhciPort")
final class AhciPort {
    private static final Logger LOG = LoggerFactory.getLogger(AhciPort.class);

    private static final int HEADER_SIZE = 32;
    private static final int TABLE_ACMD = 0x40;
    private static final int TABLE_PRDT = 0x80;
    private static final int HEADER_ATAPI = 1 << 5;
    private static final int HEADER_CLEAR_BUSY = 1 << 10;

    private final int index;
    private final transient DmaMemory memory;
    private final transient Runnable interruptChanged;
    private final transient PrdWalker prd;
    @StateField("device") private SataDevice device;
    @StateField("clb") private int clb;
    @StateField("fb") private int fb;
    @StateField("is") private int is;
    @StateField("ie") private int ie;
    @StateField("cmd") private int cmd;
    @StateField("slot") private int slot;
    @StateField("tfd") private int tfd = TFD_NO_DEVICE;
    @StateField("sig") private int sig = SIG_NO_DEVICE;
    @StateField("ssts") private int ssts;
    @StateField("sctl") private int sctl;
    @StateField("serr") private int serr;
    @StateField("sact") private int sact;
    @StateField("ci") private int ci;
    @StateField("stalled") private boolean stalled;
    private final transient byte[] header = new byte[HEADER_SIZE];
    private final transient byte[] cfis = new byte[64];
    private final transient byte[] fis = new byte[28];

    AhciPort(int index, DmaMemory memory, Runnable interruptChanged) {
        this.index = index;
        this.memory = memory;
        this.interruptChanged = interruptChanged;
        this.prd = new PrdWalker(memory);
    }

    void attach(SataDevice sata) {
        if (device != null) {
            throw new IllegalStateException("SATA port " + index + " already holds a device; detach it first");
        }
        device = sata;
        resetLink();
    }

    void detach() {
        device = null;
        resetLink();
    }

    SataDevice device() {
        return device;
    }

    /** True while PxIS has an enabled bit set (the port's bit in the HBA's IS). */
    boolean interruptPending() {
        return (is & ie) != 0;
    }

    /** HBA reset (GHC.HR) and power-on: registers to their reset values, then a COMRESET of the link. */
    void reset() {
        is = ie = cmd = sact = ci = sctl = serr = slot = 0;
        stalled = false;
        resetLink();
    }

    // --- registers ----------------------------------------------------------------------------------------

    int read(int offset) {
        return switch (offset) {
            case PX_CLB -> clb;
            case PX_FB -> fb;
            case PX_IS -> is;
            case PX_IE -> ie;
            case PX_CMD -> commandRegister();
            case PX_TFD -> tfd;
            case PX_SIG -> sig;
            case PX_SSTS -> ssts;
            case PX_SCTL -> sctl;
            case PX_SERR -> serr;
            case PX_SACT -> sact;
            case PX_CI -> ci;
            default -> 0; // CLBU/FBU of a 32-bit HBA, SNTF, FBS, vendor space
        };
    }

    void write(int offset, int value) {
        switch (offset) {
            case PX_CLB -> clb = value & ~0x3FF;
            case PX_FB -> fb = value & ~0xFF;
            case PX_IS -> {
                is &= ~value;
                interruptChanged.run();
            }
            case PX_IE -> {
                ie = value & IS_DEFINED;
                interruptChanged.run();
            }
            case PX_CMD -> writeCommand(value);
            case PX_SCTL -> writeSataControl(value);
            case PX_SERR -> serr &= ~value;
            case PX_SACT -> {
                if (running()) {
                    sact |= value;
                }
            }
            case PX_CI -> {
                if (running()) {
                    ci |= value; // writing 0 leaves a slot as it is
                    processCommands();
                }
            }
            default -> { } // read-only or reserved
        }
    }

    private int commandRegister() {
        int v = cmd | CMD_SUD | CMD_POD | slot << CMD_CCS_SHIFT;
        if ((cmd & CMD_ST) != 0) {
            v |= CMD_CR;
        }
        if ((cmd & CMD_FRE) != 0) {
            v |= CMD_FR;
        }
        return v;
    }

    private boolean running() {
        return (cmd & CMD_ST) != 0;
    }

    private void writeCommand(int value) {
        boolean wasRunning = running();
        cmd = value & CMD_STORED;
        if ((value & CMD_CLO) != 0) {
            tfd &= ~(AtaRegisters.STATUS_BSY | AtaRegisters.STATUS_DRQ); // command list override
        }
        if (wasRunning && !running()) {
            // stopping the engine drops every command, those stopped by an error included
            ci = 0;
            sact = 0;
            slot = 0;
            stalled = false;
        }
    }

    private void writeSataControl(int value) {
        int wasDet = sctl & SCTL_DET_MASK;
        sctl = value & 0xFFF;
        int det = sctl & SCTL_DET_MASK;
        if (det == SCTL_DET_COMRESET) {
            // COMRESET held: the link is down and any command is lost
            ssts = 0;
            ci = 0;
            sact = 0;
            stalled = false;
            tfd = device == null ? TFD_NO_DEVICE : AtaRegisters.STATUS_BSY;
        } else if (wasDet == SCTL_DET_COMRESET) {
            resetLink();
        }
    }

    /** COMRESET done: the device resets and sends its signature in a register FIS. */
    private void resetLink() {
        if (device == null) {
            ssts = 0;
            tfd = TFD_NO_DEVICE;
            sig = SIG_NO_DEVICE;
            return;
        }
        device.comreset();
        ssts = SSTS_ONLINE;
        serr |= SERR_EXCHANGED;
        sendSignature();
    }

    private void sendSignature() {
        sig = device.signature();
        postRegisterFis(false);
    }

    // --- the command engine --------------------------------------------------------------------------------

    /** Runs issued commands lowest slot first, until none is left or one stops the port. */
    private void processCommands() {
        while (running() && !stalled && ci != 0) {
            int next = Integer.numberOfTrailingZeros(ci);
            slot = next;
            execute(next);
        }
    }

    private void execute(int s) {
        int headerAddress = clb + s * HEADER_SIZE;
        if (!memory.contains(headerAddress, HEADER_SIZE)) {
            hostBusFatal("command header " + s, headerAddress);
            return;
        }
        memory.read(headerAddress, header, 0, HEADER_SIZE);
        int flags = dword(header, 0);
        int entries = flags >>> 16;
        int table = dword(header, 8) & ~0x7F;
        if (!memory.contains(table, TABLE_PRDT + 16 * entries)) {
            hostBusFatal("command table of slot " + s, table);
            return;
        }
        memory.read(table, cfis, 0, cfis.length);
        if (device == null || (cfis[0] & 0xFF) != FIS_H2D) {
            // nothing (or nothing that understands this FIS) on the link: the transmission fails
            interfaceFatal(s, "no device or an unknown FIS type " + Integer.toHexString(cfis[0] & 0xFF) + "h");
            return;
        }
        prd.start(table + TABLE_PRDT, entries);
        boolean control = (cfis[1] & 0x80) == 0;
        boolean answered = device.receiveRegisterFis(cfis, 0);
        if (control) {
            // a device control FIS: SRST set leaves the device busy, SRST cleared brings its signature
            ci &= ~(1 << s);
            if (answered) {
                sendSignature();
            } else if ((cfis[15] & AtaRegisters.CONTROL_SRST) != 0) {
                tfd = (flags & HEADER_CLEAR_BUSY) != 0 ? 0 : AtaRegisters.STATUS_BSY;
            }
            return;
        }
        if (device.isPacketDevice() && (flags & HEADER_ATAPI) != 0 && (cfis[2] & 0xFF) == AtaCommands.PACKET
                && device.phase() == SataDevice.Phase.OUT) {
            sendPacket(table);
        }
        int tag = device.queuedTag();
        if (tag >= 0) {
            runQueued(s, tag);
        } else {
            runOrdinary(s);
        }
    }

    /** The device asked for the command packet: the HBA sends the ACMD bytes of the command table. */
    private void sendPacket(int table) {
        int n = device.available();
        memory.read(table + TABLE_ACMD, device.buffer(), device.position(), Math.min(n, 16));
        int status = device.status();
        device.advance(n);
        postPioSetup(false, device.takeInterrupt(), status, n);
    }

    private void runOrdinary(int s) {
        boolean lastPioIn = false;
        while (device.phase() != SataDevice.Phase.NONE) {
            boolean in = device.phase() == SataDevice.Phase.IN;
            boolean pio = device.pioPhase();
            int status = device.status();
            boolean interrupt = pio && device.takeInterrupt();
            int n = device.available();
            if (!moveData(s, in, n)) {
                return;
            }
            if (pio) {
                postPioSetup(in, interrupt, status, n);
            }
            lastPioIn = pio && in;
        }
        writeByteCount(s);
        boolean interrupt = device.takeInterrupt();
        boolean error = (device.status() & AtaRegisters.STATUS_ERR) != 0;
        if (interrupt || error || !lastPioIn) {
            postRegisterFis(interrupt || error); // a PIO read ends with its last PIO Setup FIS
        }
        if (error) {
            taskFileError();
            return;
        }
        ci &= ~(1 << s);
    }

    /** Native command queuing: accept (register FIS, PxCI clears), DMA Setup, data, Set Device Bits. */
    private void runQueued(int s, int tag) {
        boolean error = (device.status() & AtaRegisters.STATUS_ERR) != 0;
        if (!error) {
            clearRegisterFis(AtaRegisters.STATUS_DRDY | AtaRegisters.STATUS_DSC);
            ci &= ~(1 << s);
            boolean in = device.phase() == SataDevice.Phase.IN;
            postDmaSetup(tag, in);
            while (device.phase() != SataDevice.Phase.NONE) {
                in = device.phase() == SataDevice.Phase.IN;
                if (!moveData(s, in, device.available())) {
                    return;
                }
            }
            writeByteCount(s);
            device.takeInterrupt();
            error = (device.status() & AtaRegisters.STATUS_ERR) != 0;
        }
        postSetDeviceBits(error ? 0 : 1 << tag);
        if (error) {
            taskFileError();
        }
    }

    /** Moves {@code n} bytes of the device's window through the PRD table; false (and the port stops) on failure. */
    private boolean moveData(int s, boolean in, int n) {
        PrdWalker.Result r = prd.copy(device.buffer(), device.position(), n, in);
        if (r == PrdWalker.Result.DONE) {
            device.advance(n);
            return true;
        }
        device.dataFailed();
        device.takeInterrupt();
        writeByteCount(s);
        tfd = device.error() << 8 | device.status();
        if (r == PrdWalker.Result.UNMAPPED) {
            LOG.debug("ahci port {}: slot {} has a data region outside RAM", index, s);
            raise(IS_HBFS);
        } else {
            LOG.debug("ahci port {}: the PRD table of slot {} is too short for the data", index, s);
            raise(in ? IS_OFS | IS_IFS : IS_IFS);
        }
        stalled = true;
        return false;
    }

    private void writeByteCount(int s) {
        int at = clb + s * HEADER_SIZE + 4;
        putDword(fis, 0, prd.moved());
        memory.write(at, fis, 0, 4);
    }

    private void taskFileError() {
        raise(IS_TFES);
        stalled = true; // the slot stays in PxCI, PxCMD.CCS names it
    }

    private void hostBusFatal(String what, int address) {
        LOG.debug("ahci port {}: {} at {}h is not in RAM", index, what, Integer.toHexString(address));
        tfd = AtaRegisters.ERROR_ABRT << 8 | AtaRegisters.STATUS_DRDY | AtaRegisters.STATUS_ERR;
        raise(IS_HBFS);
        stalled = true;
    }

    private void interfaceFatal(int s, String why) {
        LOG.debug("ahci port {}: slot {} failed: {}", index, s, why);
        tfd = device == null ? TFD_NO_DEVICE
                : AtaRegisters.ERROR_ABRT << 8 | AtaRegisters.STATUS_DRDY | AtaRegisters.STATUS_ERR;
        raise(IS_IFS);
        stalled = true;
    }

    // --- received FISes -----------------------------------------------------------------------------------

    /** A Register Device-to-Host FIS from the device's registers; updates PxTFD. */
    private void postRegisterFis(boolean interrupt) {
        java.util.Arrays.fill(fis, (byte) 0);
        fis[0] = (byte) FIS_D2H;
        fis[1] = (byte) (interrupt ? 0x40 : 0);
        fis[2] = (byte) device.status();
        fis[3] = (byte) device.error();
        device.putRegisters(fis, 0);
        tfd = device.error() << 8 | device.status();
        store(RX_D2H, 20);
        if (interrupt) {
            raise(IS_DHRS);
        }
    }

    /** The register FIS a device sends to accept a queued command: status only, no interrupt. */
    private void clearRegisterFis(int status) {
        java.util.Arrays.fill(fis, (byte) 0);
        fis[0] = (byte) FIS_D2H;
        fis[2] = (byte) status;
        tfd = status;
        store(RX_D2H, 20);
    }

    private void postPioSetup(boolean toHost, boolean interrupt, int status, int count) {
        java.util.Arrays.fill(fis, (byte) 0);
        fis[0] = (byte) FIS_PIO_SETUP;
        fis[1] = (byte) ((toHost ? 0x20 : 0) | (interrupt ? 0x40 : 0));
        fis[2] = (byte) status;
        fis[3] = (byte) device.error();
        device.putRegisters(fis, 0);
        fis[15] = (byte) device.status(); // E_Status: the status once the block has moved
        fis[16] = (byte) count;
        fis[17] = (byte) (count >>> 8);
        tfd = device.error() << 8 | device.status();
        store(RX_PIO_SETUP, 20);
        if (interrupt) {
            raise(IS_PSS);
        }
    }

    private void postDmaSetup(int tag, boolean toHost) {
        java.util.Arrays.fill(fis, (byte) 0);
        fis[0] = (byte) FIS_DMA_SETUP;
        fis[1] = (byte) ((toHost ? 0x20 : 0) | 0x80); // auto-activate
        fis[4] = (byte) tag;
        putDword(fis, 20, device.available());
        store(RX_DMA_SETUP, 28);
    }

    /** Set Device Bits: status, error and the SActive bits of finished queued commands; interrupts. */
    private void postSetDeviceBits(int finished) {
        java.util.Arrays.fill(fis, (byte) 0);
        int status = device.status() & 0x77;
        fis[0] = (byte) FIS_SDB;
        fis[1] = 0x40;
        fis[2] = (byte) status;
        fis[3] = (byte) device.error();
        putDword(fis, 4, finished);
        tfd = device.error() << 8 | (tfd & 0x88) | status;
        sact &= ~finished;
        store(RX_SDB, 8);
        raise(IS_SDBS);
    }

    /** Copies a FIS into the received-FIS area while FIS receive is on and the area is RAM. */
    private void store(int offset, int length) {
        if ((cmd & CMD_FRE) != 0 && memory.contains(fb + offset, length)) {
            memory.write(fb + offset, fis, 0, length);
        }
    }

    private void raise(int bits) {
        is |= bits;
        interruptChanged.run();
    }

    private static int dword(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static void putDword(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}

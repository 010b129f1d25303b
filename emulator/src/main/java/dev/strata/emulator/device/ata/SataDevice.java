package dev.strata.emulator.device.ata;

import static dev.strata.emulator.device.ata.AtaRegisters.CONTROL_SRST;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.storage.image.DiskImage;

/**
 * An ATA disk or ATAPI drive at the end of a Serial ATA link, as a SATA host port (an AHCI port) drives it: a
 * Register Host-to-Device FIS in, a data phase the host moves, the registers for the Device-to-Host FIS out. The
 * commands themselves are the very ones the IDE channel runs ({@link AtaDisk}, {@link AtapiCdrom}); what SATA adds
 * is translated here: native command queuing (READ/WRITE FPDMA QUEUED run as READ/WRITE DMA EXT with the count
 * taken from the features register) and resets by FIS (SRST in a control FIS) or by COMRESET.
 */
@StateClass("dev.strata.emulator.device.ata.SataDevice")
public final class SataDevice implements AtaLink {

    /** Commands the device queues with NCQ (IDENTIFY word 75 + 1). */
    public static final int QUEUE_DEPTH = 32;

    /** Register FIS offsets (host to device and device to host share the register layout). */
    private static final int FIS_COMMAND = 2;
    private static final int FIS_CONTROL = 15;

    /** The direction of the data phase a command is in. */
    public enum Phase {
        /** No data to move: the command has ended (or waits for nothing). */
        NONE,
        /** Device to host: the host copies {@link #available()} bytes out of {@link #buffer()}. */
        IN,
        /** Host to device: the host copies {@link #available()} bytes into {@link #buffer()}. */
        OUT
    }

    @StateField("device") private final IdeDevice device;
    @StateField("regs") private final TaskFile regs = new TaskFile();
    @StateField("control") private int control;
    @StateField("interrupted") private boolean interrupted;
    @StateField("queuedTag") private int queuedTag = -1;

    private SataDevice(IdeDevice device, String name) {
        this.device = device;
        device.attach(this, regs, 0, name);
        device.powerOnDefaults();
        regs.setSignature(device.isPacketDevice());
    }

    /** A hard disk over {@code image}, reporting {@code serial} in IDENTIFY; {@code name} is for log lines. */
    public static SataDevice disk(DiskImage image, String serial, String name) {
        return new SataDevice(new AtaDisk(image, serial), name);
    }

    /** An empty ATAPI CD/DVD drive; insert media through {@link #cdrom()}. */
    public static SataDevice cdrom(String serial, String name) {
        return new SataDevice(new AtapiCdrom(serial), name);
    }

    /** True for an ATAPI (packet) device: its commands come as PACKET with a CDB. */
    public boolean isPacketDevice() {
        return device.isPacketDevice();
    }

    /** The hard disk behind the link, or null for a CD drive. */
    public AtaDisk disk() {
        return device instanceof AtaDisk d ? d : null;
    }

    /** The CD drive behind the link, or null for a hard disk. */
    public AtapiCdrom cdrom() {
        return device instanceof AtapiCdrom c ? c : null;
    }

    // --- resets -------------------------------------------------------------------------------------------

    /** COMRESET (or power-on): the device drops any command, returns to power-on settings, shows its signature. */
    public void comreset() {
        regs.clear();
        device.powerOnDefaults();
        regs.setSignature(device.isPacketDevice());
        control = 0;
        interrupted = false;
        queuedTag = -1;
    }

    /**
     * The 32-bit signature the host reads after a reset (sector count, LBA low, mid and high, as AHCI's PxSIG
     * holds it): 00000101h for a disk, EB140101h for a packet device.
     */
    public int signature() {
        return regs.count | regs.lbaLow << 8 | regs.lbaMid << 16 | regs.lbaHigh << 24;
    }

    // --- commands -----------------------------------------------------------------------------------------

    /**
     * Delivers a Register Host-to-Device FIS (20 bytes from {@code fis[offset]}). With the C bit it loads the
     * taskfile and runs the command; without it the FIS writes the device control register, and SRST going from 1
     * to 0 resets the device, which then answers with its signature. Returns true if the device answers with a
     * register FIS now (always, except while SRST is held).
     */
    public boolean receiveRegisterFis(byte[] fis, int offset) {
        interrupted = false;
        queuedTag = -1;
        if ((fis[offset + 1] & 0x80) == 0) {
            return writeControl(fis[offset + FIS_CONTROL] & 0xFF);
        }
        loadTaskfile(fis, offset);
        device.interruptPending = false;
        int command = fis[offset + FIS_COMMAND] & 0xFF;
        if ((command == AtaCommands.READ_FPDMA_QUEUED || command == AtaCommands.WRITE_FPDMA_QUEUED)
                && !device.isPacketDevice()) {
            queuedTag = regs.count >>> 3;
            // the features register holds the sector count of a queued command
            regs.count = regs.features;
            regs.countPrevious = regs.featuresPrevious;
            command = command == AtaCommands.READ_FPDMA_QUEUED ? AtaCommands.READ_DMA_EXT : AtaCommands.WRITE_DMA_EXT;
        }
        if (command == AtaCommands.EXECUTE_DEVICE_DIAGNOSTIC) {
            device.softReset(); // alone on its link, the device reports its own diagnostics
            device.raiseInterrupt();
            return true;
        }
        device.executeCommand(command);
        return true;
    }

    private boolean writeControl(int value) {
        boolean wasReset = (control & CONTROL_SRST) != 0;
        control = value;
        boolean reset = (value & CONTROL_SRST) != 0;
        if (reset) {
            device.cancel();
            return false;
        }
        if (wasReset) {
            device.softReset();
        }
        return wasReset;
    }

    private void loadTaskfile(byte[] fis, int offset) {
        regs.write(AtaRegisters.ERROR_FEATURES, fis[offset + 11]);
        regs.write(AtaRegisters.ERROR_FEATURES, fis[offset + 3]);
        regs.write(AtaRegisters.SECTOR_COUNT, fis[offset + 13]);
        regs.write(AtaRegisters.SECTOR_COUNT, fis[offset + 12]);
        regs.write(AtaRegisters.LBA_LOW, fis[offset + 8]);
        regs.write(AtaRegisters.LBA_LOW, fis[offset + 4]);
        regs.write(AtaRegisters.LBA_MID, fis[offset + 9]);
        regs.write(AtaRegisters.LBA_MID, fis[offset + 5]);
        regs.write(AtaRegisters.LBA_HIGH, fis[offset + 10]);
        regs.write(AtaRegisters.LBA_HIGH, fis[offset + 6]);
        regs.write(AtaRegisters.DEVICE, fis[offset + 7]);
    }

    /** The NCQ tag of the queued command just received, or -1 for an ordinary command. */
    public int queuedTag() {
        return queuedTag;
    }

    // --- the data phase -----------------------------------------------------------------------------------

    /** Where the command's data goes now. */
    public Phase phase() {
        return switch (device.transfer) {
            case PIO_IN, DMA_IN -> Phase.IN;
            case PIO_OUT, DMA_OUT -> Phase.OUT;
            case NONE -> Phase.NONE;
        };
    }

    /** True while the data phase is PIO (each block announced by a PIO Setup FIS), false for DMA. */
    public boolean pioPhase() {
        return device.transfer == IdeDevice.Transfer.PIO_IN || device.transfer == IdeDevice.Transfer.PIO_OUT;
    }

    /** The bytes of the current block or DMA window the host still has to move. */
    public int available() {
        return device.end - device.pos;
    }

    /** The device's data buffer; the current window starts at {@link #position()}. */
    public byte[] buffer() {
        return device.buffer;
    }

    public int position() {
        return device.pos;
    }

    /** The host moved {@code bytes} of the window; the device goes on (next block, next chunk, or the end). */
    public void advance(int bytes) {
        device.pos += bytes;
        if (device.pos >= device.end) {
            device.transferDone();
        }
    }

    /** The host could not reach memory for the data: the command ends aborted. */
    public void dataFailed() {
        device.dmaFailed();
    }

    /** True if the device asked for an interrupt since the last FIS the host took (and clears the request). */
    public boolean takeInterrupt() {
        boolean i = interrupted;
        interrupted = false;
        device.interruptPending = false;
        return i;
    }

    // --- registers the device sends back -------------------------------------------------------------------

    public int status() {
        return device.status;
    }

    public int error() {
        return device.error;
    }

    /**
     * Writes the register part of a Device-to-Host FIS (bytes 4..13: LBA, device, count) into {@code fis} at
     * {@code offset}; the caller sets the type, flags, status and error.
     */
    public void putRegisters(byte[] fis, int offset) {
        fis[offset + 4] = (byte) regs.lbaLow;
        fis[offset + 5] = (byte) regs.lbaMid;
        fis[offset + 6] = (byte) regs.lbaHigh;
        fis[offset + 7] = (byte) regs.device;
        fis[offset + 8] = (byte) regs.lbaLowPrevious;
        fis[offset + 9] = (byte) regs.lbaMidPrevious;
        fis[offset + 10] = (byte) regs.lbaHighPrevious;
        fis[offset + 12] = (byte) regs.count;
        fis[offset + 13] = (byte) regs.countPrevious;
    }

    // --- AtaLink ------------------------------------------------------------------------------------------

    @Override
    public void deviceInterrupt() {
        interrupted = true;
    }

    @Override
    public void dmaReady() {
        // the AHCI port moves the data once the command returns, so nothing runs from here
    }

    @Override
    public boolean serialAta() {
        return true;
    }
}

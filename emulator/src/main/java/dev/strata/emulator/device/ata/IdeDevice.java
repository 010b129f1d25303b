package dev.strata.emulator.device.ata;

import static dev.strata.emulator.device.ata.AtaRegisters.ERROR_ABRT;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_DRDY;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_DRQ;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_DSC;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_ERR;
import dev.strata.emulator.state.StateField;

/**
 * What every ATA device shares, on an IDE channel or a SATA port ({@link AtaLink}): status and error registers, its
 * interrupt request, the data buffer behind the data port and the DMA window, the selected transfer mode and the
 * power state. Subclasses decode commands and say what happens when a PIO block or a DMA window has been moved.
 */
public abstract sealed class IdeDevice permits AtaDisk, AtapiCdrom {

    /** The data buffer: one PIO block or one DMA chunk (128 disk sectors, 32 CD sectors). */
    static final int BUFFER_SIZE = 64 * 1024;

    /** Where the data buffer is going. */
    enum Transfer { NONE, PIO_IN, PIO_OUT, DMA_IN, DMA_OUT }

    /** ATA power modes as CHECK POWER MODE reports them. */
    enum Power { ACTIVE, STANDBY, SLEEP }

    @StateField("buffer") final byte[] buffer = new byte[BUFFER_SIZE];
    transient AtaLink channel; // the channel or port saves its drives, not the other way round
    @StateField("regs") TaskFile regs;
    @StateField("name") String name = "ide";
    /** 0 for the master, 1 for the slave. */
    @StateField("position") int position;
    @StateField("status") int status;
    @StateField("error") int error;
    @StateField("interruptPending") boolean interruptPending;
    @StateField("transfer") Transfer transfer = Transfer.NONE;
    @StateField("pos") int pos;
    @StateField("end") int end;
    @StateField("power") Power power = Power.ACTIVE;
    @StateField("pioMode") int pioMode;
    @StateField("mwdmaMode") int mwdmaMode;
    @StateField("udmaMode") int udmaMode;

    IdeDevice() {
        // subclasses call powerOnDefaults() once their own fields are set
    }

    /** True for ATAPI (packet) devices. */
    public abstract boolean isPacketDevice();

    /** Runs a command written to the command register (never EXECUTE DEVICE DIAGNOSTIC: the channel runs that). */
    abstract void executeCommand(int command);

    /** The PIO block or DMA window {@code buffer[..end)} has been moved: go on with the command or finish it. */
    abstract void transferDone();

    /** Status after a reset: DRDY for ATA devices, 00h for packet devices. */
    abstract int statusAfterReset();

    final void attach(AtaLink channel, TaskFile regs, int position, String name) {
        this.channel = channel;
        this.regs = regs;
        this.position = position;
        this.name = name;
    }

    /** Power-on (hardware reset) state: transfer modes and settings back to their defaults. */
    void powerOnDefaults() {
        pioMode = 4;
        mwdmaMode = -1;
        udmaMode = -1;
        power = Power.ACTIVE;
        transfer = Transfer.NONE;
        interruptPending = false;
        status = statusAfterReset();
        error = 0x01;
    }

    /** A reset through SRST or EXECUTE DEVICE DIAGNOSTIC: any command is dropped, the signature appears. */
    void softReset() {
        transfer = Transfer.NONE;
        interruptPending = false;
        power = Power.ACTIVE;
        regs.setSignature(isPacketDevice());
        status = statusAfterReset();
        error = 0x01; // diagnostic code: no error
    }

    /** Stops whatever the device was doing (SRST asserted). */
    void cancel() {
        transfer = Transfer.NONE;
        interruptPending = false;
    }

    // --- data port ----------------------------------------------------------------------------------------

    final int readData() {
        if (transfer != Transfer.PIO_IN) {
            return 0xFFFF;
        }
        int v = (buffer[pos] & 0xFF) | (buffer[pos + 1] & 0xFF) << 8;
        pos += 2;
        if (pos >= end) {
            transferDone();
        }
        return v;
    }

    final void writeData(int value) {
        if (transfer != Transfer.PIO_OUT) {
            return;
        }
        buffer[pos] = (byte) value;
        buffer[pos + 1] = (byte) (value >>> 8);
        pos += 2;
        if (pos >= end) {
            transferDone();
        }
    }

    // --- the bus master's side -----------------------------------------------------------------------------

    final boolean dmaWaiting() {
        return transfer == Transfer.DMA_IN || transfer == Transfer.DMA_OUT;
    }

    /** True when the device sends (a read command: the bus master writes memory). */
    final boolean dmaToMemory() {
        return transfer == Transfer.DMA_IN;
    }

    final int dmaAvailable() {
        return end - pos;
    }

    final void dmaAdvance(int bytes) {
        pos += bytes;
        if (pos >= end) {
            transferDone();
        }
    }

    /** The bus master could not reach memory: the command ends aborted. */
    void dmaFailed() {
        abort(ERROR_ABRT);
    }

    // --- helpers for subclasses ---------------------------------------------------------------------------

    final void startPioIn(int length, boolean interrupt) {
        transfer = Transfer.PIO_IN;
        pos = 0;
        end = length;
        status = STATUS_DRDY | STATUS_DSC | STATUS_DRQ;
        if (interrupt) {
            raiseInterrupt();
        }
    }

    final void startPioOut(int length, boolean interrupt) {
        transfer = Transfer.PIO_OUT;
        pos = 0;
        end = length;
        status = STATUS_DRDY | STATUS_DSC | STATUS_DRQ;
        if (interrupt) {
            raiseInterrupt();
        }
    }

    /** Offers {@code buffer[0..length)} (or free room of that size) to the bus master. */
    final void startDma(boolean toMemory, int length) {
        transfer = toMemory ? Transfer.DMA_IN : Transfer.DMA_OUT;
        pos = 0;
        end = length;
        status = STATUS_DRDY | STATUS_DSC | STATUS_DRQ;
        channel.dmaReady();
    }

    /** Lets the bus master move the next window after {@link #transferDone} refilled the buffer. */
    final void continueDma(int length) {
        pos = 0;
        end = length;
    }

    /** The command ended well. */
    final void complete(boolean interrupt) {
        transfer = Transfer.NONE;
        status = STATUS_DRDY | STATUS_DSC;
        error = 0;
        if (interrupt) {
            raiseInterrupt();
        }
    }

    /** The command ended with ERR and {@code errorBits} in the error register, and an interrupt. */
    void abort(int errorBits) {
        transfer = Transfer.NONE;
        status = STATUS_DRDY | STATUS_DSC | STATUS_ERR;
        error = errorBits;
        raiseInterrupt();
    }

    final void raiseInterrupt() {
        interruptPending = true;
        if (channel != null) {
            channel.deviceInterrupt();
        }
    }

    // --- commands every device type shares --------------------------------------------------------------

    /** SET FEATURES 03h: the sector count names a PIO, multiword DMA or Ultra DMA mode. */
    final boolean setTransferMode(int value) {
        int mode = value & 0x07;
        switch (value >>> 3) {
            case 0 -> {
                if (mode > 1) {
                    return false;
                }
                pioMode = 4;
            }
            case 1 -> {
                if (mode > 4) {
                    return false;
                }
                pioMode = mode;
            }
            case 4 -> {
                if (mode > 2) {
                    return false;
                }
                mwdmaMode = mode;
                udmaMode = -1;
            }
            case 8 -> {
                if (mode > 5) {
                    return false;
                }
                udmaMode = mode;
                mwdmaMode = -1;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Words 63, 64 and 88 of IDENTIFY: the modes supported (PIO 3-4, MWDMA 0-2, UDMA 0-5) and selected. */
    final void putTransferModes(IdentifyBlock id) {
        id.set(63, 0x0007 | (mwdmaMode >= 0 ? 0x100 << mwdmaMode : 0));
        id.set(64, 0x0003);
        id.set(65, 120).set(66, 120).set(67, 120).set(68, 120);
        id.set(88, 0x003F | (udmaMode >= 0 ? 0x100 << udmaMode : 0));
    }

    /** CHECK POWER MODE: FFh in the sector count when active or idle, 00h in standby. */
    final void checkPowerMode() {
        regs.count = power == Power.STANDBY ? 0x00 : 0xFF;
        complete(true);
    }

    final void enterPower(Power mode) {
        power = mode;
        complete(true);
    }

    /** The medium name for log lines. */
    final String describe() {
        return name;
    }

    /** The current status register (for tests and the machine's trace). */
    public final int status() {
        return status;
    }

    /** The current error register. */
    public final int error() {
        return error;
    }
}

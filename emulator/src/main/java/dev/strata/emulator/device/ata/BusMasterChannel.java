package dev.strata.emulator.device.ata;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's half of the PIIX bus-master IDE window (8 ports at BAR4 + 0 or + 8): the command register (start,
 * direction), the status register (active, error, interrupt, drive DMA capable bits) and the PRD table address.
 * Started, it walks the physical region descriptor table (each entry: a physical address, a byte count where 0
 * means 64 KiB, and EOT in bit 31 of the second dword) and moves the selected device's DMA data to or from memory.
 *
 * <p>When the device finishes before the table does, Active stays set and Interrupt is set; when both end
 * together, Active clears. A table that ends first clears Active and leaves the device waiting, as on the chip.
 * A descriptor or a data region outside RAM sets Error, clears Active and aborts the device's command.
 */
@StateClass("dev.strata.emulator.device.ata.BusMasterChannel")
public final class BusMasterChannel {
    private static final Logger LOG = LoggerFactory.getLogger(BusMasterChannel.class);

    public static final int REG_COMMAND = 0;
    public static final int REG_STATUS = 2;
    public static final int REG_PRD_ADDRESS = 4;

    public static final int COMMAND_START = 0x01;
    /** Set: the bus master writes memory (the device reads from its medium). */
    public static final int COMMAND_WRITE_TO_MEMORY = 0x08;

    public static final int STATUS_ACTIVE = 0x01;
    public static final int STATUS_ERROR = 0x02;
    public static final int STATUS_INTERRUPT = 0x04;
    /** Drive 0 and drive 1 DMA capable: scratch bits the BIOS sets. */
    public static final int STATUS_DRIVE_DMA_CAPABLE = 0x60;

    private static final int PRD_EOT = 0x8000_0000;

    private final transient IdeChannel channel;
    private final transient DmaMemory memory;
    private final transient BooleanSupplier allowed;
    @StateField("descriptor") private final byte[] descriptor = new byte[8];
    @StateField("command") private int command;
    @StateField("status") private int status;
    @StateField("prdTable") private int prdTable;

    // the walk through the table
    @StateField("nextDescriptor") private int nextDescriptor;
    @StateField("regionAddress") private int regionAddress;
    @StateField("regionRemaining") private int regionRemaining;
    @StateField("regionIsLast") private boolean regionIsLast;
    @StateField("tableDone") private boolean tableDone;

    BusMasterChannel(IdeChannel channel, DmaMemory memory, BooleanSupplier allowed) {
        this.channel = channel;
        this.memory = memory;
        this.allowed = allowed == null ? () -> true : allowed;
    }

    public int command() {
        return command;
    }

    public int status() {
        return status;
    }

    public int prdTableAddress() {
        return prdTable;
    }

    /** Reads one byte of the channel's 8 registers. */
    int read(int offset) {
        return switch (offset) {
            case REG_COMMAND -> command;
            case REG_STATUS -> status;
            case 4, 5, 6, 7 -> (prdTable >>> (8 * (offset - 4))) & 0xFF;
            default -> 0;
        };
    }

    /** Writes one byte of the channel's 8 registers. */
    void write(int offset, int value) {
        value &= 0xFF;
        switch (offset) {
            case REG_COMMAND -> writeCommand(value);
            case REG_STATUS -> {
                status = (status & ~STATUS_DRIVE_DMA_CAPABLE) | (value & STATUS_DRIVE_DMA_CAPABLE);
                status &= ~(value & (STATUS_ERROR | STATUS_INTERRUPT)); // write 1 to clear
            }
            case 4, 5, 6, 7 -> {
                int shift = 8 * (offset - 4);
                prdTable = (prdTable & ~(0xFF << shift)) | (value << shift);
                prdTable &= ~3; // the table is dword aligned
            }
            default -> { }
        }
    }

    private void writeCommand(int value) {
        boolean wasStarted = (command & COMMAND_START) != 0;
        boolean start = (value & COMMAND_START) != 0;
        if (wasStarted && start) {
            return; // the direction cannot change while the engine runs
        }
        command = value & (COMMAND_START | COMMAND_WRITE_TO_MEMORY);
        if (start) {
            status |= STATUS_ACTIVE;
            nextDescriptor = prdTable;
            regionRemaining = 0;
            regionIsLast = false;
            tableDone = false;
            run();
        } else if (wasStarted) {
            status &= ~STATUS_ACTIVE; // stopping mid-transfer abandons the rest of the table
        }
    }

    /** The device raised its interrupt. */
    void interruptSeen() {
        status |= STATUS_INTERRUPT;
    }

    void reset() {
        command = 0;
        status = 0;
        prdTable = 0;
        tableDone = true;
    }

    /** Moves data while the engine is started, the table lasts and the selected device wants DMA. */
    void run() {
        if ((command & COMMAND_START) == 0 || (status & STATUS_ACTIVE) == 0 || !allowed.getAsBoolean()) {
            return;
        }
        IdeDevice device = channel.dmaDevice();
        while (device != null && device.dmaWaiting()) {
            if (regionRemaining == 0 && !nextRegion()) {
                if (tableDone) {
                    status &= ~STATUS_ACTIVE; // the table ended before the device did
                } else {
                    fail(device);
                }
                return;
            }
            int n = Math.min(regionRemaining, device.dmaAvailable());
            if (!memory.contains(regionAddress, n)) {
                fail(device);
                return;
            }
            if (device.dmaToMemory()) {
                memory.write(regionAddress, device.buffer, device.pos, n);
            } else {
                memory.read(regionAddress, device.buffer, device.pos, n);
            }
            regionAddress += n;
            regionRemaining -= n;
            if (regionRemaining == 0 && regionIsLast) {
                tableDone = true;
            }
            device.dmaAdvance(n);
        }
        if (tableDone && regionRemaining == 0) {
            status &= ~STATUS_ACTIVE;
        }
    }

    /** Loads the next descriptor; false at the end of the table or if the descriptor is outside RAM. */
    private boolean nextRegion() {
        if (tableDone) {
            return false;
        }
        if (!memory.contains(nextDescriptor, 8)) {
            return false;
        }
        memory.read(nextDescriptor, descriptor, 0, 8);
        nextDescriptor += 8;
        int address = dword(0);
        int control = dword(4);
        int count = control & 0xFFFE;
        regionAddress = address & ~1;
        regionRemaining = count == 0 ? 0x10000 : count;
        regionIsLast = (control & PRD_EOT) != 0;
        return true;
    }

    private int dword(int at) {
        return (descriptor[at] & 0xFF) | (descriptor[at + 1] & 0xFF) << 8 | (descriptor[at + 2] & 0xFF) << 16
                | (descriptor[at + 3] & 0xFF) << 24;
    }

    private void fail(IdeDevice device) {
        status |= STATUS_ERROR;
        status &= ~STATUS_ACTIVE;
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: bus-master PRD table at {}h points outside RAM", device.describe(),
                    Integer.toHexString(prdTable));
        }
        device.dmaFailed();
    }
}

package dev.strata.emulator.device.ata;

import static dev.strata.emulator.device.ata.AtaCommands.*;
import static dev.strata.emulator.device.ata.AtaRegisters.ERROR_ABRT;
import static dev.strata.emulator.device.ata.AtaRegisters.ERROR_IDNF;
import static dev.strata.emulator.device.ata.AtaRegisters.ERROR_UNC;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_DRDY;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_DSC;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.storage.image.DiskImage;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ATA hard disk backed by a {@link DiskImage}: LBA28, LBA48 and CHS addressing; PIO reads and writes one sector
 * or one multiple block per DRQ; DMA through the channel's bus master; the write cache (on by default) with FLUSH
 * CACHE reaching {@link DiskImage#flush()}. A read-only image refuses writes with ABRT; an I/O error of the image
 * becomes UNC (reads) or ABRT (writes, flushes) for the guest and a log line for the host.
 */
@StateClass("dev.strata.emulator.device.ata.AtaDisk")
public final class AtaDisk extends IdeDevice {
    private static final Logger LOG = LoggerFactory.getLogger(AtaDisk.class);

    public static final String MODEL = "STRATA HARDDISK";
    public static final String FIRMWARE_REVISION = "0.1.0";
    /** The largest READ/WRITE MULTIPLE block (IDENTIFY word 47), and the power-on multiple setting. */
    public static final int MAX_MULTIPLE = 16;
    public static final int SECTOR_SIZE = 512;
    /** Sectors an LBA28 command can reach: IDENTIFY words 60..61 never exceed this. */
    public static final long LBA28_SECTORS = 0x0FFF_FFFFL;

    private static final int CHUNK_SECTORS = BUFFER_SIZE / SECTOR_SIZE;

    private transient DiskImage image;
    private final long totalSectors;
    @StateField("defaultGeometry") private final DiskGeometry defaultGeometry;
    private final String serial;
    @StateField("currentGeometry") private DiskGeometry currentGeometry;
    @StateField("multipleCount") private int multipleCount;
    @StateField("writeCache") private boolean writeCache;

    // the read, write or verify command in progress
    @StateField("nextLba") private long nextLba;
    @StateField("remaining") private int remaining;
    @StateField("blockSectors") private int blockSectors;
    @StateField("chunkSectors") private int chunkSectors;
    @StateField("ext") private boolean ext;
    @StateField("chs") private boolean chs;

    /** A disk over {@code image}; {@code serial} is what IDENTIFY reports (at most 20 characters are kept). */
    public AtaDisk(DiskImage image, String serial) {
        if (image == null) {
            throw new IllegalArgumentException("an ATA disk needs an image");
        }
        this.image = image;
        this.totalSectors = image.size() / SECTOR_SIZE;
        if (totalSectors < 1) {
            throw new IllegalArgumentException("image " + image.path() + " of " + image.size()
                    + " bytes holds no whole 512-byte sector");
        }
        this.defaultGeometry = DiskGeometry.forSectors(totalSectors);
        this.serial = serial == null ? "" : serial;
        powerOnDefaults();
    }

    @Override
    public boolean isPacketDevice() {
        return false;
    }

    public DiskImage image() {
        return image;
    }

    /**
     * Puts {@code replacement} under the disk between commands (an online snapshot switches to a new differencing
     * image over the same data); it must hold the same number of sectors. Returns the old image for the caller
     * to close.
     */
    public DiskImage replaceImage(DiskImage replacement) {
        if (replacement == null || replacement.size() / SECTOR_SIZE != totalSectors) {
            throw new IllegalArgumentException("the replacement image of " + serial + " must hold " + totalSectors
                    + " sectors like " + image.path() + (replacement == null ? "" : ", but " + replacement.path()
                    + " holds " + replacement.size() / SECTOR_SIZE));
        }
        DiskImage old = image;
        image = replacement;
        return old;
    }

    public long totalSectors() {
        return totalSectors;
    }

    /** The translation IDENTIFY reports in words 1, 3 and 6. */
    public DiskGeometry defaultGeometry() {
        return defaultGeometry;
    }

    /** The translation CHS addresses use now (changed by INITIALIZE DEVICE PARAMETERS). */
    public DiskGeometry currentGeometry() {
        return currentGeometry;
    }

    public boolean writeCacheEnabled() {
        return writeCache;
    }

    @Override
    int statusAfterReset() {
        return STATUS_DRDY | STATUS_DSC;
    }

    @Override
    void powerOnDefaults() {
        super.powerOnDefaults();
        currentGeometry = defaultGeometry;
        multipleCount = MAX_MULTIPLE;
        writeCache = true;
    }

    @Override
    void executeCommand(int command) {
        if (power == Power.SLEEP) {
            abort(ERROR_ABRT); // only a reset wakes a sleeping device
            return;
        }
        switch (command) {
            case READ_SECTORS, READ_SECTORS_NO_RETRY -> startTransfer(Mode.PIO_READ, false, 1);
            case READ_SECTORS_EXT -> startTransfer(Mode.PIO_READ, true, 1);
            case READ_MULTIPLE -> startMultiple(Mode.PIO_READ, false);
            case READ_MULTIPLE_EXT -> startMultiple(Mode.PIO_READ, true);
            case READ_DMA, READ_DMA_NO_RETRY -> startTransfer(Mode.DMA_READ, false, CHUNK_SECTORS);
            case READ_DMA_EXT -> startTransfer(Mode.DMA_READ, true, CHUNK_SECTORS);
            case WRITE_SECTORS, WRITE_SECTORS_NO_RETRY -> startTransfer(Mode.PIO_WRITE, false, 1);
            case WRITE_SECTORS_EXT -> startTransfer(Mode.PIO_WRITE, true, 1);
            case WRITE_MULTIPLE -> startMultiple(Mode.PIO_WRITE, false);
            case WRITE_MULTIPLE_EXT -> startMultiple(Mode.PIO_WRITE, true);
            case WRITE_DMA, WRITE_DMA_NO_RETRY -> startTransfer(Mode.DMA_WRITE, false, CHUNK_SECTORS);
            case WRITE_DMA_EXT -> startTransfer(Mode.DMA_WRITE, true, CHUNK_SECTORS);
            case READ_VERIFY_SECTORS, READ_VERIFY_SECTORS_NO_RETRY -> startTransfer(Mode.VERIFY, false, CHUNK_SECTORS);
            case READ_VERIFY_SECTORS_EXT -> startTransfer(Mode.VERIFY, true, CHUNK_SECTORS);
            case SET_MULTIPLE_MODE -> setMultipleMode();
            case IDENTIFY_DEVICE -> identify();
            case SET_FEATURES -> setFeatures();
            case FLUSH_CACHE, FLUSH_CACHE_EXT -> {
                if (flushImage()) {
                    complete(true);
                }
            }
            case INITIALIZE_DEVICE_PARAMETERS -> initializeDeviceParameters();
            case IDLE, IDLE_ALT, IDLE_IMMEDIATE, IDLE_IMMEDIATE_ALT -> enterPower(Power.ACTIVE);
            case STANDBY, STANDBY_ALT, STANDBY_IMMEDIATE, STANDBY_IMMEDIATE_ALT -> enterPower(Power.STANDBY);
            case SLEEP, SLEEP_ALT -> enterPower(Power.SLEEP);
            case CHECK_POWER_MODE, CHECK_POWER_MODE_ALT -> checkPowerMode();
            default -> {
                if ((command & 0xF0) == RECALIBRATE || (command & 0xF0) == SEEK) {
                    complete(true); // nothing moves on a virtual disk
                } else {
                    abort(ERROR_ABRT);
                }
            }
        }
    }

    private enum Mode { PIO_READ, PIO_WRITE, DMA_READ, DMA_WRITE, VERIFY }

    private void startMultiple(Mode mode, boolean ext) {
        if (multipleCount == 0) {
            abort(ERROR_ABRT); // READ/WRITE MULTIPLE need SET MULTIPLE MODE first
            return;
        }
        startTransfer(mode, ext, multipleCount);
    }

    private void startTransfer(Mode mode, boolean extended, int block) {
        long lba;
        int count;
        long limit;
        if (extended) {
            lba = regs.lba48();
            count = regs.count48();
            limit = totalSectors;
            chs = false;
        } else if (regs.lbaMode()) {
            lba = regs.lba28();
            count = regs.count28();
            limit = Math.min(totalSectors, LBA28_SECTORS);
            chs = false;
        } else {
            lba = currentGeometry.lbaOf(regs.cylinder(), regs.head(), regs.lbaLow);
            count = regs.count28();
            limit = Math.min(totalSectors, currentGeometry.capacity());
            chs = true;
        }
        if (lba < 0 || lba + count > limit) {
            abort(ERROR_IDNF | ERROR_ABRT);
            return;
        }
        boolean write = mode == Mode.PIO_WRITE || mode == Mode.DMA_WRITE;
        if (write && image.readOnly()) {
            abort(ERROR_ABRT);
            return;
        }
        power = Power.ACTIVE;
        ext = extended;
        nextLba = lba;
        remaining = count;
        blockSectors = block;
        switch (mode) {
            case PIO_READ -> {
                if (readChunk()) {
                    startPioIn(chunkSectors * SECTOR_SIZE, true);
                }
            }
            case DMA_READ -> {
                if (readChunk()) {
                    startDma(true, chunkSectors * SECTOR_SIZE);
                }
            }
            case PIO_WRITE -> {
                chunkSectors = Math.min(remaining, blockSectors);
                startPioOut(chunkSectors * SECTOR_SIZE, false);
            }
            case DMA_WRITE -> {
                chunkSectors = Math.min(remaining, blockSectors);
                startDma(false, chunkSectors * SECTOR_SIZE);
            }
            case VERIFY -> verify();
        }
    }

    private void verify() {
        while (true) {
            if (!readChunk()) {
                return;
            }
            long last = nextLba + chunkSectors - 1;
            nextLba += chunkSectors;
            remaining -= chunkSectors;
            if (remaining == 0) {
                finishTransfer(last, true);
                return;
            }
        }
    }

    @Override
    void transferDone() {
        boolean dma = dmaWaiting();
        boolean reading = transfer == Transfer.PIO_IN || transfer == Transfer.DMA_IN;
        if (!reading && !writeChunk()) {
            return;
        }
        long last = nextLba + chunkSectors - 1;
        nextLba += chunkSectors;
        remaining -= chunkSectors;
        if (remaining == 0) {
            if (!reading && !writeCache && !flushImage()) {
                return;
            }
            // a PIO read ends silently after its last block; everything else interrupts on completion
            finishTransfer(last, dma || !reading);
            return;
        }
        if (reading) {
            if (!readChunk()) {
                return;
            }
        } else {
            chunkSectors = Math.min(remaining, blockSectors);
        }
        if (dma) {
            continueDma(chunkSectors * SECTOR_SIZE);
        } else if (reading) {
            startPioIn(chunkSectors * SECTOR_SIZE, true);
        } else {
            startPioOut(chunkSectors * SECTOR_SIZE, true);
        }
    }

    private void finishTransfer(long lastLba, boolean interrupt) {
        putAddress(lastLba);
        regs.count = 0;
        if (ext) {
            regs.countPrevious = 0;
        }
        complete(interrupt);
    }

    /** Reads the next {@code min(remaining, block)} sectors into the buffer; on failure aborts with UNC. */
    private boolean readChunk() {
        chunkSectors = Math.min(remaining, blockSectors);
        try {
            image.read(nextLba * SECTOR_SIZE, buffer, 0, chunkSectors * SECTOR_SIZE);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: read of {} sectors at LBA {} from {} failed; the guest sees UNC: {}", name, chunkSectors,
                    nextLba, image.path(), e.getMessage());
            putAddress(nextLba);
            abort(ERROR_UNC);
            return false;
        }
    }

    private boolean writeChunk() {
        try {
            image.write(nextLba * SECTOR_SIZE, buffer, 0, chunkSectors * SECTOR_SIZE);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: write of {} sectors at LBA {} to {} failed; the guest sees ABRT: {}", name, chunkSectors,
                    nextLba, image.path(), e.getMessage());
            putAddress(nextLba);
            abort(ERROR_ABRT);
            return false;
        }
    }

    private boolean flushImage() {
        try {
            image.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: flush of {} failed; the guest sees ABRT: {}", name, image.path(), e.getMessage());
            abort(ERROR_ABRT);
            return false;
        }
    }

    /** Puts {@code lba} in the taskfile in the form the command used (LBA48, LBA28 or CHS). */
    private void putAddress(long lba) {
        if (ext) {
            regs.setLba48(lba);
        } else if (chs) {
            DiskGeometry g = currentGeometry;
            regs.setChs(g.cylinderOf(lba), g.headOf(lba), g.sectorOf(lba));
        } else {
            regs.setLba28(lba);
        }
    }

    private void setMultipleMode() {
        int n = regs.count;
        if (n > MAX_MULTIPLE || (n & (n - 1)) != 0) {
            abort(ERROR_ABRT);
            return;
        }
        multipleCount = n; // 0 turns multiple mode off
        complete(true);
    }

    private void setFeatures() {
        switch (regs.features) {
            case FEATURE_SET_TRANSFER_MODE -> {
                if (!setTransferMode(regs.count)) {
                    abort(ERROR_ABRT);
                    return;
                }
            }
            case FEATURE_ENABLE_WRITE_CACHE -> writeCache = true;
            case FEATURE_DISABLE_WRITE_CACHE -> {
                if (!flushImage()) {
                    return;
                }
                writeCache = false;
            }
            case FEATURE_ENABLE_READ_LOOK_AHEAD, FEATURE_DISABLE_READ_LOOK_AHEAD, FEATURE_DISABLE_REVERTING,
                    FEATURE_ENABLE_REVERTING -> {
                // accepted; a virtual disk has no look-ahead and keeps its settings across resets anyway
            }
            default -> {
                abort(ERROR_ABRT);
                return;
            }
        }
        complete(true);
    }

    private void initializeDeviceParameters() {
        int sectors = regs.count;
        int heads = regs.head() + 1;
        long cylinders = sectors == 0 ? 0 : Math.min(65535, totalSectors / ((long) heads * sectors));
        if (cylinders == 0) {
            abort(ERROR_ABRT);
            return;
        }
        currentGeometry = new DiskGeometry((int) cylinders, heads, sectors);
        complete(true);
    }

    private void identify() {
        IdentifyBlock id = new IdentifyBlock();
        DiskGeometry d = defaultGeometry;
        DiskGeometry c = currentGeometry;
        id.set(0, 0x0040); // fixed, not removable
        id.set(1, d.cylinders()).set(3, d.heads()).set(6, d.sectorsPerTrack());
        id.setString(10, 10, serial);
        id.setString(23, 4, FIRMWARE_REVISION);
        id.setString(27, 20, MODEL);
        id.set(47, 0x8000 | MAX_MULTIPLE);
        id.set(49, 0x0B00); // IORDY supported, LBA, DMA
        id.set(50, 0x4000);
        id.set(51, 0x0200).set(52, 0x0200);
        id.set(53, 0x0007); // words 54..58, 64..70 and 88 are valid
        id.set(54, c.cylinders()).set(55, c.heads()).set(56, c.sectorsPerTrack());
        id.setDword(57, Math.min(c.capacity(), totalSectors));
        id.set(59, 0x0100 | multipleCount);
        id.setDword(60, Math.min(totalSectors, LBA28_SECTORS));
        putTransferModes(id);
        id.set(80, 0x007E); // ATA-1 .. ATA/ATAPI-6
        id.set(82, 0x4028); // NOP, write cache, power management
        id.set(83, 0x7400); // FLUSH CACHE EXT, FLUSH CACHE, 48-bit addresses
        id.set(84, 0x4000);
        id.set(85, 0x4008 | (writeCache ? 0x0020 : 0));
        id.set(86, 0x3400);
        id.set(87, 0x4000);
        if (channel != null && channel.serialAta()) {
            id.set(75, SataDevice.QUEUE_DEPTH - 1);
            id.set(76, 0x0106); // SATA 1.5 and 3.0 Gb/s, native command queuing
        } else {
            id.set(93, position == 0 ? 0x6003 : 0x6300); // reset results, 80-conductor cable
        }
        id.setQword(100, totalSectors);
        id.writeTo(buffer);
        startPioIn(512, true);
    }
}

package dev.strata.emulator.device.ata;

import static dev.strata.emulator.device.ata.AtaCommands.*;
import static dev.strata.emulator.device.ata.AtaRegisters.ERROR_ABRT;
import static dev.strata.emulator.device.ata.AtaRegisters.REASON_COD;
import static dev.strata.emulator.device.ata.AtaRegisters.REASON_IO;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_DRDY;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_DRQ;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_DSC;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_ERR;
import static dev.strata.emulator.device.ata.AtapiResponses.SECTOR_SIZE;
import static dev.strata.emulator.device.ata.AtapiResponses.getInt;
import static dev.strata.emulator.device.ata.AtapiResponses.getShort;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.storage.image.DiskImage;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ATAPI CD-ROM drive: the PACKET protocol (12-byte command packets, byte count limit, interrupt reason), MMC
 * commands over 2048-byte sectors of an ISO image, sense data, the medium-changed unit attention and media events,
 * the tray lock, and DMA when the guest asks for it in the features register.
 *
 * <p>The host inserts and ejects media with {@link #insert} and {@link #eject}; call them on the thread that runs
 * the machine (between instructions), as the ports are not synchronized. The drive never closes an image: whoever
 * opened it does, after {@link #eject} or the guest's eject (see {@link #onGuestEject}).
 */
@StateClass("dev.strata.emulator.device.ata.AtapiCdrom")
public final class AtapiCdrom extends IdeDevice {
    private static final Logger LOG = LoggerFactory.getLogger(AtapiCdrom.class);

    public static final String MODEL = "STRATA CD-ROM";
    public static final String FIRMWARE_REVISION = "0.1";

    private static final int CHUNK_SECTORS = BUFFER_SIZE / SECTOR_SIZE;

    // MMC operation codes
    static final int TEST_UNIT_READY = 0x00;
    static final int REQUEST_SENSE = 0x03;
    static final int INQUIRY = 0x12;
    static final int START_STOP_UNIT = 0x1B;
    static final int PREVENT_ALLOW_MEDIUM_REMOVAL = 0x1E;
    static final int READ_CAPACITY = 0x25;
    static final int READ_10 = 0x28;
    static final int SEEK_10 = 0x2B;
    static final int READ_TOC = 0x43;
    static final int GET_CONFIGURATION = 0x46;
    static final int GET_EVENT_STATUS_NOTIFICATION = 0x4A;
    static final int MODE_SENSE_10 = 0x5A;
    static final int READ_12 = 0xA8;

    private final String serial;
    @StateField("cdb") private final byte[] cdb = new byte[12];
    private transient DiskImage medium;
    @StateField("sectors") private long sectors;
    @StateField("mediumChanged") private boolean mediumChanged;
    @StateField("mediaEvent") private int mediaEvent;
    @StateField("trayOpen") private boolean trayOpen;
    @StateField("locked") private boolean locked;
    @StateField("sense") private ScsiSense sense = ScsiSense.NONE;
    private transient Consumer<DiskImage> guestEject = ejected -> { };

    // the packet command in progress
    @StateField("packetPhase") private boolean packetPhase;
    @StateField("dmaRequested") private boolean dmaRequested;
    @StateField("byteLimit") private int byteLimit;
    @StateField("dataEnd") private int dataEnd;
    @StateField("nextLba") private long nextLba;
    @StateField("remainingSectors") private int remainingSectors;

    /** An empty drive; {@code serial} is what IDENTIFY PACKET DEVICE reports. */
    public AtapiCdrom(String serial) {
        this.serial = serial == null ? "" : serial;
        powerOnDefaults();
    }

    @Override
    public boolean isPacketDevice() {
        return true;
    }

    // --- host side ----------------------------------------------------------------------------------------

    /**
     * Puts {@code iso} in the drive (closing the tray), replacing any medium without asking the guest. The guest's
     * next command gets the medium-changed unit attention (06/28) and its event poll a new-media event.
     */
    public void insert(DiskImage iso) {
        if (iso == null) {
            throw new IllegalArgumentException("insert needs an image; use eject() to empty the drive");
        }
        medium = iso;
        sectors = iso.size() / SECTOR_SIZE;
        trayOpen = false;
        mediumChanged = true;
        mediaEvent = AtapiResponses.EVENT_NEW_MEDIA;
    }

    /**
     * Takes the medium out unless the guest locked the tray (PREVENT ALLOW MEDIUM REMOVAL); returns whether the
     * drive is empty now.
     */
    public boolean eject() {
        if (locked && medium != null) {
            return false;
        }
        removeMedium();
        return true;
    }

    /** Takes the medium out even if the guest locked the tray, and unlocks it. */
    public void forceEject() {
        locked = false;
        removeMedium();
    }

    /** The medium in the drive, or null. */
    public DiskImage medium() {
        return medium;
    }

    /** True while the guest prevents medium removal. */
    public boolean isLocked() {
        return locked;
    }

    /** Tells {@code listener} which image the guest ejected with START STOP UNIT, so the host can close it. */
    public void onGuestEject(Consumer<DiskImage> listener) {
        guestEject = listener == null ? ejected -> { } : listener;
    }

    private void removeMedium() {
        if (medium != null) {
            mediaEvent = AtapiResponses.EVENT_MEDIA_REMOVAL;
        }
        medium = null;
        sectors = 0;
        trayOpen = true;
        mediumChanged = false;
    }

    // --- ATA level ----------------------------------------------------------------------------------------

    @Override
    int statusAfterReset() {
        return 0; // packet devices clear DRDY after a reset until the host issues a command
    }

    @Override
    void powerOnDefaults() {
        super.powerOnDefaults();
        locked = false;
        packetPhase = false;
        sense = ScsiSense.NONE;
    }

    @Override
    void softReset() {
        super.softReset();
        packetPhase = false;
    }

    @Override
    void executeCommand(int command) {
        if (power == Power.SLEEP && command != DEVICE_RESET) {
            abort(ERROR_ABRT);
            return;
        }
        switch (command) {
            case PACKET -> startPacket();
            case IDENTIFY_PACKET_DEVICE -> identify();
            case IDENTIFY_DEVICE, READ_SECTORS, READ_SECTORS_NO_RETRY -> {
                // the answer a driver probing for a disk needs: "I am a packet device"
                regs.count = 1;
                regs.lbaLow = 1;
                regs.lbaMid = 0x14;
                regs.lbaHigh = 0xEB;
                abort(ERROR_ABRT);
            }
            case DEVICE_RESET -> {
                int select = regs.device & AtaRegisters.DEVICE_DEV;
                softReset();
                regs.device = select;
            }
            case SET_FEATURES -> {
                if (regs.features == FEATURE_SET_TRANSFER_MODE && setTransferMode(regs.count)) {
                    complete(true);
                } else {
                    abort(ERROR_ABRT);
                }
            }
            case IDLE_IMMEDIATE, IDLE_IMMEDIATE_ALT -> enterPower(Power.ACTIVE);
            case STANDBY_IMMEDIATE, STANDBY_IMMEDIATE_ALT -> enterPower(Power.STANDBY);
            case SLEEP, SLEEP_ALT -> enterPower(Power.SLEEP);
            case CHECK_POWER_MODE, CHECK_POWER_MODE_ALT -> checkPowerMode();
            default -> abort(ERROR_ABRT);
        }
    }

    @Override
    void abort(int errorBits) {
        super.abort(errorBits);
        status = STATUS_DRDY | STATUS_ERR;
        regs.count = REASON_IO | REASON_COD;
    }

    @Override
    void dmaFailed() {
        sense = ScsiSense.ABORTED;
        abort(ERROR_ABRT | ScsiSense.ABORTED.key() << 4);
    }

    private void identify() {
        IdentifyBlock id = new IdentifyBlock();
        id.set(0, 0x85C0); // ATAPI, CD-ROM, removable, DRQ within 50 us, 12-byte packets
        id.setString(10, 10, serial);
        id.setString(23, 4, FIRMWARE_REVISION);
        id.setString(27, 20, MODEL);
        id.set(49, 0x0B00); // IORDY, LBA, DMA
        id.set(50, 0x4000);
        id.set(53, 0x0006); // words 64..70 and 88 are valid
        putTransferModes(id);
        id.set(80, 0x0070); // ATAPI-4 .. ATA/ATAPI-6
        id.set(82, 0x4218); // NOP, DEVICE RESET, PACKET, power management
        id.set(83, 0x4000);
        id.set(84, 0x4000);
        id.set(85, 0x4218);
        id.set(87, 0x4000);
        id.set(93, position == 0 ? 0x6003 : 0x6300);
        id.writeTo(buffer);
        startPioIn(512, true);
    }

    private void startPacket() {
        dmaRequested = (regs.features & 0x01) != 0;
        int limit = regs.byteCount() & ~1;
        byteLimit = limit == 0 ? 0xFFFE : limit;
        remainingSectors = 0;
        packetPhase = true;
        regs.count = REASON_COD;
        transfer = Transfer.PIO_OUT;
        pos = 0;
        end = cdb.length;
        status = STATUS_DRDY | STATUS_DRQ;
    }

    @Override
    void transferDone() {
        if (packetPhase) {
            packetPhase = false;
            System.arraycopy(buffer, 0, cdb, 0, cdb.length);
            transfer = Transfer.NONE;
            executePacket();
            return;
        }
        if (transfer == Transfer.PIO_IN && pos < dataEnd) {
            nextDrqBlock();
            return;
        }
        if (remainingSectors > 0) {
            if (!readSectors()) {
                return;
            }
            if (transfer == Transfer.DMA_IN) {
                continueDma(dataEnd);
            } else {
                pos = 0;
                nextDrqBlock();
            }
            return;
        }
        commandDone();
    }

    // --- packet commands ----------------------------------------------------------------------------------

    private void executePacket() {
        int op = cdb[0] & 0xFF;
        if (op != REQUEST_SENSE) {
            sense = ScsiSense.NONE;
        }
        boolean reportsAttention = op != INQUIRY && op != REQUEST_SENSE && op != GET_CONFIGURATION
                && op != GET_EVENT_STATUS_NOTIFICATION;
        if (reportsAttention && mediumChanged) {
            mediumChanged = false;
            checkCondition(ScsiSense.MEDIUM_CHANGED);
            return;
        }
        switch (op) {
            case TEST_UNIT_READY -> {
                if (mediumPresent()) {
                    commandDone();
                }
            }
            case REQUEST_SENSE -> requestSense();
            case INQUIRY -> {
                if ((cdb[1] & 0x01) != 0) {
                    checkCondition(ScsiSense.INVALID_FIELD); // no vital product data pages
                } else {
                    sendData(AtapiResponses.inquiry(buffer), cdb[4] & 0xFF);
                }
            }
            case START_STOP_UNIT -> startStopUnit();
            case PREVENT_ALLOW_MEDIUM_REMOVAL -> {
                locked = (cdb[4] & 0x01) != 0;
                commandDone();
            }
            case READ_CAPACITY -> {
                if (mediumPresent()) {
                    sendData(AtapiResponses.readCapacity(buffer, sectors), 8);
                }
            }
            case READ_10 -> read(getInt(cdb, 2), getShort(cdb, 7));
            case READ_12 -> read(getInt(cdb, 2), getInt(cdb, 6));
            case SEEK_10 -> {
                if (mediumPresent()) {
                    if (getInt(cdb, 2) >= sectors) {
                        checkCondition(ScsiSense.LBA_OUT_OF_RANGE);
                    } else {
                        commandDone();
                    }
                }
            }
            case READ_TOC -> readToc();
            case MODE_SENSE_10 -> modeSense();
            case GET_CONFIGURATION -> respond(AtapiResponses.configuration(buffer, cdb[1] & 0x03,
                    getShort(cdb, 2), medium != null, locked), getShort(cdb, 7));
            case GET_EVENT_STATUS_NOTIFICATION -> eventStatus();
            default -> checkCondition(ScsiSense.INVALID_OPCODE);
        }
    }

    private boolean mediumPresent() {
        if (medium == null) {
            checkCondition(ScsiSense.NO_MEDIUM);
            return false;
        }
        return true;
    }

    private void requestSense() {
        ScsiSense report = sense;
        if (mediumChanged) {
            report = ScsiSense.MEDIUM_CHANGED;
            mediumChanged = false;
        }
        sense = ScsiSense.NONE;
        sendData(AtapiResponses.requestSense(buffer, report), cdb[4] & 0xFF);
    }

    private void startStopUnit() {
        boolean loadEject = (cdb[4] & 0x02) != 0;
        boolean start = (cdb[4] & 0x01) != 0;
        if (loadEject && !start) {
            if (locked) {
                checkCondition(ScsiSense.REMOVAL_PREVENTED);
                return;
            }
            DiskImage ejected = medium;
            removeMedium();
            if (ejected != null) {
                guestEject.accept(ejected);
            }
        } else if (loadEject) {
            trayOpen = false;
        }
        commandDone();
    }

    private void read(long lba, long count) {
        if (!mediumPresent()) {
            return;
        }
        if (lba + count > sectors) {
            checkCondition(ScsiSense.LBA_OUT_OF_RANGE);
            return;
        }
        if (count == 0) {
            commandDone();
            return;
        }
        nextLba = lba;
        remainingSectors = (int) count;
        if (readSectors()) {
            startDataIn();
        }
    }

    /** Loads the next chunk of sectors into the buffer; a failing image ends the command with 03/11. */
    private boolean readSectors() {
        int n = Math.min(remainingSectors, CHUNK_SECTORS);
        try {
            medium.read(nextLba * SECTOR_SIZE, buffer, 0, n * SECTOR_SIZE);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: read of {} sectors at {} from {} failed; the guest sees a medium error: {}", name, n,
                    nextLba, medium.path(), e.getMessage());
            remainingSectors = 0;
            checkCondition(ScsiSense.READ_ERROR);
            return false;
        }
        nextLba += n;
        remainingSectors -= n;
        dataEnd = n * SECTOR_SIZE;
        return true;
    }

    private void readToc() {
        if (!mediumPresent()) {
            return;
        }
        int format = cdb[2] & 0x0F;
        if (format == 0) {
            format = (cdb[9] & 0xFF) >>> 6; // the older place for the format
        }
        boolean msf = (cdb[1] & 0x02) != 0;
        respond(AtapiResponses.toc(buffer, format, msf, cdb[6] & 0xFF, sectors), getShort(cdb, 7));
    }

    private void modeSense() {
        int pageControl = (cdb[2] & 0xFF) >>> 6;
        if (pageControl == 3) {
            checkCondition(ScsiSense.SAVING_NOT_SUPPORTED);
            return;
        }
        respond(AtapiResponses.modeSense(buffer, pageControl, cdb[2] & 0x3F, medium != null, locked),
                getShort(cdb, 7));
    }

    private void eventStatus() {
        if ((cdb[1] & 0x01) == 0) {
            checkCondition(ScsiSense.INVALID_FIELD); // only polled operation
            return;
        }
        int classes = cdb[4] & 0xFF;
        int length = AtapiResponses.eventStatus(buffer, classes, mediaEvent, medium != null, trayOpen);
        if ((classes & 0x10) != 0) {
            mediaEvent = AtapiResponses.EVENT_NONE; // reported once
        }
        sendData(length, getShort(cdb, 7));
    }

    /** Sends a response of {@code length} bytes (or fails with 05/24 if the builder said -1). */
    private void respond(int length, int allocation) {
        if (length < 0) {
            checkCondition(ScsiSense.INVALID_FIELD);
        } else {
            sendData(length, allocation);
        }
    }

    private void sendData(int length, int allocation) {
        int n = Math.min(length, allocation);
        if (n <= 0) {
            commandDone();
            return;
        }
        dataEnd = n;
        startDataIn();
    }

    private void startDataIn() {
        regs.count = REASON_IO;
        if (dmaRequested) {
            startDma(true, dataEnd);
        } else {
            pos = 0;
            nextDrqBlock();
        }
    }

    /** Offers the next DRQ block of the buffer: at most the byte count limit, announced in LBA mid/high. */
    private void nextDrqBlock() {
        int n = Math.min(dataEnd - pos, byteLimit);
        regs.setByteCount(n);
        regs.count = REASON_IO;
        transfer = Transfer.PIO_IN;
        end = pos + n;
        status = STATUS_DRDY | STATUS_DRQ;
        raiseInterrupt();
    }

    private void commandDone() {
        transfer = Transfer.NONE;
        remainingSectors = 0;
        status = STATUS_DRDY | STATUS_DSC;
        error = 0;
        regs.count = REASON_IO | REASON_COD;
        raiseInterrupt();
    }

    private void checkCondition(ScsiSense s) {
        sense = s;
        transfer = Transfer.NONE;
        remainingSectors = 0;
        status = STATUS_DRDY | STATUS_ERR;
        error = s.key() << 4 | (s.key() == ScsiSense.KEY_ILLEGAL_REQUEST ? ERROR_ABRT : 0);
        regs.count = REASON_IO | REASON_COD;
        raiseInterrupt();
    }

    /** The sense data the next REQUEST SENSE reports (for tests and traces). */
    public ScsiSense sense() {
        return sense;
    }
}

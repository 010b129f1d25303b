package dev.strata.emulator.device.ata;

import java.util.Arrays;

/**
 * The data blocks an ATAPI CD-ROM returns to MMC commands (INQUIRY, REQUEST SENSE, READ CAPACITY, READ TOC, MODE
 * SENSE(10), GET CONFIGURATION, GET EVENT STATUS NOTIFICATION), written big-endian into the device's buffer. Each
 * method returns the full length of its answer (the caller cuts it to the allocation length), or -1 when a field of
 * the request is invalid.
 */
final class AtapiResponses {

    static final String VENDOR = "STRATA";
    static final String PRODUCT = "CD-ROM";
    static final int SECTOR_SIZE = 2048;
    /** The one profile the drive implements: CD-ROM. */
    static final int PROFILE_CD_ROM = 0x0008;
    /** ADR 1 (current position), control 4 (data track). */
    private static final int ADR_CONTROL_DATA = 0x14;

    // media event codes (GET EVENT STATUS NOTIFICATION, media class)
    static final int EVENT_NONE = 0;
    static final int EVENT_NEW_MEDIA = 2;
    static final int EVENT_MEDIA_REMOVAL = 3;

    private AtapiResponses() {
    }

    static int inquiry(byte[] b) {
        Arrays.fill(b, 0, 36, (byte) 0);
        b[0] = 0x05; // CD/DVD device
        b[1] = (byte) 0x80; // removable medium
        b[2] = 0x00; // no SCSI standard claimed, as ATAPI drives report
        b[3] = 0x21; // ATAPI, response data format 1
        b[4] = 31; // additional length
        ascii(b, 8, 8, VENDOR);
        ascii(b, 16, 16, PRODUCT);
        ascii(b, 32, 4, AtapiCdrom.FIRMWARE_REVISION);
        return 36;
    }

    static int requestSense(byte[] b, ScsiSense sense) {
        Arrays.fill(b, 0, 18, (byte) 0);
        b[0] = 0x70; // current error, fixed format
        b[2] = (byte) sense.key();
        b[7] = 10; // additional sense length
        b[12] = (byte) sense.asc();
        b[13] = (byte) sense.ascq();
        return 18;
    }

    static int readCapacity(byte[] b, long sectors) {
        putInt(b, 0, (int) (sectors - 1));
        putInt(b, 4, SECTOR_SIZE);
        return 8;
    }

    /** READ TOC formats 0 (tracks) and 1 (session information) for a single-track, single-session data disc. */
    static int toc(byte[] b, int format, boolean msf, int startTrack, long sectors) {
        int n;
        switch (format) {
            case 0 -> {
                if (startTrack > 1 && startTrack != 0xAA) {
                    return -1;
                }
                b[2] = 1; // first track
                b[3] = 1; // last track
                n = 4;
                if (startTrack <= 1) {
                    n = trackDescriptor(b, n, 1, 0, msf);
                }
                n = trackDescriptor(b, n, 0xAA, sectors, msf);
            }
            case 1 -> {
                b[2] = 1; // first session
                b[3] = 1; // last session
                n = trackDescriptor(b, 4, 1, 0, msf); // first track of the last session
            }
            default -> {
                return -1;
            }
        }
        putShort(b, 0, n - 2);
        return n;
    }

    private static int trackDescriptor(byte[] b, int at, int track, long lba, boolean msf) {
        b[at] = 0;
        b[at + 1] = ADR_CONTROL_DATA;
        b[at + 2] = (byte) track;
        b[at + 3] = 0;
        if (msf) {
            long frames = lba + 150; // the 2-second pregap
            b[at + 4] = 0;
            b[at + 5] = (byte) (frames / (75 * 60));
            b[at + 6] = (byte) ((frames / 75) % 60);
            b[at + 7] = (byte) (frames % 75);
        } else {
            putInt(b, at + 4, (int) lba);
        }
        return at + 8;
    }

    /**
     * MODE SENSE(10) for pages 01h (read error recovery), 2Ah (capabilities) and 3Fh (both); page control 1
     * (changeable values) answers zeros, because nothing is changeable. Page control 3 (saved) is refused by the
     * caller.
     */
    static int modeSense(byte[] b, int pageControl, int page, boolean mediumPresent, boolean locked) {
        int n = 8;
        Arrays.fill(b, 0, 8, (byte) 0);
        b[2] = (byte) (mediumPresent ? 0x01 : 0x70); // 120 mm data CD, or door closed and no disc
        boolean zeros = pageControl == 1;
        switch (page) {
            case 0x01 -> n = errorRecoveryPage(b, n, zeros);
            case 0x2A -> n = capabilitiesPage(b, n, locked, zeros);
            case 0x3F -> {
                n = errorRecoveryPage(b, n, zeros);
                n = capabilitiesPage(b, n, locked, zeros);
            }
            default -> {
                return -1;
            }
        }
        putShort(b, 0, n - 2);
        return n;
    }

    private static int errorRecoveryPage(byte[] b, int at, boolean zeros) {
        Arrays.fill(b, at, at + 8, (byte) 0);
        b[at] = 0x01;
        b[at + 1] = 6;
        if (!zeros) {
            b[at + 3] = 5; // read retry count
        }
        return at + 8;
    }

    private static int capabilitiesPage(byte[] b, int at, boolean locked, boolean zeros) {
        Arrays.fill(b, at, at + 20, (byte) 0);
        b[at] = 0x2A;
        b[at + 1] = 18;
        if (!zeros) {
            b[at + 2] = 0x03; // reads CD-R and CD-RW media
            b[at + 6] = (byte) (0x20 | 0x08 | 0x01 | (locked ? 0x02 : 0)); // tray, eject, lock (and its state)
            putShort(b, at + 8, 7040); // maximum read speed, kB/s (40x)
            putShort(b, at + 12, 128); // buffer size, KiB
            putShort(b, at + 14, 7040); // current read speed
        }
        return at + 20;
    }

    /**
     * GET CONFIGURATION: features 0000h (profile list: CD-ROM), 0001h (core, ATAPI), 0003h (removable medium,
     * tray), 0010h (random readable, 2048-byte blocks) and 001Eh (CD read). {@code rt} 0 lists all features from
     * {@code start}, 1 only current ones, 2 just the feature {@code start}.
     */
    static int configuration(byte[] b, int rt, int start, boolean mediumPresent, boolean locked) {
        if (rt == 3) {
            return -1;
        }
        Arrays.fill(b, 0, 8, (byte) 0);
        putShort(b, 6, mediumPresent ? PROFILE_CD_ROM : 0);
        int n = 8;
        int[] features = {0x0000, 0x0001, 0x0003, 0x0010, 0x001E};
        for (int code : features) {
            boolean current = code < 0x0010 || mediumPresent;
            boolean wanted = rt == 2 ? code == start : code >= start && (rt == 0 || current);
            if (wanted) {
                n = feature(b, n, code, current, mediumPresent, locked);
            }
        }
        putInt(b, 0, n - 4);
        return n;
    }

    private static int feature(byte[] b, int at, int code, boolean current, boolean mediumPresent, boolean locked) {
        int version;
        int length;
        switch (code) {
            case 0x0000 -> { version = 0; length = 4; }
            case 0x0001 -> { version = 2; length = 8; }
            case 0x0003 -> { version = 0; length = 4; }
            case 0x0010 -> { version = 0; length = 8; }
            default -> { version = 2; length = 4; }
        }
        Arrays.fill(b, at, at + 4 + length, (byte) 0);
        putShort(b, at, code);
        boolean persistent = code <= 0x0003;
        b[at + 2] = (byte) (version << 2 | (persistent ? 0x02 : 0) | (current ? 0x01 : 0));
        b[at + 3] = (byte) length;
        int d = at + 4;
        switch (code) {
            case 0x0000 -> {
                putShort(b, d, PROFILE_CD_ROM);
                b[d + 2] = (byte) (mediumPresent ? 0x01 : 0);
            }
            case 0x0001 -> putInt(b, d, 2); // physical interface standard: ATAPI
            case 0x0003 -> b[d] = (byte) (0x20 | 0x08 | (locked ? 0x02 : 0) | 0x01); // tray, eject, lock
            case 0x0010 -> {
                putInt(b, d, SECTOR_SIZE);
                putShort(b, d + 4, 1); // blocking
            }
            default -> { }
        }
        return at + 4 + length;
    }

    /** GET EVENT STATUS NOTIFICATION, polled: the media class event and status, or "no event available". */
    static int eventStatus(byte[] b, int requestedClasses, int event, boolean mediumPresent, boolean trayOpen) {
        Arrays.fill(b, 0, 8, (byte) 0);
        b[3] = 0x10; // supported classes: media
        if ((requestedClasses & 0x10) == 0) {
            putShort(b, 0, 2);
            b[2] = (byte) 0x80; // no event available
            return 4;
        }
        putShort(b, 0, 6);
        b[2] = 0x04; // media class
        b[4] = (byte) event;
        b[5] = (byte) ((mediumPresent ? 0x02 : 0) | (trayOpen ? 0x01 : 0));
        return 8;
    }

    static void ascii(byte[] b, int at, int length, String text) {
        for (int i = 0; i < length; i++) {
            b[at + i] = (byte) (i < text.length() ? text.charAt(i) : ' ');
        }
    }

    static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static int getShort(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    static long getInt(byte[] b, int at) {
        return (long) (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}

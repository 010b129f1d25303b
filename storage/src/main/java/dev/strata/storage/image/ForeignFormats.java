package dev.strata.storage.image;

import java.nio.charset.StandardCharsets;

/**
 * Recognises the signatures of disk image formats Strata does not open, so that such a file is refused by name
 * instead of being taken for a raw disk (and written over). Each check looks where that format keeps its magic.
 */
final class ForeignFormats {
    private ForeignFormats() {
    }

    /** What the cloop driver's shell header starts with (QEMU and Linux both look for this line). */
    private static final String CLOOP_HEADER = "#!/bin/sh\n#V2.0 Format\n";

    /** The name of the foreign format the probed file's first and last bytes show, or null when none matches. */
    static String identify(ImageProbe probe) {
        return identify(probe.head(), probe.head().length, probe.tail());
    }

    /**
     * The same from bytes: {@code head} holds the file's first {@code n} bytes, {@code tail} its last 512 (null
     * for a file shorter than 1 KiB, where no trailer format fits).
     */
    static String identify(byte[] head, int n, byte[] tail) {
        String start = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        if (start.startsWith("vhdxfile")) {
            return "VHDX";
        }
        if (start.startsWith("QFI\u00fb")) {
            int version = n >= 8 ? (head[4] & 0xFF) << 24 | (head[5] & 0xFF) << 16 | (head[6] & 0xFF) << 8 | head[7] & 0xFF : 0;
            return version == 1 ? "QCOW" : "QCOW2";
        }
        if (start.startsWith("QED\0")) {
            return "QED";
        }
        if (start.startsWith("LUKS\u00ba\u00be")) {
            return "LUKS";
        }
        if (start.startsWith("Bochs Virtual HD Image")) {
            return "Bochs";
        }
        if (start.startsWith(CLOOP_HEADER)) {
            return "cloop";
        }
        if (tail != null) {
            // a DMG keeps its signature in a 512-byte "koly" trailer
            String end = new String(tail, StandardCharsets.ISO_8859_1);
            if (end.startsWith("koly")) {
                return "DMG";
            }
        }
        return null;
    }
}

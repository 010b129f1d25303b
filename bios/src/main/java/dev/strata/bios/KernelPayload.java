package dev.strata.bios;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.SingleXZInputStream;

/**
 * The compressed kernel inside a bzImage (the boot protocol's payload, 2.08 and later): tells its format by its
 * magic bytes and unpacks the formats Strata reads (gzip, xz, lzma, or none) into the kernel's ELF image, which the
 * kernel's own decompressor would otherwise make in guest RAM. The other formats the kernel builds with (bzip2, lzo,
 * lz4, zstd) are named, so that the loader can leave them to the guest.
 */
final class KernelPayload {

    /** The payload's format, by the magic bytes at its start. */
    enum Format {
        GZIP("gzip", true),
        XZ("xz", true),
        LZMA("lzma", true),
        NONE("uncompressed", true),
        BZIP2("bzip2", false),
        LZO("lzo", false),
        LZ4("lz4", false),
        ZSTD("zstd", false),
        UNKNOWN("an unknown format", false);

        final String label;
        final boolean readable;

        Format(String label, boolean readable) {
            this.label = label;
            this.readable = readable;
        }
    }

    private KernelPayload() {
    }

    /** The format of the payload that starts at {@code offset} of {@code file}. */
    static Format format(byte[] file, int offset, int length) {
        if (starts(file, offset, length, 0x1F, 0x8B)) {
            return Format.GZIP;
        }
        if (starts(file, offset, length, 0xFD, '7', 'z', 'X', 'Z', 0x00)) {
            return Format.XZ;
        }
        if (starts(file, offset, length, 0x5D, 0x00, 0x00)) {
            return Format.LZMA;
        }
        if (starts(file, offset, length, 0x7F, 'E', 'L', 'F')) {
            return Format.NONE;
        }
        if (starts(file, offset, length, 'B', 'Z', 'h')) {
            return Format.BZIP2;
        }
        if (starts(file, offset, length, 0x89, 'L', 'Z', 'O')) {
            return Format.LZO;
        }
        if (starts(file, offset, length, 0x02, 0x21, 0x4C, 0x18)) {
            return Format.LZ4;
        }
        if (starts(file, offset, length, 0x28, 0xB5, 0x2F, 0xFD)) {
            return Format.ZSTD;
        }
        return Format.UNKNOWN;
    }

    private static boolean starts(byte[] file, int offset, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int k = 0; k < magic.length; k++) {
            if ((file[offset + k] & 0xFF) != magic[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Unpacks the payload of {@code length} bytes at {@code offset} of {@code file} (named {@code name} in
     * messages), which is in {@code format} (a readable one), into at most {@code limit} bytes.
     *
     * @throws IllegalArgumentException naming the file, the payload's offset and what is wrong when it does not
     *     unpack (damaged data, or more than {@code limit} bytes)
     */
    static byte[] unpack(String name, byte[] file, int offset, int length, Format format, long limit) {
        if (format == Format.NONE) {
            return java.util.Arrays.copyOfRange(file, offset, offset + length);
        }
        // The kernel's build appends the unpacked size (4 bytes) to the compressed stream; each reader stops at the
        // end of its one stream, so that trailer is never read as data.
        InputStream raw = new ByteArrayInputStream(file, offset, length);
        byte[] out;
        try (InputStream in = switch (format) {
            case GZIP -> new GZIPInputStream(raw, 65536);
            case XZ -> new SingleXZInputStream(raw);
            case LZMA -> new LZMAInputStream(raw);
            default -> throw new IllegalStateException(format + " is not a format Strata unpacks");
        }) {
            out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException | RuntimeException e) { // the readers' own checks (a CRC, a corrupt stream)
            throw new IllegalArgumentException(String.format("%s: the kernel's %s payload at file offset %Xh"
                    + " (%d bytes) does not unpack: %s; the file is damaged, or let the kernel unpack itself"
                    + " (--kernel-unpack guest)", name, format.label, offset, length, describe(e)), e);
        }
        if (out.length > limit) {
            throw new IllegalArgumentException(String.format("%s: the kernel's %s payload at file offset %Xh"
                    + " unpacks to more than %d KiB, more than the machine's RAM: give more memory (--memory), or"
                    + " let the kernel unpack itself (--kernel-unpack guest)", name, format.label, offset,
                    limit >> 10));
        }
        return out;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}

package dev.strata.bios;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAOutputStream;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Builds small vmlinux-like ELF images for the loader's tests: a 32-bit x86 executable with a text segment at
 * {@link #TEXT} (holding a counting pattern, the entry at its start) and a data segment at {@link #DATA} whose memory
 * size is larger than its file size (BSS), and compresses them as the kernel's build does.
 */
final class FakeKernelElf {

    static final int TEXT = 0x200000;
    static final int TEXT_BYTES = 6000;
    static final int DATA = 0x203000;
    static final int DATA_BYTES = 100;
    static final int DATA_MEMORY = 0x2000;
    private static final int HEADERS = 52 + 2 * 32;

    private FakeKernelElf() {
    }

    /** The byte at {@code offset} of the text segment. */
    static int textByte(int offset) {
        return (offset * 13 + 5) & 0xFF;
    }

    /** The image, with e_machine {@code machine} and ELF class {@code elfClass} (1: 32-bit). */
    static byte[] image(int machine, int elfClass) {
        ByteBuffer b = ByteBuffer.allocate(HEADERS + TEXT_BYTES + DATA_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', (byte) elfClass, 1, 1});
        b.putShort(16, (short) 2); // ET_EXEC
        b.putShort(18, (short) machine);
        b.putInt(20, 1);
        b.putInt(24, TEXT); // e_entry, physical as the kernel's
        b.putInt(28, 52); // e_phoff
        b.putShort(40, (short) 52);
        b.putShort(42, (short) 32);
        b.putShort(44, (short) 2);
        programHeader(b, 52, HEADERS, TEXT, TEXT_BYTES, TEXT_BYTES);
        programHeader(b, 52 + 32, HEADERS + TEXT_BYTES, DATA, DATA_BYTES, DATA_MEMORY);
        for (int i = 0; i < TEXT_BYTES; i++) {
            b.put(HEADERS + i, (byte) textByte(i));
        }
        for (int i = 0; i < DATA_BYTES; i++) {
            b.put(HEADERS + TEXT_BYTES + i, (byte) 0xD0);
        }
        return b.array();
    }

    /** A 32-bit x86 kernel image. */
    static byte[] image() {
        return image(3, 1);
    }

    private static void programHeader(ByteBuffer b, int at, int offset, int physical, int fileBytes, int memory) {
        b.putInt(at, 1); // PT_LOAD
        b.putInt(at + 4, offset);
        b.putInt(at + 8, 0xC0000000 + physical);
        b.putInt(at + 12, physical);
        b.putInt(at + 16, fileBytes);
        b.putInt(at + 20, memory);
        b.putInt(at + 24, 5);
        b.putInt(at + 28, 0x1000);
    }

    /** {@code data} compressed as the kernel's build compresses it: "xz" (with the x86 filter), "gzip" or "lzma". */
    static byte[] compress(byte[] data, String how) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = switch (how) {
            case "xz" -> new XZOutputStream(out, new FilterOptions[] {new X86Options(), new LZMA2Options()},
                    org.tukaani.xz.XZ.CHECK_CRC32);
            case "gzip" -> new GZIPOutputStream(out);
            case "lzma" -> new LZMAOutputStream(out, new LZMA2Options(), -1);
            default -> throw new IllegalArgumentException(how);
        }) {
            z.write(data);
        }
        return out.toByteArray();
    }
}

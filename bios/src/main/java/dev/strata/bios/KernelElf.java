package dev.strata.bios;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's own image as its bzImage carries it compressed (vmlinux, a 32-bit ELF executable): the segments to
 * load at their physical addresses and the entry point, as the kernel's decompressor reads them ({@code parse_elf}
 * in arch/x86/boot/compressed/misc.c). {@link #parse} checks what the loader relies on and names the field.
 */
final class KernelElf {

    /** A loadable segment: {@code fileBytes} from {@code fileOffset} go to {@code physical}; it spans memoryBytes. */
    record Segment(long physical, int fileOffset, int fileBytes, long memoryBytes) {
    }

    private static final int PT_LOAD = 1;
    private static final int EM_386 = 3;
    private static final int ET_EXEC = 2;

    private final byte[] image;
    private final long entry;
    private final List<Segment> segments;

    private KernelElf(byte[] image, long entry, List<Segment> segments) {
        this.image = image;
        this.entry = entry;
        this.segments = segments;
    }

    /**
     * Reads the ELF header and program headers of {@code image}, the payload of {@code name} unpacked.
     *
     * @return the kernel, or null when the image is not a 32-bit x86 ELF executable (a 64-bit kernel, say): the
     *     kernel's own decompressor then runs and says what it says on such a machine
     * @throws IllegalArgumentException naming the file and the header field when the ELF image is damaged
     */
    static KernelElf parse(String name, byte[] image) {
        if (image.length < 52 || image[0] != 0x7F || image[1] != 'E' || image[2] != 'L' || image[3] != 'F') {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image[4] != 1 || image[5] != 1 || b.getShort(18) != EM_386 || b.getShort(16) != ET_EXEC) {
            return null; // not ELFCLASS32, little-endian, EM_386, ET_EXEC
        }
        long entry = b.getInt(24) & 0xFFFFFFFFL;
        long phoff = b.getInt(28) & 0xFFFFFFFFL;
        int phentsize = b.getShort(42) & 0xFFFF;
        int phnum = b.getShort(44) & 0xFFFF;
        if (phentsize < 32 || phnum == 0 || phoff + (long) phentsize * phnum > image.length) {
            throw damaged(name, String.format("its program headers (e_phoff %Xh, e_phnum %d, e_phentsize %d) lie"
                    + " outside its %d bytes", phoff, phnum, phentsize, image.length));
        }
        List<Segment> segments = new ArrayList<>();
        boolean entryInside = false;
        for (int k = 0; k < phnum; k++) {
            int ph = (int) (phoff + (long) k * phentsize);
            if (b.getInt(ph) != PT_LOAD) {
                continue;
            }
            long offset = b.getInt(ph + 4) & 0xFFFFFFFFL;
            long physical = b.getInt(ph + 12) & 0xFFFFFFFFL;
            long fileBytes = b.getInt(ph + 16) & 0xFFFFFFFFL;
            long memoryBytes = b.getInt(ph + 20) & 0xFFFFFFFFL;
            if (offset + fileBytes > image.length || fileBytes > memoryBytes
                    || physical + memoryBytes > 0x1_0000_0000L) {
                throw damaged(name, String.format("its program header %d (p_offset %Xh, p_paddr %Xh, p_filesz %Xh,"
                        + " p_memsz %Xh) does not fit its %d bytes or the 4 GiB address space", k, offset, physical,
                        fileBytes, memoryBytes, image.length));
            }
            segments.add(new Segment(physical, (int) offset, (int) fileBytes, memoryBytes));
            entryInside |= entry >= physical && entry < physical + memoryBytes;
        }
        if (!entryInside) {
            throw damaged(name, String.format("its entry point (e_entry %Xh) lies in none of its %d loadable"
                    + " segments", entry, segments.size()));
        }
        return new KernelElf(image, entry, List.copyOf(segments));
    }

    private static IllegalArgumentException damaged(String name, String what) {
        return new IllegalArgumentException(name + ": the kernel unpacked from it is not a bootable ELF image: " + what
                + "; the file is damaged, or let the kernel unpack itself (--kernel-unpack guest)");
    }

    /** The physical address the kernel starts at (its 32-bit entry, {@code startup_32}). */
    long entry() {
        return entry;
    }

    /** The loadable segments, in the order of their headers. */
    List<Segment> segments() {
        return segments;
    }

    /** The ELF image the segments' file offsets point into. */
    byte[] image() {
        return image;
    }

    /** The lowest physical address a segment occupies. */
    long lowest() {
        return segments.stream().mapToLong(Segment::physical).min().orElse(0);
    }

    /** The physical address just past the highest segment. */
    long end() {
        return segments.stream().mapToLong(s -> s.physical() + s.memoryBytes()).max().orElse(0);
    }
}

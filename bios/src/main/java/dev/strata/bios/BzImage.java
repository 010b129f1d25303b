package dev.strata.bios;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A Linux bzImage as the x86 boot protocol (Documentation/arch/x86/boot.rst) describes it: the real-mode setup
 * (boot sector and setup sectors) followed by the protected-mode kernel, with the setup header fields a boot loader
 * reads. {@link #parse} checks what a loader must rely on and names the field that is wrong.
 */
final class BzImage {

    static final int SETUP_SECTS = 0x1F1;
    static final int VID_MODE = 0x1FA;
    static final int BOOT_FLAG = 0x1FE;
    static final int HEADER = 0x202;
    static final int VERSION = 0x206;
    static final int TYPE_OF_LOADER = 0x210;
    static final int LOADFLAGS = 0x211;
    static final int CODE32_START = 0x214;
    static final int RAMDISK_IMAGE = 0x218;
    static final int RAMDISK_SIZE = 0x21C;
    static final int HEAP_END_PTR = 0x224;
    static final int CMD_LINE_PTR = 0x228;
    static final int INITRD_ADDR_MAX = 0x22C;
    static final int CMDLINE_SIZE = 0x238;
    static final int PAYLOAD_OFFSET = 0x248;
    static final int PAYLOAD_LENGTH = 0x24C;
    static final int PREF_ADDRESS = 0x258;
    static final int INIT_SIZE = 0x260;
    static final int HDRS = 0x53726448; // "HdrS"
    static final int LOADED_HIGH = 0x01;
    static final int CAN_USE_HEAP = 0x80;
    /** Protocol 2.02 brought the 32-bit cmd_line_ptr, which this loader uses. */
    static final int MIN_PROTOCOL = 0x0202;

    private final byte[] file;
    private final int setupBytes;
    private final int protocol;

    private BzImage(byte[] file, int setupBytes, int protocol) {
        this.file = file;
        this.setupBytes = setupBytes;
        this.protocol = protocol;
    }

    /**
     * Checks the setup header of {@code file} (named {@code name} in messages).
     *
     * @throws IllegalArgumentException naming the file and the field when it is not a bzImage this loader can boot
     */
    static BzImage parse(String name, byte[] file) {
        if (file.length < 0x264) {
            throw new IllegalArgumentException(name + ": not a Linux bzImage (" + file.length
                    + " bytes is too short for the boot protocol's setup header); give the kernel's vmlinuz/bzImage");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(HEADER) != HDRS) {
            throw new IllegalArgumentException(String.format("%s: not a Linux bzImage (no \"HdrS\" magic at offset"
                    + " %Xh of the setup header); give the kernel's vmlinuz/bzImage, not an ELF vmlinux or a disk image",
                    name, HEADER));
        }
        if ((b.getShort(BOOT_FLAG) & 0xFFFF) != 0xAA55) {
            throw new IllegalArgumentException(String.format("%s: boot_flag at offset %Xh is %04Xh, not AA55h: the"
                    + " kernel file is damaged", name, BOOT_FLAG, b.getShort(BOOT_FLAG) & 0xFFFF));
        }
        int protocol = b.getShort(VERSION) & 0xFFFF;
        if (protocol < MIN_PROTOCOL) {
            throw new IllegalArgumentException(String.format("%s: boot protocol version %d.%02d (field version at"
                    + " offset %Xh) is older than 2.02, which direct kernel boot needs; boot it from a disk instead",
                    name, protocol >> 8, protocol & 0xFF, VERSION));
        }
        if ((file[LOADFLAGS] & LOADED_HIGH) == 0) {
            throw new IllegalArgumentException(String.format("%s: a zImage (loadflags at offset %Xh has no"
                    + " LOADED_HIGH): only bzImage kernels, loaded at 1 MiB, can be booted directly", name, LOADFLAGS));
        }
        int sects = file[SETUP_SECTS] & 0xFF;
        int setupBytes = ((sects == 0 ? 4 : sects) + 1) * 512;
        if (setupBytes >= file.length) {
            throw new IllegalArgumentException(String.format("%s: setup_sects (offset %Xh) says %d sectors of setup,"
                    + " but the file has only %d bytes: the kernel file is truncated", name, SETUP_SECTS, sects,
                    file.length));
        }
        return new BzImage(file, setupBytes, protocol);
    }

    /** The boot protocol version, e.g. 0x020F for 2.15. */
    int protocol() {
        return protocol;
    }

    /** Bytes of real-mode code: the boot sector and the setup sectors. */
    int setupBytes() {
        return setupBytes;
    }

    /** Bytes of the protected-mode kernel that follows the setup. */
    int kernelBytes() {
        return file.length - setupBytes;
    }

    /** Highest address the initrd may occupy (its last byte); 37FFFFFFh before protocol 2.03. */
    long initrdAddrMax() {
        return protocol >= 0x0203 ? read32(INITRD_ADDR_MAX) & 0xFFFFFFFFL : 0x37FFFFFFL;
    }

    /** Longest command line the kernel takes, without its terminating NUL; 255 before protocol 2.06. */
    int cmdlineSize() {
        return protocol >= 0x0206 ? read32(CMDLINE_SIZE) : 255;
    }

    /** Memory the kernel needs from its load address while it decompresses itself (protocol 2.10 and later). */
    long initSize() {
        return protocol >= 0x020A ? read32(INIT_SIZE) & 0xFFFFFFFFL : 0;
    }

    /**
     * Where the compressed kernel (the payload) lies in the file, as {offset, length}, or null when the header does
     * not say (before protocol 2.08) or says something outside the file.
     */
    int[] payload() {
        if (protocol < 0x0208) {
            return null;
        }
        long offset = setupBytes + (read32(PAYLOAD_OFFSET) & 0xFFFFFFFFL);
        long length = read32(PAYLOAD_LENGTH) & 0xFFFFFFFFL;
        if (length == 0 || offset + length > file.length) {
            return null;
        }
        return new int[] {(int) offset, (int) length};
    }

    /** Where the kernel wants to run (its LOAD_PHYSICAL_ADDR), from protocol 2.10 on; 1 MiB before. */
    long prefAddress() {
        return protocol >= 0x020A ? ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(PREF_ADDRESS)
                : 0x100000;
    }

    /** The file's real-mode part, to be patched with the loader's fields before it goes to memory. */
    byte[] setupCopy() {
        return java.util.Arrays.copyOf(file, setupBytes);
    }

    /** The file itself (the protected-mode kernel starts at {@link #setupBytes()}); not copied. */
    byte[] file() {
        return file;
    }

    private int read32(int offset) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
    }
}

package dev.strata.bios;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.memory.PhysicalMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct Linux boot, the firmware's alternative to a boot sector: reads a bzImage and its initrd once at power-on
 * (so a bad file is reported before the machine runs), and at INT 19h puts them in RAM as the x86 boot protocol
 * asks and enters the kernel's real-mode setup, which then uses the BIOS services like any loader's kernel would.
 *
 * <p>Layout (boot.rst's "modern bzImage" example): the setup at 1000:0000, its heap and stack up to 1000:E000, the
 * command line at 1E000h, the protected-mode kernel at 1 MiB, the initrd page-aligned as high as the RAM and the
 * kernel's initrd_addr_max allow.
 *
 * <p>Unless told to leave it to the guest, the loader unpacks the compressed kernel itself ({@link KernelPayload},
 * {@link KernelElf}), as fast-booting VMMs do with a vmlinux: its segments go where the kernel's decompressor would
 * put them when loaded at the kernel's preferred address (pref_address, where no relocation is needed), and
 * code32_start, the boot protocol's hook for loaders, sends the setup's jump to protected mode straight to the
 * kernel's 32-bit entry instead of to the decompressor at 1 MiB. The guest then starts the same kernel with the
 * same boot parameters, without the billions of instructions of decompression; what differs is what the
 * decompressor would have done besides (it prints its progress on the screen, and a kernel built with
 * RANDOMIZE_BASE picks a random physical address, as with {@code nokaslr} it does not).
 */
final class LinuxLoader {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxLoader.class);

    static final int SETUP_SEGMENT = 0x1000;
    static final int SETUP_BASE = SETUP_SEGMENT << 4;
    static final int HEAP_END = 0xE000;
    static final int CMDLINE_ADDRESS = SETUP_BASE + HEAP_END;
    static final int CMDLINE_MAX = 0x1000;
    static final int KERNEL_ADDRESS = 0x100000;
    /** type_of_loader: FFh is the boot protocol's value for a loader without an assigned id. */
    static final int LOADER_ID = 0xFF;
    private static final int VGA_NORMAL = 0xFFFF;

    private final String kernelName;
    // The files are configuration read at power-on, not machine state: saved states leave them out.
    private final transient BzImage image;
    private final transient byte[] initrd;
    /** The kernel unpacked, or null when its own decompressor runs in the guest. */
    private final transient KernelElf unpacked;
    private final String cmdline;
    private final long initrdAddress;

    private LinuxLoader(String kernelName, BzImage image, KernelElf unpacked, byte[] initrd, String cmdline,
            long initrdAddress) {
        this.kernelName = kernelName;
        this.image = image;
        this.unpacked = unpacked;
        this.initrd = initrd;
        this.cmdline = cmdline;
        this.initrdAddress = initrdAddress;
    }

    /**
     * Reads and checks the kernel, initrd and command line of {@code boot} for a machine with {@code ramBytes} of RAM.
     *
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException naming the file or field when something does not fit the boot protocol
     */
    static LinuxLoader open(KernelBoot boot, long ramBytes) throws IOException {
        return open(boot, ramBytes, UnpackedKernelCache.standard());
    }

    /** As {@link #open(KernelBoot, long)}, finding and keeping unpacked kernels in {@code cache}. */
    static LinuxLoader open(KernelBoot boot, long ramBytes, UnpackedKernelCache cache) throws IOException {
        String name = boot.kernel().toString();
        if (!Files.isRegularFile(boot.kernel())) {
            throw new NoSuchFileException(name, null, "no such kernel file");
        }
        BzImage image = BzImage.parse(name, Files.readAllBytes(boot.kernel()));
        if (image.setupBytes() > HEAP_END - 0x200) {
            throw new IllegalArgumentException(String.format("%s: the real-mode setup (%d bytes, field setup_sects)"
                    + " does not fit below its heap at %Xh", name, image.setupBytes(), SETUP_BASE + HEAP_END));
        }
        String cmdline = boot.cmdline();
        int limit = Math.min(image.cmdlineSize(), CMDLINE_MAX - 1);
        if (cmdline.length() > limit) {
            throw new IllegalArgumentException(String.format("the kernel command line is %d bytes; %s takes at most"
                    + " %d (its cmdline_size field)", cmdline.length(), name, limit));
        }
        KernelElf unpacked = boot.unpack() ? unpack(name, image, ramBytes, cache) : null;
        long kernelEnd;
        if (unpacked != null) {
            kernelEnd = Math.max(unpacked.end(), image.prefAddress() + image.initSize());
            if (kernelEnd > ramBytes) {
                throw new IllegalArgumentException(String.format("%s needs RAM up to %d KiB (its segments, and field"
                        + " init_size from pref_address) but the machine has %d KiB: give more memory (--memory)",
                        name, kernelEnd >> 10, ramBytes >> 10));
            }
        } else {
            kernelEnd = KERNEL_ADDRESS + Math.max(image.kernelBytes(), image.initSize());
            if (kernelEnd > ramBytes) {
                throw new IllegalArgumentException(String.format("%s needs RAM up to %d KiB to decompress itself"
                        + " (field init_size) but the machine has %d KiB: give more memory (--memory)", name,
                        kernelEnd >> 10, ramBytes >> 10));
            }
        }
        byte[] initrd = null;
        long initrdAddress = 0;
        if (boot.initrd() != null) {
            if (!Files.isRegularFile(boot.initrd())) {
                throw new NoSuchFileException(boot.initrd().toString(), null, "no such initrd file");
            }
            long size = Files.size(boot.initrd());
            long top = Math.min(ramBytes, image.initrdAddrMax() + 1);
            initrdAddress = (top - size) & ~0xFFFL;
            if (size > Integer.MAX_VALUE || initrdAddress < kernelEnd) {
                throw new IllegalArgumentException(String.format("%s: the initrd (%d KiB) does not fit in RAM between"
                        + " the kernel's end at %d KiB and %d KiB (the RAM top or the kernel's initrd_addr_max): give"
                        + " more memory (--memory)", boot.initrd(), size >> 10, kernelEnd >> 10, top >> 10));
            }
            initrd = Files.readAllBytes(boot.initrd());
        }
        return new LinuxLoader(name, image, unpacked, initrd, cmdline, initrdAddress);
    }

    /**
     * The kernel of {@code image} unpacked, or null when the guest is to unpack it: the header names no payload
     * (before protocol 2.08), Strata does not read its format, or it is not a 32-bit x86 kernel loadable above
     * 1 MiB (the kernel's own code then runs and tells the user what it tells them on a PC).
     */
    private static KernelElf unpack(String name, BzImage image, long ramBytes, UnpackedKernelCache cache) {
        int[] payload = image.payload();
        if (payload == null) {
            return null;
        }
        KernelPayload.Format format = KernelPayload.format(image.file(), payload[0], payload[1]);
        if (!format.readable) {
            LOG.info("{}: the kernel is compressed with {}, which Strata does not unpack: its own decompressor runs",
                    name, format.label);
            return null;
        }
        byte[] elf = cache.unpacked(name, image.file(), payload[0], payload[1], format, ramBytes);
        KernelElf kernel = KernelElf.parse(name, elf);
        if (kernel == null || kernel.lowest() < KERNEL_ADDRESS) {
            LOG.info("{}: the unpacked kernel is not a 32-bit x86 ELF image loaded above 1 MiB: its own decompressor"
                    + " runs", name);
            return null;
        }
        return kernel;
    }

    /** True when the loader unpacked the kernel, which then starts at its 32-bit entry. */
    boolean unpacked() {
        return unpacked != null;
    }

    /** The kernel file's name, for the boot message. */
    String kernelName() {
        return kernelName;
    }

    /** Where the initrd goes (0 without one). */
    long initrdAddress() {
        return initrdAddress;
    }

    /** Writes the setup (with the loader's header fields filled in), the kernel, the initrd and the command line. */
    void load(PhysicalMemory memory) {
        // The copy goes to physical addresses, whatever the A20 gate says (as a loader in unreal mode would); the
        // kernel's setup opens the gate itself.
        boolean a20 = memory.a20();
        memory.setA20(true);
        try {
            copyIn(memory);
        } finally {
            memory.setA20(a20);
        }
    }

    private void copyIn(PhysicalMemory memory) {
        byte[] setup = image.setupCopy();
        ByteBuffer h = ByteBuffer.wrap(setup).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort(BzImage.VID_MODE, (short) videoMode(cmdline));
        setup[BzImage.TYPE_OF_LOADER] = (byte) LOADER_ID;
        setup[BzImage.LOADFLAGS] |= (byte) BzImage.CAN_USE_HEAP;
        h.putShort(BzImage.HEAP_END_PTR, (short) (HEAP_END - 0x200));
        h.putInt(BzImage.CMD_LINE_PTR, CMDLINE_ADDRESS);
        h.putInt(BzImage.RAMDISK_IMAGE, initrd == null ? 0 : (int) initrdAddress);
        h.putInt(BzImage.RAMDISK_SIZE, initrd == null ? 0 : initrd.length);
        if (unpacked != null) {
            // As the decompressor's parse_elf: the file bytes of each segment; what lies beyond them up to the
            // segment's memory size (BSS, brk) the kernel clears itself
            for (KernelElf.Segment s : unpacked.segments()) {
                memory.writeBlock((int) s.physical(), unpacked.image(), s.fileOffset(), s.fileBytes());
            }
            h.putInt(BzImage.CODE32_START, (int) unpacked.entry());
        } else {
            byte[] file = image.file();
            memory.writeBlock(KERNEL_ADDRESS, file, image.setupBytes(), file.length - image.setupBytes());
        }
        memory.load(SETUP_BASE, setup);
        if (initrd != null) {
            memory.load((int) initrdAddress, initrd);
        }
        byte[] line = cmdline.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        memory.load(CMDLINE_ADDRESS, java.util.Arrays.copyOf(line, line.length + 1));
    }

    /** Enters the setup code in real mode: CS = setup segment + 20h, the other segments at the setup, SP at the heap's end. */
    void enter(Cpu cpu) {
        for (int s : new int[] {Cpu.DS, Cpu.ES, Cpu.FS, Cpu.GS, Cpu.SS}) {
            cpu.loadSegment(s, SETUP_SEGMENT);
        }
        cpu.r[Cpu.ESP] = HEAP_END;
        cpu.r[Cpu.EBP] = 0;
        cpu.loadSegment(Cpu.CS, SETUP_SEGMENT + 0x20);
        cpu.eip = 0;
        Flags.set(cpu, 0, Flags.IF);
    }

    /** vid_mode from the command line's {@code vga=} (normal, ext, ask or a number), else "normal" (FFFFh). */
    static int videoMode(String cmdline) {
        for (String word : cmdline.split(" +")) {
            if (!word.startsWith("vga=")) {
                continue;
            }
            String v = word.substring(4);
            switch (v) {
                case "normal":
                    return VGA_NORMAL;
                case "ext":
                    return 0xFFFE;
                case "ask":
                    return 0xFFFD;
                default:
                    try {
                        return Integer.decode(v) & 0xFFFF;
                    } catch (NumberFormatException e) {
                        return VGA_NORMAL;
                    }
            }
        }
        return VGA_NORMAL;
    }
}

package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.memory.PhysicalMemory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinuxLoaderTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void loadsSetupKernelInitrdAndCommandLineAndFillsTheHeader() throws Exception {
        Path kernel = write("bzImage", new FakeBzImage(8192).bytes());
        byte[] initrd = new byte[5000];
        initrd[0] = 0x1F;
        initrd[4999] = 0x55;
        Path rd = write("initrd", initrd);
        LinuxLoader loader = LinuxLoader.open(new KernelBoot(kernel, rd, "console=ttyS0 quiet"), 4 * MIB);
        PhysicalMemory mem = new PhysicalMemory(4 * MIB);
        mem.setA20(false);
        loader.load(mem);
        assertEquals(false, mem.a20());
        mem.setA20(true);

        int h = LinuxLoader.SETUP_BASE;
        assertEquals(0x53726448, mem.read32(h + BzImage.HEADER));
        assertEquals(0xFF, mem.read8(h + BzImage.TYPE_OF_LOADER));
        assertEquals(BzImage.LOADED_HIGH | BzImage.CAN_USE_HEAP, mem.read8(h + BzImage.LOADFLAGS));
        assertEquals(0xE000 - 0x200, mem.read16(h + BzImage.HEAP_END_PTR));
        assertEquals(0x1E000, mem.read32(h + BzImage.CMD_LINE_PTR));
        assertEquals(0xFFFF, mem.read16(h + BzImage.VID_MODE));
        // the initrd ends as high as RAM allows, page-aligned
        int at = 4 * MIB - 8192;
        assertEquals(at, mem.read32(h + BzImage.RAMDISK_IMAGE));
        assertEquals(5000, mem.read32(h + BzImage.RAMDISK_SIZE));
        assertEquals(0x1F, mem.read8(at));
        assertEquals(0x55, mem.read8(at + 4999));
        // the protected-mode kernel at 1 MiB
        assertEquals(3, mem.read8(0x100000));
        assertEquals((8191 * 7 + 3) & 0xFF, mem.read8(0x100000 + 8191));
        StringBuilder line = new StringBuilder();
        for (int a = 0x1E000; mem.read8(a) != 0; a++) {
            line.append((char) mem.read8(a));
        }
        assertEquals("console=ttyS0 quiet", line.toString());
    }

    @Test
    void theInitrdStaysBelowInitrdAddrMax() throws Exception {
        Path kernel = write("bzImage", new FakeBzImage(8192).put32(BzImage.INITRD_ADDR_MAX, 0x2FFFFF).bytes());
        Path rd = write("initrd", new byte[4096]);
        LinuxLoader loader = LinuxLoader.open(new KernelBoot(kernel, rd, ""), 16 * MIB);
        assertEquals(0x2FF000, loader.initrdAddress());
    }

    @Test
    void withoutAnInitrdTheRamdiskFieldsAreZero() throws Exception {
        Path kernel = write("bzImage", new FakeBzImage(8192).put32(BzImage.RAMDISK_IMAGE, 0x1234).bytes());
        PhysicalMemory mem = new PhysicalMemory(4 * MIB);
        LinuxLoader.open(new KernelBoot(kernel, null, null), 4 * MIB).load(mem);
        assertEquals(0, mem.read32(LinuxLoader.SETUP_BASE + BzImage.RAMDISK_IMAGE));
        assertEquals(0, mem.read32(LinuxLoader.SETUP_BASE + BzImage.RAMDISK_SIZE));
        assertEquals(0, mem.read8(0x1E000));
    }

    @Test
    void anInitrdTooLargeForRamIsRefusedNamingTheFile() throws Exception {
        Path kernel = write("bzImage", new FakeBzImage(8192).put32(BzImage.INIT_SIZE, MIB).bytes());
        Path rd = write("big.gz", new byte[2 * MIB]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinuxLoader.open(new KernelBoot(kernel, rd, ""), 3 * MIB));
        assertTrue(e.getMessage().startsWith(rd + ": the initrd (2048 KiB) does not fit"), e.getMessage());
        assertTrue(e.getMessage().contains("--memory"), e.getMessage());
    }

    @Test
    void aKernelLargerThanRamIsRefusedNamingInitSize() throws Exception {
        Path kernel = write("bzImage", new FakeBzImage(8192).put32(BzImage.INIT_SIZE, 8 * MIB).bytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinuxLoader.open(new KernelBoot(kernel, null, ""), 4 * MIB));
        assertTrue(e.getMessage().contains("init_size") && e.getMessage().contains("--memory"), e.getMessage());
    }

    @Test
    void aCommandLineLongerThanCmdlineSizeIsRefused() throws Exception {
        Path kernel = write("bzImage", new FakeBzImage(8192).put32(BzImage.CMDLINE_SIZE, 10).bytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinuxLoader.open(new KernelBoot(kernel, null, "console=ttyS0"), 4 * MIB));
        assertTrue(e.getMessage().contains("at most 10") && e.getMessage().contains("cmdline_size"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        Path kernel = write("bzImage", new FakeBzImage(8192).bytes());
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> LinuxLoader.open(new KernelBoot(kernel, dir.resolve("nope.gz"), ""), 4 * MIB));
        assertTrue(e.getMessage().contains("nope.gz") && e.getMessage().contains("initrd"), e.getMessage());
    }

    /** Opens without the cache of unpacked kernels, which tests of the cache itself give a folder of their own. */
    private static LinuxLoader open(KernelBoot boot, long ramBytes) throws Exception {
        return LinuxLoader.open(boot, ramBytes, UnpackedKernelCache.NONE);
    }

    private Path packedKernel(byte[] payload, int unpackedSize, int initSize) throws Exception {
        return write("bzImage", FakeBzImage.withPayload(payload, unpackedSize, FakeKernelElf.TEXT, initSize).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "gzip", "lzma"})
    void aCompressedKernelIsUnpackedToItsSegmentsAndTheSetupJumpsToItsEntry(String how) throws Exception {
        byte[] elf = FakeKernelElf.image();
        Path kernel = packedKernel(FakeKernelElf.compress(elf, how), elf.length, 0x10000);
        LinuxLoader loader = open(new KernelBoot(kernel, null, ""), 4 * MIB);
        assertTrue(loader.unpacked());
        PhysicalMemory mem = new PhysicalMemory(4 * MIB);
        loader.load(mem);
        assertEquals(FakeKernelElf.TEXT, mem.read32(LinuxLoader.SETUP_BASE + BzImage.CODE32_START));
        for (int i : new int[] {0, 1, 4095, 4096, FakeKernelElf.TEXT_BYTES - 1}) {
            assertEquals(FakeKernelElf.textByte(i), mem.read8(FakeKernelElf.TEXT + i), "text byte " + i);
        }
        assertEquals(0xD0, mem.read8(FakeKernelElf.DATA));
        assertEquals(0xD0, mem.read8(FakeKernelElf.DATA + FakeKernelElf.DATA_BYTES - 1));
        assertEquals(0, mem.read8(FakeKernelElf.DATA + FakeKernelElf.DATA_BYTES));
        assertEquals(0, mem.read32(LinuxLoader.KERNEL_ADDRESS), "the compressed kernel is not loaded at 1 MiB");
    }

    @Test
    void toldToLeaveItToTheGuestTheLoaderPutsTheCompressedKernelAt1MiB() throws Exception {
        byte[] elf = FakeKernelElf.image();
        byte[] xz = FakeKernelElf.compress(elf, "xz");
        Path kernel = packedKernel(xz, elf.length, 0x10000);
        LinuxLoader loader = open(new KernelBoot(kernel, null, "", false), 4 * MIB);
        assertFalse(loader.unpacked());
        PhysicalMemory mem = new PhysicalMemory(4 * MIB);
        loader.load(mem);
        assertEquals(0, mem.read32(LinuxLoader.SETUP_BASE + BzImage.CODE32_START));
        assertEquals(0xFD, mem.read8(LinuxLoader.KERNEL_ADDRESS));
        assertEquals(xz[xz.length - 1] & 0xFF, mem.read8(LinuxLoader.KERNEL_ADDRESS + xz.length - 1));
        assertEquals(0, mem.read8(FakeKernelElf.TEXT));
    }

    @Test
    void aFormatStrataDoesNotReadIsLeftToTheKernelsOwnDecompressor() throws Exception {
        byte[] zstd = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 1, 2, 3, 4, 5, 6, 7, 8};
        LinuxLoader loader = open(new KernelBoot(packedKernel(zstd, 5000, 0x10000), null, ""), 4 * MIB);
        assertFalse(loader.unpacked());
        PhysicalMemory mem = new PhysicalMemory(4 * MIB);
        loader.load(mem);
        assertEquals(0xFD2FB528, mem.read32(LinuxLoader.KERNEL_ADDRESS));
    }

    @Test
    void aKernelForAnotherMachineIsLeftToItsOwnDecompressor() throws Exception {
        byte[] elf64 = FakeKernelElf.image(62, 2); // x86-64: its setup tells the user the CPU lacks long mode
        Path kernel = packedKernel(FakeKernelElf.compress(elf64, "xz"), elf64.length, 0x10000);
        assertFalse(open(new KernelBoot(kernel, null, ""), 4 * MIB).unpacked());
    }

    @Test
    void aDamagedPayloadIsRefusedNamingTheFileTheOffsetAndTheWayOut() throws Exception {
        byte[] elf = FakeKernelElf.image();
        byte[] xz = FakeKernelElf.compress(elf, "xz");
        xz[xz.length / 2] ^= 0x55;
        Path kernel = packedKernel(xz, elf.length, 0x10000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> open(new KernelBoot(kernel, null, ""), 4 * MIB));
        assertTrue(e.getMessage().startsWith(kernel + ": the kernel's xz payload at file offset A00h"), e.getMessage());
        assertTrue(e.getMessage().contains("--kernel-unpack guest"), e.getMessage());
    }

    @Test
    void theUnpackedKernelNeedsRamUpToPrefAddressPlusInitSize() throws Exception {
        byte[] elf = FakeKernelElf.image();
        Path kernel = packedKernel(FakeKernelElf.compress(elf, "gzip"), elf.length, 3 * MIB);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> open(new KernelBoot(kernel, null, ""), 4 * MIB));
        assertTrue(e.getMessage().contains("init_size") && e.getMessage().contains("--memory"), e.getMessage());
        assertTrue(open(new KernelBoot(kernel, null, ""), 5 * MIB).unpacked());
    }

    @Test
    void theInitrdStaysAboveTheUnpackedKernel() throws Exception {
        byte[] elf = FakeKernelElf.image();
        Path kernel = packedKernel(FakeKernelElf.compress(elf, "gzip"), elf.length, MIB); // up to 3 MiB
        Path rd = write("initrd", new byte[1536 * 1024]);
        // at the top of 4 MiB it would start at 2.5 MiB, inside the kernel's memory; the compressed kernel at 1 MiB
        // would have left room for it
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> open(new KernelBoot(kernel, rd, ""), 4 * MIB));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertEquals(4 * MIB - 1536 * 1024,
                open(new KernelBoot(kernel, rd, "", false), 4 * MIB).initrdAddress());
    }

    @Test
    void vgaOnTheCommandLineSetsVidMode() {
        assertEquals(0xFFFF, LinuxLoader.videoMode("console=ttyS0"));
        assertEquals(0xFFFE, LinuxLoader.videoMode("root=/dev/sda1 vga=ext"));
        assertEquals(0xFFFD, LinuxLoader.videoMode("vga=ask"));
        assertEquals(0x317, LinuxLoader.videoMode("vga=0x317"));
        assertEquals(791, LinuxLoader.videoMode("vga=791"));
    }

    @Test
    void bootEntersTheSetupInRealModeAtSegmentPlus20h() throws Exception {
        // MOV AX,CS; MOV BX,SS; MOV CX,SP; MOV DX,DS; HLT
        Path kernel = write("bzImage", new FakeBzImage(8192)
                .code(0x8C, 0xC8, 0x8C, 0xD3, 0x89, 0xE1, 0x8C, 0xDA, 0xF4).bytes());
        try (BiosTestPc pc = new BiosTestPc(BiosTestPc.settings().kernelBoot(new KernelBoot(kernel, null, "")))) {
            pc.post().run(100_000);
            assertEquals(0x1020, pc.ax());
            assertEquals(0x1000, pc.cpu.r[Cpu.EBX] & 0xFFFF);
            assertEquals(0xE000, pc.cpu.r[Cpu.ECX] & 0xFFFF);
            assertEquals(0x1000, pc.cpu.r[Cpu.EDX] & 0xFFFF);
            assertEquals(0x81, pc.memory.read8(LinuxLoader.SETUP_BASE + BzImage.LOADFLAGS));
            // the gate is closed at boot, yet the kernel went to 1 MiB rather than over the interrupt table
            assertEquals(false, pc.memory.a20());
            pc.memory.setA20(true);
            assertEquals(3, pc.memory.read8(0x100000));
            assertTrue(pc.screenText().contains("Booting Linux kernel " + kernel), pc.screenText());
        }
    }

    @Test
    void aBadKernelStopsTheMachineBeforeItRuns() throws Exception {
        Path kernel = write("notlinux.img", new byte[1_474_560]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BiosTestPc(BiosTestPc.settings().kernelBoot(new KernelBoot(kernel, null, ""))));
        assertTrue(e.getMessage().startsWith(kernel + ": not a Linux bzImage"), e.getMessage());
    }
}

package dev.strata.emulator.device.ahci;

import static dev.strata.emulator.device.ahci.AhciRegisters.*;

import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.device.ata.DmaMemory;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.pci.PciConfig;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A guest driver's view of the AHCI controller for tests: register reads and writes in the ABAR window, 4 MiB of
 * RAM where it builds command lists, command tables and PRD tables as a driver does, and the INTA# wire.
 */
final class AhciTestRig {

    static final int RAM = 4 << 20;
    /** Where data buffers start; command structures sit below. */
    static final int DATA = 0x10_0000;

    final PhysicalMemory ram = new PhysicalMemory(RAM);
    final AhciPciFunction pci = new AhciPciFunction();
    final AhciController hba = new AhciController(DmaMemory.of(ram));
    final Wire inta = new Wire();

    AhciTestRig() {
        hba.connect(pci);
        pci.connectInterrupt(inta);
        pci.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE | PciConfig.COMMAND_BUS_MASTER);
    }

    /** An interrupt wire that counts rising edges. */
    static final class Wire implements IrqLine {
        boolean high;
        int edges;

        @Override
        public void setLevel(boolean level) {
            if (level && !high) {
                edges++;
            }
            high = level;
        }
    }

    /** A raw image of {@code sectors} sectors; sector n is filled with bytes (n * 7 + i) & 0xFF. */
    static DiskImage rawDisk(Path dir, String name, int sectors) throws IOException {
        byte[] data = new byte[sectors * 512];
        for (int s = 0; s < sectors; s++) {
            for (int i = 0; i < 512; i++) {
                data[s * 512 + i] = (byte) (s * 7 + i);
            }
        }
        Path file = Files.write(dir.resolve(name), data);
        return DiskImages.open(file, false);
    }

    static byte expected(long sector, int i) {
        return (byte) (sector * 7 + i);
    }

    // --- registers ----------------------------------------------------------------------------------------

    int read(int offset) {
        return hba.registers().read(offset, 4);
    }

    void write(int offset, int value) {
        hba.registers().write(offset, 4, value);
    }

    int port(int port, int register) {
        return read(PORT_BASE + port * PORT_SIZE + register);
    }

    void port(int port, int register, int value) {
        write(PORT_BASE + port * PORT_SIZE + register, value);
    }

    static int commandList(int port) {
        return 0x1_0000 + port * 0x400;
    }

    static int receivedFis(int port) {
        return 0x2_0000 + port * 0x100;
    }

    static int commandTable(int port, int slot) {
        return 0x4_0000 + port * 0x4000 + slot * 0x200;
    }

    /** What a driver does to bring a port up: bases, FIS receive, interrupts on, engine started. */
    AhciTestRig start(int port) {
        port(port, PX_CLB, commandList(port));
        port(port, PX_FB, receivedFis(port));
        port(port, PX_CMD, CMD_FRE);
        port(port, PX_SERR, -1);
        port(port, PX_IS, -1);
        port(port, PX_IE, IS_DEFINED);
        write(GHC, GHC_AE | GHC_IE);
        port(port, PX_CMD, CMD_FRE | CMD_ST);
        return this;
    }

    // --- commands -----------------------------------------------------------------------------------------

    /** A Register Host-to-Device FIS with the C bit. */
    static byte[] command(int command, long lba, int count, int features) {
        byte[] f = new byte[20];
        f[0] = (byte) FIS_H2D;
        f[1] = (byte) 0x80;
        f[2] = (byte) command;
        f[3] = (byte) features;
        f[4] = (byte) lba;
        f[5] = (byte) (lba >>> 8);
        f[6] = (byte) (lba >>> 16);
        f[7] = 0x40; // LBA mode
        f[8] = (byte) (lba >>> 24);
        f[9] = (byte) (lba >>> 32);
        f[10] = (byte) (lba >>> 40);
        f[11] = (byte) (features >>> 8);
        f[12] = (byte) count;
        f[13] = (byte) (count >>> 8);
        return f;
    }

    /** A device control FIS (C bit clear). */
    static byte[] control(int value) {
        byte[] f = new byte[20];
        f[0] = (byte) FIS_H2D;
        f[15] = (byte) value;
        return f;
    }

    /**
     * Builds slot {@code slot} of {@code port}: header with {@code flags} (W, A, C ... bits of DW0), the FIS, an
     * ATAPI command {@code acmd} (or null), and one PRD entry per {@code regions} pair (address, byte count).
     */
    void build(int port, int slot, int flags, byte[] fis, byte[] acmd, int... regions) {
        int table = commandTable(port, slot);
        int header = commandList(port) + slot * 32;
        int entries = regions.length / 2;
        ram.write32(header, 5 | flags | entries << 16);
        ram.write32(header + 4, 0xDEAD); // PRDBC: the HBA overwrites it
        ram.write32(header + 8, table);
        ram.write32(header + 12, 0);
        for (int i = 0; i < fis.length; i++) {
            ram.write8(table + i, fis[i]);
        }
        if (acmd != null) {
            for (int i = 0; i < acmd.length; i++) {
                ram.write8(table + 0x40 + i, acmd[i]);
            }
        }
        for (int i = 0; i < entries; i++) {
            int e = table + 0x80 + 16 * i;
            ram.write32(e, regions[2 * i]);
            ram.write32(e + 4, 0);
            ram.write32(e + 8, 0);
            ram.write32(e + 12, regions[2 * i + 1] - 1);
        }
    }

    /** Builds and issues a command in slot {@code slot}. */
    void issue(int port, int slot, int flags, byte[] fis, int... regions) {
        build(port, slot, flags, fis, null, regions);
        port(port, PX_CI, 1 << slot);
    }

    int byteCount(int port, int slot) {
        return ram.read32(commandList(port) + slot * 32 + 4);
    }

    int rx(int port, int offset) {
        return ram.read8(receivedFis(port) + offset);
    }

    void fill(int address, int length, int seed) {
        for (int i = 0; i < length; i++) {
            ram.write8(address + i, (byte) (seed + i * 3));
        }
    }
}

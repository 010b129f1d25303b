package dev.strata.emulator.device.ata;

import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_BSY;
import static dev.strata.emulator.device.ata.AtaRegisters.STATUS_DRQ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A guest driver's view of the controller for tests: port reads and writes on an {@link IoBus}, the IRQ wires, and
 * 1 MiB of RAM for PRD tables and DMA buffers. Methods do what a driver does, register by register.
 */
final class IdeTestRig {

    static final int BM_BASE = 0xC000;
    static final int RAM = 1 << 20;

    final IoBus bus = new IoBus();
    final PhysicalMemory ram = new PhysicalMemory(RAM);
    final Wire irq14 = new Wire();
    final Wire irq15 = new Wire();
    final IdeController ide = new IdeController(DmaMemory.of(ram), irq14, irq15);
    int base = IdeController.PRIMARY_COMMAND_BASE;
    int controlPort = IdeController.PRIMARY_CONTROL_PORT;
    int bmBase = BM_BASE;

    IdeTestRig() {
        ide.ioPorts().forEach(bus::register);
        bus.register("ide.busmaster", BM_BASE, IdeController.BUS_MASTER_PORTS, ide.busMasterPorts());
    }

    /** Talks to the secondary channel from now on. */
    IdeTestRig secondary() {
        base = IdeController.SECONDARY_COMMAND_BASE;
        controlPort = IdeController.SECONDARY_CONTROL_PORT;
        bmBase = BM_BASE + 8;
        return this;
    }

    Wire wire() {
        return base == IdeController.PRIMARY_COMMAND_BASE ? irq14 : irq15;
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

    // --- images -------------------------------------------------------------------------------------------

    /** A raw image of {@code sectors} 512-byte sectors; sector n is filled with bytes (n * 7 + i) & 0xFF. */
    static DiskImage rawDisk(Path dir, String name, int sectors, boolean readOnly) throws IOException {
        Path file = dir.resolve(name);
        byte[] data = new byte[sectors * 512];
        for (int s = 0; s < sectors; s++) {
            for (int i = 0; i < 512; i++) {
                data[s * 512 + i] = (byte) (s * 7 + i);
            }
        }
        Files.write(file, data);
        return DiskImages.open(file, readOnly);
    }

    static byte expectedByte(long sector, int i) {
        return (byte) (sector * 7 + i);
    }

    static void assertSector(byte[] data, int offset, long sector) {
        for (int i = 0; i < 512; i++) {
            if (data[offset + i] != expectedByte(sector, i)) {
                fail("byte " + i + " of sector " + sector + " is " + data[offset + i] + ", expected "
                        + expectedByte(sector, i));
            }
        }
    }

    // --- register access ----------------------------------------------------------------------------------

    int in(int register) {
        return bus.in(base + register, 1);
    }

    void out(int register, int value) {
        bus.out(base + register, 1, value);
    }

    int status() {
        return in(AtaRegisters.STATUS_COMMAND);
    }

    int altStatus() {
        return bus.in(controlPort, 1);
    }

    int error() {
        return in(AtaRegisters.ERROR_FEATURES);
    }

    void deviceControl(int value) {
        bus.out(controlPort, 1, value);
    }

    void select(int position) {
        out(AtaRegisters.DEVICE, 0xA0 | 0x40 | position << 4);
        waitNotBusy();
    }

    void waitNotBusy() {
        for (int i = 0; i < 1000; i++) {
            if ((altStatus() & STATUS_BSY) == 0) {
                return;
            }
        }
        fail("BSY never cleared");
    }

    /** An LBA28 taskfile for the selected device. */
    void lba28(int position, long lba, int count) {
        out(AtaRegisters.SECTOR_COUNT, count);
        out(AtaRegisters.LBA_LOW, (int) lba);
        out(AtaRegisters.LBA_MID, (int) (lba >>> 8));
        out(AtaRegisters.LBA_HIGH, (int) (lba >>> 16));
        out(AtaRegisters.DEVICE, 0xE0 | position << 4 | (int) (lba >>> 24) & 0x0F);
    }

    /** An LBA48 taskfile: each register written twice, high byte first. */
    void lba48(int position, long lba, int count) {
        out(AtaRegisters.SECTOR_COUNT, count >>> 8);
        out(AtaRegisters.LBA_LOW, (int) (lba >>> 24));
        out(AtaRegisters.LBA_MID, (int) (lba >>> 32));
        out(AtaRegisters.LBA_HIGH, (int) (lba >>> 40));
        out(AtaRegisters.SECTOR_COUNT, count);
        out(AtaRegisters.LBA_LOW, (int) lba);
        out(AtaRegisters.LBA_MID, (int) (lba >>> 8));
        out(AtaRegisters.LBA_HIGH, (int) (lba >>> 16));
        out(AtaRegisters.DEVICE, 0x40 | position << 4);
    }

    /** A CHS taskfile. */
    void chs(int position, int cylinder, int head, int sector, int count) {
        out(AtaRegisters.SECTOR_COUNT, count);
        out(AtaRegisters.LBA_LOW, sector);
        out(AtaRegisters.LBA_MID, cylinder);
        out(AtaRegisters.LBA_HIGH, cylinder >>> 8);
        out(AtaRegisters.DEVICE, 0xA0 | position << 4 | head);
    }

    void command(int command) {
        waitNotBusy();
        out(AtaRegisters.STATUS_COMMAND, command);
    }

    /** Waits for DRQ as a polling driver does; fails if the command ended without it. */
    void expectDrq() {
        int s = altStatus();
        assertEquals(0, s & STATUS_BSY, "BSY");
        assertTrue((s & STATUS_DRQ) != 0, "expected DRQ, status " + Integer.toHexString(s)
                + " error " + Integer.toHexString(error()));
    }

    int readWord() {
        return bus.in(base, 2);
    }

    void writeWord(int value) {
        bus.out(base, 2, value);
    }

    /** Reads {@code bytes} through the data port, 16 bits at a time. */
    byte[] readData(int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i += 2) {
            int w = readWord();
            b[i] = (byte) w;
            if (i + 1 < bytes) {
                b[i + 1] = (byte) (w >>> 8);
            }
        }
        return b;
    }

    void writeData(byte[] data, int offset, int bytes) {
        for (int i = 0; i < bytes; i += 2) {
            writeWord((data[offset + i] & 0xFF) | (data[offset + i + 1] & 0xFF) << 8);
        }
    }

    /** A PIO read command that transfers {@code sectors} sectors of {@code perBlock} sectors per DRQ block. */
    byte[] pioRead(int sectors, int perBlock) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int done = 0;
        while (done < sectors) {
            assertTrue(wire().high, "an interrupt announces each DRQ block");
            int s = status(); // acknowledges it
            assertTrue((s & STATUS_DRQ) != 0, "DRQ for block at sector " + done + ", status "
                    + Integer.toHexString(s));
            assertTrue(!wire().high, "reading status lowers the wire");
            int n = Math.min(perBlock, sectors - done);
            out.writeBytes(readData(n * 512));
            done += n;
        }
        return out.toByteArray();
    }

    /** A PIO write: data for each DRQ block, waiting for DRQ as a driver does. */
    void pioWrite(byte[] data, int sectors, int perBlock) {
        int done = 0;
        while (done < sectors) {
            expectDrq();
            int n = Math.min(perBlock, sectors - done);
            writeData(data, done * 512, n * 512);
            done += n;
        }
    }

    // --- bus master ---------------------------------------------------------------------------------------

    /** Writes a PRD table at {@code table}: pairs of (address, byte count); the last gets EOT. */
    void prdTable(int table, int... addressCountPairs) {
        for (int i = 0; i < addressCountPairs.length; i += 2) {
            ram.write32(table + 4 * i, addressCountPairs[i]);
            int control = addressCountPairs[i + 1] & 0xFFFF;
            if (i + 2 == addressCountPairs.length) {
                control |= 0x8000_0000;
            }
            ram.write32(table + 4 * i + 4, control);
        }
        bus.out(bmBase + BusMasterChannel.REG_PRD_ADDRESS, 4, table);
    }

    void bmStart(boolean deviceReads) {
        bus.out(bmBase, 1, BusMasterChannel.COMMAND_START | (deviceReads ? BusMasterChannel.COMMAND_WRITE_TO_MEMORY : 0));
    }

    void bmStop() {
        bus.out(bmBase, 1, 0);
    }

    int bmStatus() {
        return bus.in(bmBase + BusMasterChannel.REG_STATUS, 1);
    }

    void bmClearStatus() {
        bus.out(bmBase + BusMasterChannel.REG_STATUS, 1, BusMasterChannel.STATUS_ERROR | BusMasterChannel.STATUS_INTERRUPT);
    }

    byte[] ramBytes(int address, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ram.read8(address + i);
        }
        return b;
    }

    // --- ATAPI --------------------------------------------------------------------------------------------

    /** Issues PACKET with {@code cdb}, a byte count limit, PIO; returns after the packet is written. */
    void packet(int position, byte[] cdb, int byteLimit, boolean dma) {
        out(AtaRegisters.DEVICE, position << 4);
        waitNotBusy();
        out(AtaRegisters.ERROR_FEATURES, dma ? 1 : 0);
        out(AtaRegisters.LBA_MID, byteLimit);
        out(AtaRegisters.LBA_HIGH, byteLimit >>> 8);
        command(AtaCommands.PACKET);
        expectDrq();
        assertEquals(AtaRegisters.REASON_COD, in(AtaRegisters.SECTOR_COUNT) & 3, "interrupt reason: packet wanted");
        byte[] full = new byte[12];
        System.arraycopy(cdb, 0, full, 0, cdb.length);
        writeData(full, 0, 12);
    }

    /**
     * Reads a PIO data-in phase: for each interrupt with DRQ, the byte count from LBA mid/high; stops at the
     * completion interrupt. Block sizes go to {@code blocks} if not null.
     */
    byte[] packetData(java.util.List<Integer> blocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int guard = 0; guard < 100_000; guard++) {
            assertTrue(wire().high, "each phase of a packet command interrupts");
            int s = status();
            int reason = in(AtaRegisters.SECTOR_COUNT) & 3;
            if ((s & STATUS_DRQ) == 0) {
                assertEquals(AtaRegisters.REASON_IO | AtaRegisters.REASON_COD, reason, "completion reason");
                return out.toByteArray();
            }
            assertEquals(AtaRegisters.REASON_IO, reason, "data-in reason");
            int count = in(AtaRegisters.LBA_MID) | in(AtaRegisters.LBA_HIGH) << 8;
            if (blocks != null) {
                blocks.add(count);
            }
            out.writeBytes(readData(count));
        }
        throw new AssertionError("the packet command never completed");
    }

    /** A whole PIO packet command with the given allocation; returns its data, asserting it ended without error. */
    byte[] packetOk(int position, byte[] cdb) {
        packet(position, cdb, 0xFFFE, false);
        byte[] data = packetData(null);
        assertEquals(0, altStatus() & AtaRegisters.STATUS_ERR, "packet " + Integer.toHexString(cdb[0] & 0xFF)
                + " failed with error " + Integer.toHexString(error()));
        return data;
    }

    /** A packet command expected to fail; returns the sense from REQUEST SENSE as key/asc/ascq. */
    ScsiSense packetFails(int position, byte[] cdb) {
        packet(position, cdb, 0xFFFE, false);
        packetData(null);
        assertTrue((altStatus() & AtaRegisters.STATUS_ERR) != 0, "packet " + Integer.toHexString(cdb[0] & 0xFF)
                + " should fail");
        int errorKey = error() >>> 4;
        byte[] sense = packetOk(position, new byte[] {AtapiCdrom.REQUEST_SENSE, 0, 0, 0, 18, 0});
        assertEquals(0x70, sense[0] & 0xFF, "fixed-format sense");
        assertEquals(errorKey, sense[2] & 0x0F, "the error register holds the sense key");
        return new ScsiSense(sense[2] & 0x0F, sense[12] & 0xFF, sense[13] & 0xFF);
    }
}

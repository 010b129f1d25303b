package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.VirtualClock;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.pci.PciBarMapper;
import dev.strata.emulator.pci.PciBus;
import dev.strata.emulator.pci.PciConfig;
import dev.strata.emulator.state.StateRoundTrip;
import org.junit.jupiter.api.Test;

/** The DISPI registers at 1CEh/1CFh, the bank window at A0000h and the linear frame buffer in the PCI BAR. */
class VgaDispiTest {

    private final IoBus io = new IoBus();
    private final VgaDevice vga = new VgaDevice(new VirtualClock());

    VgaDispiTest() {
        for (IoPortRange range : vga.ioPorts()) {
            io.register(range);
        }
    }

    private void set(int index, int value) {
        io.out(VgaDevice.DISPI_INDEX, 2, index);
        io.out(VgaDevice.DISPI_DATA, 2, value);
    }

    private int get(int index) {
        io.out(VgaDevice.DISPI_INDEX, 2, index);
        return io.in(VgaDevice.DISPI_DATA, 2);
    }

    private void mode(int width, int height, int bpp, int enable) {
        set(Dispi.ENABLE, 0);
        set(Dispi.XRES, width);
        set(Dispi.YRES, height);
        set(Dispi.BPP, bpp);
        set(Dispi.ENABLE, Dispi.ENABLED | enable);
    }

    @Test
    void theIdRegisterAcceptsOnlyTheKnownVersionsAndReportsSixteenMegabytes() {
        assertEquals(0xB0C5, get(Dispi.ID), "power-on ID");
        set(Dispi.ID, 0xB0C0);
        assertEquals(0xB0C0, get(Dispi.ID));
        set(Dispi.ID, 0xB0C9);
        assertEquals(0xB0C0, get(Dispi.ID), "an unknown version is ignored");
        set(Dispi.ID, 0x1234);
        assertEquals(0xB0C0, get(Dispi.ID));
        assertEquals(256, get(Dispi.VIDEO_MEMORY_64K), "16 MiB in 64 KiB units");
        io.out(VgaDevice.DISPI_INDEX, 2, 0x0B);
        assertEquals(0, io.in(VgaDevice.DISPI_DATA, 2), "no register 0Bh");
        assertEquals(0x0B, io.in(VgaDevice.DISPI_INDEX, 2), "the index reads back");
    }

    @Test
    void getCapsMakesTheModeRegistersReadTheirMaximums() {
        set(Dispi.XRES, 640);
        set(Dispi.ENABLE, Dispi.GETCAPS);
        assertEquals(Dispi.MAX_XRES, get(Dispi.XRES));
        assertEquals(Dispi.MAX_YRES, get(Dispi.YRES));
        assertEquals(32, get(Dispi.BPP));
        set(Dispi.ENABLE, 0);
        assertEquals(640, get(Dispi.XRES), "the real value is still there");
    }

    @Test
    void enablingAModeFixesUpTheRegistersAndComputesTheVirtualScreen() {
        mode(1024, 768, 32, Dispi.LFB_ENABLED);
        assertTrue(vga.dispiEnabled());
        assertEquals(1024, get(Dispi.VIRT_WIDTH));
        assertEquals(16 * 1024 * 1024 / (1024 * 4), get(Dispi.VIRT_HEIGHT));
        assertEquals(Dispi.ENABLED | Dispi.LFB_ENABLED, get(Dispi.ENABLE));
        set(Dispi.ENABLE, 0);
        set(Dispi.XRES, 643);
        set(Dispi.BPP, 12);
        set(Dispi.ENABLE, Dispi.ENABLED);
        assertEquals(640, get(Dispi.XRES), "widths round down to a multiple of 8");
        assertEquals(8, get(Dispi.BPP), "an unknown depth becomes 8");
        set(Dispi.Y_OFFSET, 60000);
        assertEquals(get(Dispi.VIRT_HEIGHT) - get(Dispi.YRES), get(Dispi.Y_OFFSET), "offsets stay on the screen");
    }

    @Test
    void theBankWindowAtA0000ShowsSixtyFourKilobytesOfLinearMemoryWhileAModeIsOn() {
        vga.writeMemory(0xB8000, 0x5A); // standard VGA (mode 3): plane memory
        mode(800, 600, 8, 0);
        vga.writeMemory(0xA0010, 0x11);
        set(Dispi.BANK, 3);
        vga.writeMemory(0xA0010, 0x33);
        assertEquals(0x33, vga.readMemory(0xA0010));
        assertEquals(0x33, vga.readLinear(3 * 0x10000 + 0x10, 1));
        assertEquals(0x11, vga.readLinear(0x10, 1));
        set(Dispi.BANK, 0);
        assertEquals(0x11, vga.readMemory(0xA0010));
        set(Dispi.ENABLE, 0);
        assertFalse(vga.dispiEnabled());
        assertEquals(0x5A, vga.readMemory(0xB8000), "with DISPI off the window is the VGA's planes again");
    }

    @Test
    void turningAModeOnClearsTheScreenUnlessTheNoClearBitIsGiven() {
        vga.writeLinear(100, 4, 0x12345678);
        mode(640, 480, 32, Dispi.NO_CLEAR);
        assertEquals(0x12345678, vga.readLinear(100, 4));
        mode(640, 480, 32, 0);
        assertEquals(0, vga.readLinear(100, 4));
    }

    @Test
    void lfbWritesMoveTheChangeCounterOnlyWhileAModeShows() {
        int before = vga.changeCount();
        vga.writeLinear(0, 4, 1);
        assertEquals(before, vga.changeCount(), "DISPI off: the LFB is not on the screen");
        mode(640, 480, 32, Dispi.LFB_ENABLED);
        int on = vga.changeCount();
        assertNotEquals(before, on, "a mode switch changes the picture");
        vga.writeLinear(4, 4, 0xFFFFFF);
        assertNotEquals(on, vga.changeCount());
    }

    @Test
    void theLinearFrameBufferAnswersWhereTheGuestPutsBarZero() {
        PhysicalMemory memory = new PhysicalMemory(1 << 20);
        VgaPciFunction function = new VgaPciFunction();
        vga.connect(function);
        PciBus bus = new PciBus();
        bus.register(3, 0, function);
        new PciBarMapper(io, memory.map()).connectAll(bus);
        assertEquals(0x1234, function.vendorId());
        assertEquals(0x1111, function.deviceId());
        assertEquals(0x030000, function.classCode());
        function.writeConfig(PciConfig.bar(0), 4, 0xFFFFFFFF);
        assertEquals(0xFF000008, function.readConfig(PciConfig.bar(0), 4), "16 MiB, prefetchable, 32-bit");
        function.writeConfig(PciConfig.bar(0), 4, 0xFD000000);
        assertEquals(-1, memory.read32(0xFD000000), "memory space still off");
        function.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE);
        memory.write32(0xFD000000 + 0xFFFFFC, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, vga.readLinear(0xFFFFFC, 4));
        assertEquals(0xBABE, memory.read16(0xFDFFFFFC));
        function.writeConfig(PciConfig.bar(0), 4, 0xE0000000);
        assertEquals(-1, memory.read32(0xFD000000), "moved away");
        assertEquals(0xCAFEBABE, memory.read32(0xE0FFFFFC));
    }

    @Test
    void theCpusWritesToTheMappedFrameBufferMoveTheChangeCounterOnlyWhileAModeShows() {
        PhysicalMemory memory = new PhysicalMemory(1 << 20);
        VgaPciFunction function = new VgaPciFunction();
        vga.connect(function);
        PciBus bus = new PciBus();
        bus.register(3, 0, function);
        new PciBarMapper(io, memory.map()).connectAll(bus);
        function.writeConfig(PciConfig.bar(0), 4, 0xFD000000);
        function.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE);
        int off = vga.changeCount();
        memory.write32(0xFD000000, 0x123456);
        assertTrue(memory.fillForward(0xFD001000, 1024, 0xFF, 4));
        assertEquals(off, vga.changeCount(), "DISPI off: the LFB is not on the screen");
        mode(1024, 768, 32, Dispi.LFB_ENABLED | Dispi.NO_CLEAR);
        int on = vga.changeCount();
        memory.write8(0xFD000010, 1);
        int afterStore = vga.changeCount();
        assertNotEquals(on, afterStore);
        assertTrue(memory.fillForward(0xFD002000, 1024, 0xFF00, 4));
        assertNotEquals(afterStore, vga.changeCount());
        assertEquals(0x123456, vga.readLinear(0, 4));
        assertEquals(0xFF00, vga.readLinear(0x2FFC, 4));
        set(Dispi.ENABLE, 0);
        int offAgain = vga.changeCount();
        memory.write32(0xFD000000, 7);
        assertEquals(offAgain, vga.changeCount());
    }

    @Test
    void aRestoredVgaKeepsItsModeRegistersAndLinearMemory() throws Exception {
        mode(1024, 768, 16, Dispi.LFB_ENABLED);
        set(Dispi.BANK, 2);
        vga.writeLinear(0x20000, 4, 0xA5A5F00F);
        vga.writeLinear(3 << 20, 2, 0x1234);
        byte[] saved = StateRoundTrip.save(vga::saveState);
        int plain = StateRoundTrip.save(new VgaDevice(new VirtualClock())::saveState).length;
        assertTrue(saved.length - plain < 16 * 1024, "only the used 3 MiB, compressed: " + (saved.length - plain)
                + " bytes more than a VGA without DISPI");
        VgaDevice b = new VgaDevice(new VirtualClock());
        StateRoundTrip.loadAndCompare(saved, null, b::loadState, b::saveState);
        assertTrue(b.dispiEnabled());
        assertEquals(1024, b.dispiRegister(Dispi.XRES));
        assertEquals(16, b.dispiRegister(Dispi.BPP));
        assertEquals(0xA5A5F00F, b.readLinear(0x20000, 4));
        assertEquals(0x1234, b.readLinear(3 << 20, 2));
        assertEquals(0xF00F, b.readMemory(0xA0000) | b.readMemory(0xA0001) << 8, "bank 2 in the window");
    }

    @Test
    void aRestoredVgaKeepsTheEightBitDacAndItsTable() throws Exception {
        mode(640, 480, 8, Dispi.DAC_8BIT);
        vga.writePort(VgaDevice.DAC_WRITE_INDEX, 9);
        vga.writePort(VgaDevice.DAC_DATA, 0xC1);
        vga.writePort(VgaDevice.DAC_DATA, 0x82);
        vga.writePort(VgaDevice.DAC_DATA, 0x43);
        byte[] saved = StateRoundTrip.save(vga::saveState);
        VgaDevice b = new VgaDevice(new VirtualClock());
        StateRoundTrip.loadAndCompare(saved, null, b::loadState, b::saveState);
        assertTrue(b.dacEightBit());
        b.writeLinear(0, 1, 9);
        assertEquals(0xFFC18243, PictureCheck.frame(b).pixel(0, 0), "the table as saved, not scaled again");
    }

    @Test
    void aMachineResetTurnsTheModeOff() {
        mode(640, 480, 8, Dispi.DAC_8BIT);
        vga.machineReset();
        assertFalse(vga.dispiEnabled());
        assertFalse(vga.dacEightBit(), "and the DAC to 6 bits");
        assertEquals(0xB0C5, get(Dispi.ID));
    }
}

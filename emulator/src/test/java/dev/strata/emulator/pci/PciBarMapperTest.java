package dev.strata.emulator.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.memory.MemoryRegion;
import dev.strata.emulator.memory.MmioHandler;
import dev.strata.emulator.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

/** BAR windows appear, move and disappear as software programs the BARs and the command register. */
class PciBarMapperTest {

    /** A card with 32 I/O ports in BAR0 and 4 KiB of 32-bit registers in BAR1 that remember what was written. */
    static final class TestCard extends PciFunction {
        final int[] registers = new int[1024];
        int lastPort = -1;

        TestCard() {
            super(0x1234, 0x5678, 0xFF0000, 1);
            defineBar(0, PciBar.io(32));
            defineBar(1, PciBar.memory32(0x1000, false));
            connectBar(0, "test.ports", new IoPortHandler() {
                @Override
                public int in(int port, int size) {
                    lastPort = port;
                    return 0xA5;
                }

                @Override
                public void out(int port, int size, int value) {
                    lastPort = port;
                }
            });
            connectBar(1, MemoryRegion.mmio("test.registers", 0x1000, MemoryRegion.DWORD, new MmioHandler() {
                @Override
                public int read(int offset, int size) {
                    return registers[offset >>> 2];
                }

                @Override
                public void write(int offset, int size, int value) {
                    registers[offset >>> 2] = value;
                }
            }));
        }
    }

    private final IoBus io = new IoBus();
    private final PhysicalMemory memory = new PhysicalMemory(1 << 20);
    private final TestCard card = new TestCard();

    PciBarMapperTest() {
        PciBus bus = new PciBus();
        bus.register(3, 0, card);
        new PciBarMapper(io, memory.map()).connectAll(bus);
    }

    @Test
    void aMemoryBarAnswersAtItsProgrammedAddressOnceMemorySpaceIsOn() {
        card.writeConfig(PciConfig.bar(1), 4, 0xFEB00000);
        assertEquals(-1, memory.read32(0xFEB00010), "memory space still off: open bus");
        card.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE);
        memory.write32(0xFEB00010, 0xC0FFEE);
        assertEquals(0xC0FFEE, card.registers[4]);
        assertEquals(0xC0FFEE, memory.read32(0xFEB00010));
        assertEquals(0xEE, memory.read8(0xFEB00010), "a byte read comes from the dword around it");
        assertEquals("test.registers", memory.map().resolve(0xFEB00FFFL).region().name());
    }

    @Test
    void movingAMemoryBarMovesItsWindowAndTurningMemorySpaceOffRemovesIt() {
        card.writeConfig(PciConfig.bar(1), 4, 0xFEB00000);
        card.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE);
        card.registers[0] = 0x1111;
        card.writeConfig(PciConfig.bar(1), 4, 0xFEB40000);
        assertNull(memory.map().resolve(0xFEB00000L), "the old window is gone");
        assertEquals(0x1111, memory.read32(0xFEB40000));
        card.writeConfig(PciConfig.COMMAND, 2, 0);
        assertEquals(-1, memory.read32(0xFEB40000));
        card.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE);
        assertEquals(0x1111, memory.read32(0xFEB40000), "back with memory space on");
        card.reset();
        assertEquals(-1, memory.read32(0xFEB40000), "a PCI reset clears the BAR and the command register");
    }

    @Test
    void anIoBarIsClaimedWhereItPointsWhileIoSpaceIsOn() {
        card.writeConfig(PciConfig.bar(0), 4, 0xC020);
        assertEquals(0xFF, io.in(0xC020, 1));
        card.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_IO_SPACE);
        assertEquals(0xA5, io.in(0xC03F, 1));
        assertEquals(0xC03F, card.lastPort, "the handler sees the full port number");
        assertTrue(io.owner(0xC020).name().startsWith("test.ports (pci 03.0 BAR0)"), io.owner(0xC020).name());
        card.writeConfig(PciConfig.bar(0), 4, 0xD000);
        assertNull(io.owner(0xC020));
        assertEquals(0xA5, io.in(0xD000, 1));
        card.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE);
        assertNull(io.owner(0xD000), "I/O space off");
    }

    @Test
    void sizingWithAllOnesReadsTheSizeBackAndDecodesNothingMeanwhile() {
        card.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_IO_SPACE | PciConfig.COMMAND_MEMORY_SPACE);
        card.writeConfig(PciConfig.bar(0), 4, 0xFFFFFFFF);
        card.writeConfig(PciConfig.bar(1), 4, 0xFFFFFFFF);
        assertEquals(0xFFFFFFE1, card.readConfig(PciConfig.bar(0), 4), "32 ports, I/O type bit");
        assertEquals(0xFFFFF000, card.readConfig(PciConfig.bar(1), 4), "4 KiB, 32-bit, not prefetchable");
        assertEquals(0, io.ranges().size(), "an I/O window past FFFFh is not decoded");
    }

    @Test
    void anIoBarProgrammedOverAnotherDevicesPortsStaysUnmappedUntilItMoves() {
        io.register("com1", 0x3F8, 8, new IoPortHandler() {
            @Override
            public int in(int port, int size) {
                return 0x33;
            }

            @Override
            public void out(int port, int size, int value) {
            }
        });
        card.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_IO_SPACE);
        card.writeConfig(PciConfig.bar(0), 4, 0x3E0);
        assertEquals(0x33, io.in(0x3F8, 1), "the device that was there keeps its ports");
        assertEquals(0xFF, io.in(0x3E0, 1));
        card.writeConfig(PciConfig.bar(0), 4, 0xE000);
        assertEquals(0xA5, io.in(0xE000, 1));
    }

    @Test
    void connectingAWindowToABarOfTheWrongKindIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> card.connectBar(2, MemoryRegion.mmio("x", 16, MemoryRegion.DWORD, new MmioHandler() {
                    @Override
                    public int read(int offset, int size) {
                        return 0;
                    }

                    @Override
                    public void write(int offset, int size, int value) {
                    }
                })));
        assertTrue(e.getMessage().contains("BAR 2") && e.getMessage().contains("not declared"), e.getMessage());
    }

    @Test
    void aRestoredConfigurationMapsItsWindowsAgain() throws Exception {
        I440fxPciSystem saved = new I440fxPciSystem();
        saved.ide().writeConfig(PciConfig.bar(Piix3IdeFunction.BUS_MASTER_BAR), 4, 0xD000);
        saved.ide().writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_IO_SPACE);
        byte[] bytes = dev.strata.emulator.state.StateRoundTrip.save(saved::saveState);

        I440fxPciSystem restored = new I440fxPciSystem();
        restored.ide().connectBar(Piix3IdeFunction.BUS_MASTER_BAR, "ide.busmaster", new IoPortHandler() {
            @Override
            public int in(int port, int size) {
                return 0x42;
            }

            @Override
            public void out(int port, int size, int value) {
            }
        });
        new PciBarMapper(io, memory.map()).connectAll(restored.bus());
        assertNull(io.owner(0xD000));
        restored.loadState(dev.strata.emulator.state.StateRoundTrip.reader(bytes, null));
        assertEquals(0x42, io.in(0xD000, 1), "the bus-master window is back where the saved BAR4 points");
    }
}

package dev.strata.emulator.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhysicalMemoryTest {

    @Test
    void multiByteAccessIsLittleEndian() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        m.write32(0x100, 0x11223344);
        assertEquals(0x44, m.read8(0x100));
        assertEquals(0x3344, m.read16(0x100));
        assertEquals(0x11223344, m.read32(0x100));
    }

    @Test
    void accessesAcrossAPageBoundaryWork() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        m.write32(0xFFE, 0xAABBCCDD);
        assertEquals(0xCCDD, m.read16(0xFFE));
        assertEquals(0xAABB, m.read16(0x1000));
        assertEquals(0xAABBCCDD, m.read32(0xFFE));
    }

    @Test
    void a20OffWrapsAtOneMegabyte() {
        PhysicalMemory m = new PhysicalMemory(2 << 20);
        m.setA20(false);
        m.write8(0x100010, 0x42);
        assertEquals(0x42, m.read8(0x10));
        m.setA20(true);
        assertEquals(0, m.read8(0x100010));
        m.write8(0x100010, 0x43);
        assertEquals(0x42, m.read8(0x10));
    }

    @Test
    void beyondRamReadsAllOnesAndDropsWrites() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        m.write16(0x200000, 0x1234);
        assertEquals(0xFFFF, m.read16(0x200000));
        assertEquals(-1, m.read32(0x300000));
    }

    @Test
    void writesToCodePagesNotifyOnceUntilMarkedAgain() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        List<Integer> pages = new ArrayList<>();
        m.setCodeWriteListener(new CodeWriteListener() {
            @Override
            public void codePageWritten(int page) {
                pages.add(page);
            }
        });
        m.markCode(3);
        assertTrue(m.isCode(3));
        m.write16(0x3010, 1);
        m.write32(0x3020, 1);
        m.write8(0x4000, 1);
        assertEquals(List.of(3), pages);
        assertFalse(m.isCode(3));
    }

    @Test
    void ramSizeMustBePageAligned() {
        assertThrows(IllegalArgumentException.class, () -> new PhysicalMemory(1000));
    }

    @Test
    void togglingA20TellsTheListener() {
        PhysicalMemory m = new PhysicalMemory(2 << 20);
        int[] changes = new int[1];
        m.setCodeWriteListener(new CodeWriteListener() {
            @Override
            public void codePageWritten(int page) {
            }

            @Override
            public void mappingChanged() {
                changes[0]++;
            }
        });
        m.setA20(false);
        m.setA20(false);
        m.setA20(true);
        assertEquals(2, changes[0]);
    }

    @Test
    void onlyWritesToCodeLinesReachTheListenerWithTheBytesWritten() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        List<String> writes = new ArrayList<>();
        m.setCodeWriteListener(new CodeWriteListener() {
            @Override
            public void codePageWritten(int page) {
                writes.add("page " + page);
            }

            @Override
            public void codeWritten(int physical, int length) {
                writes.add(Integer.toHexString(physical) + "/" + length);
            }
        });
        m.markCodeLines(3, PhysicalMemory.lineMask(0x40, 0x80)); // code in 3040h-307Fh
        m.write8(0x303F, 1);
        m.write16(0x3080, 2);
        m.write32(0x3010, 3);
        assertEquals(List.of(), writes, "data beside the code line is written on the quiet");
        assertEquals(2, m.read16(0x3080));
        assertEquals(3, m.read32(0x3010));
        m.write16(0x303F, 0x0504); // straddles into the code line
        assertEquals(List.of("303f/2"), writes);
        assertEquals(0x0504, m.read16(0x303F));
        assertEquals(0, m.codeLines(3), "the listener did not mark the line again");
        assertFalse(m.isCode(3));
    }

    @Test
    void lineMaskCoversTheLinesOfARange() {
        assertEquals(0b1L, PhysicalMemory.lineMask(0, 1));
        assertEquals(0b110L, PhysicalMemory.lineMask(0x7F, 0x81));
        assertEquals(1L << 63, PhysicalMemory.lineMask(0xFFF, 0x1000));
        assertEquals(-1L, PhysicalMemory.lineMask(0, 0x1000));
        assertEquals(0L, PhysicalMemory.lineMask(0x10, 0x10));
    }

    @Test
    void ramAboveTheInitialAllocationReadsZeroUntilWrittenThenGrows() {
        PhysicalMemory m = new PhysicalMemory(32 << 20);
        assertEquals(PhysicalMemory.INITIAL_ALLOCATION, m.allocatedRam());
        assertEquals(0, m.read8(0x1FFFFFF));
        assertEquals(0, m.read32(0x0300000));
        assertEquals(PhysicalMemory.INITIAL_ALLOCATION, m.allocatedRam(), "reads allocate nothing");
        m.write8(0x0100000, 0x11);
        m.write32(0x0480000, 0x12345678);
        assertEquals(8 << 20, m.allocatedRam(), "the next power of two above the write");
        assertEquals(0x11, m.read8(0x0100000), "the old contents move with it");
        assertEquals(0x12345678, m.read32(0x0480000));
        m.write16(0x1FFFFFE, 0xBEEF);
        assertEquals(32 << 20, m.allocatedRam(), "never beyond the machine's RAM");
        assertEquals(0xBEEF, m.read16(0x1FFFFFE));
        assertEquals(0x12345678, m.read32(0x0480000));
    }

    @Test
    void ramAllocatedAheadIsTakenWholeByTheFirstGrowthWithWhatWasWritten() {
        PhysicalMemory m = new PhysicalMemory(32 << 20);
        m.write32(0x1000, 0xCAFEF00D);
        m.allocateAllAhead();
        assertEquals(PhysicalMemory.INITIAL_ALLOCATION, m.allocatedRam(), "taken only when a write needs it");
        assertEquals(0, m.read32(0x1800000), "reads allocate nothing");
        m.write8(0x0480000, 0x5A);
        assertEquals(32 << 20, m.allocatedRam(), "all of RAM at once, not the next power of two");
        assertEquals(0xCAFEF00D, m.read32(0x1000), "the old contents move with it");
        assertEquals(0x5A, m.read8(0x0480000));
        assertEquals(0, m.read32(0x1FFFFFC));
        m.allocateAllAhead(); // all of it is there: nothing more to allocate
        assertEquals(32 << 20, m.allocatedRam());
    }

    @Test
    void aRamImageReplacesRamAllocatedAhead() {
        PhysicalMemory m = new PhysicalMemory(8 << 20);
        m.allocateAllAhead();
        byte[] image = new byte[8 << 20];
        image[0x700000] = 0x42;
        m.replaceRam(image);
        m.write8(0x7FFFFF, 0x17);
        assertEquals(0x42, m.read8(0x700000), "the image, not the array allocated ahead");
        assertEquals(0x17, image[0x7FFFFF], "writes go to the image");
    }

    @Test
    void aRamImageIsBuiltInTheArrayAllocatedAhead() {
        PhysicalMemory m = new PhysicalMemory(32 << 20);
        m.allocateAllAhead();
        byte[] staged = m.zeroedRamArray();
        assertEquals(32 << 20, staged.length);
        assertEquals(0, staged[0x1FFFFFF]);
        m.write8(0x0480000, 0x5A);
        assertEquals(8 << 20, m.allocatedRam(), "taken for the image, the array is no longer there to grow into");
        m.replaceRam(staged);
        assertEquals(32 << 20, m.allocatedRam());
        assertEquals(0, m.read8(0x0480000), "the image replaced what was written before");
        assertEquals(32 << 20, new PhysicalMemory(32 << 20).zeroedRamArray().length, "without one, a new array");
    }

    @Test
    void aWordStraddlingTheAllocationsEndIsWrittenWhole() {
        PhysicalMemory m = new PhysicalMemory(8 << 20);
        int end = PhysicalMemory.INITIAL_ALLOCATION;
        m.write32(end - 2, 0xAABBCCDD); // crosses a page too, so the split path
        assertEquals(0xAABBCCDD, m.read32(end - 2));
        assertEquals(0xAABB, m.read16(end));
    }

    @Test
    void bulkMovesIntoUnallocatedRamLeaveItToTheElementPath() {
        PhysicalMemory m = new PhysicalMemory(8 << 20);
        int dst = 0x600000;
        assertFalse(m.copyForward(0x1000, dst, 16), "the caller then moves element by element, which allocates");
        assertFalse(m.fillForward(dst, 4, 0x41, 1));
        m.write8(dst, 1);
        assertTrue(m.fillForward(dst, 4, 0x41, 1));
        assertEquals(0x41414141, m.read32(dst));
    }

    @Test
    void copyRamAndReplaceRamSeeAllOfRam() {
        PhysicalMemory m = new PhysicalMemory(4 << 20);
        m.write8(0x1000, 7);
        byte[] page = new byte[4096];
        java.util.Arrays.fill(page, (byte) 9);
        m.copyRam(0x3FF000, page, 0, 4096);
        assertEquals(0, page[0], "RAM never written is zeros");
        m.copyRam(0x1000, page, 0, 4096);
        assertEquals(7, page[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> m.copyRam(0x3FF000, page, 0, 8192));
        byte[] image = new byte[4 << 20];
        image[0x3FFFFF] = 5;
        m.replaceRam(image);
        assertEquals(5, m.read8(0x3FFFFF));
        assertEquals(0, m.read8(0x1000));
        assertThrows(IllegalArgumentException.class, () -> m.replaceRam(new byte[4096]));
    }

    @Test
    void aDeviceAboveRamGetsFourByteAccessesWhole() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        MemoryMapTest.Recorder regs = new MemoryMapTest.Recorder(0x12345678);
        m.map().add(MemoryRegion.mmio("ahci.abar", 0x1000, MemoryRegion.DWORD, regs), 0xFEB00000L,
                MemoryMap.PRIORITY_PCI);
        assertEquals(0x12345678, m.read32(0xFEB00010));
        m.write32(0xFEB00014, 0xCAFE);
        m.write8(0xFEB00019, 0x7F);
        assertEquals(List.of("r 10 4", "w 14 4 cafe", "w 18 4 7f00"), regs.log);
        assertEquals(0, m.map().openBusReads());
    }

    @Test
    void aBusMasterBlockSpansPagesAndGrowsRamAndRamNeverWrittenReadsAsZeros() {
        PhysicalMemory m = new PhysicalMemory(8 << 20);
        byte[] data = new byte[3 * 4096 + 100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 1);
        }
        int at = 0x600000 - 50; // past the initial allocation, starting inside a page
        m.writeBlock(at, data, 0, data.length);
        assertEquals(data[0] & 0xFF, m.read8(at));
        assertEquals(data[data.length - 1] & 0xFF, m.read8(at + data.length - 1));
        byte[] back = new byte[data.length + 8];
        m.readBlock(at, back, 4, data.length);
        assertTrue(java.util.Arrays.equals(data, 0, data.length, back, 4, 4 + data.length));
        byte[] blank = new byte[4096];
        java.util.Arrays.fill(blank, (byte) 9);
        m.readBlock(0x7FF000, blank, 0, blank.length);
        assertTrue(java.util.Arrays.equals(new byte[4096], blank), "RAM never written reads as zeros");
    }

    /** The code writes {@code m} tells its listener of from now on, as "address/length" in hex and decimal. */
    private static List<String> codeWrites(PhysicalMemory m) {
        List<String> writes = new ArrayList<>();
        m.setCodeWriteListener(new CodeWriteListener() {
            @Override
            public void codePageWritten(int page) {
            }

            @Override
            public void codeWritten(int physical, int length) {
                writes.add(Integer.toHexString(physical) + "/" + length);
            }
        });
        return writes;
    }

    @Test
    void aBusMasterWriteOverDecodedCodeTellsTheListenerAsACpuWriteDoes() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        List<String> writes = codeWrites(m);
        m.markCodeLines(3, PhysicalMemory.lineMask(0x40, 0x80));
        m.writeBlock(0x2F00, new byte[0x100], 0, 0x100); // the page before: nothing to tell
        assertEquals(List.of(), writes);
        m.writeBlock(0x2F00, new byte[0x200], 0, 0x200); // on into page 3 over its code line
        assertEquals(List.of("3000/256"), writes);
        assertFalse(m.isCode(3));
    }

    @Test
    void aLoaderCopyGoesThroughTheA20GateAndTellsOfDecodedCodeAsCpuWritesWould() {
        PhysicalMemory m = new PhysicalMemory(4 << 20);
        List<String> writes = codeWrites(m);
        m.markCodeLines(0x10, PhysicalMemory.lineMask(0, 0x40));
        byte[] data = new byte[0x20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (0x40 + i);
        }
        m.setA20(false);
        m.load(0x10FFF0, data); // with the gate closed, address bit 20 is 0: onto 0FFF0h and on into 10000h
        m.setA20(true);
        assertEquals(0x40, m.read8(0x0FFF0));
        assertEquals(0x50, m.read8(0x10000), "the second page's bytes went through the gate too");
        assertEquals(0, m.read8(0x110000), "nothing landed above 1 MiB");
        assertEquals(List.of("10000/16"), writes, "the code line at 10000h was told of the write");
    }

    @Test
    void aBusMasterBlockOverADeviceWindowReachesTheDeviceByteByByte() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        MemoryMapTest.Recorder regs = new MemoryMapTest.Recorder(0x5A);
        m.map().add(MemoryRegion.mmio("window", 0x1000, MemoryRegion.BYTE, regs), 0x6000,
                MemoryMap.PRIORITY_OVERLAY);
        m.writeBlock(0x5FFF, new byte[] {1, 2, 3}, 0, 3);
        assertEquals(1, m.read8(0x5FFF), "RAM before the window");
        assertEquals(List.of("w 0 1 2", "w 1 1 3"), regs.log);
        byte[] back = new byte[2];
        m.readBlock(0x5FFF, back, 0, 2);
        assertEquals(1, back[0]);
        assertEquals(0x5A, back[1]);
    }

    @Test
    void aWindowOverRamAnswersThereWhileRamAroundItStaysRam() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        m.write8(0x5FFF, 0x11);
        m.write8(0x7000, 0x22);
        MemoryMapTest.Recorder regs = new MemoryMapTest.Recorder(0x5A);
        MemoryMapping window = m.map().add(MemoryRegion.mmio("window", 0x1000, MemoryRegion.BYTE, regs), 0x6000,
                MemoryMap.PRIORITY_OVERLAY);
        assertEquals(0x5A, m.read8(0x6000));
        m.write16(0x6FFE, 0x0102);
        assertEquals(0x11, m.read8(0x5FFF));
        assertEquals(0x22, m.read8(0x7000));
        assertEquals(List.of("r 0 1", "w ffe 1 2", "w fff 1 1"), regs.log);
        m.map().remove(window);
        m.write8(0x6000, 0x33);
        assertEquals(0x33, m.read8(0x6000), "RAM again once the window is gone");
    }

    @Test
    void aFillWritesItemByItemUnlessTheDeviceTakesItInOneGoAndRamAroundGetsItsBytes() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        MemoryMapTest.Recorder regs = new MemoryMapTest.Recorder(0);
        m.map().add(MemoryRegion.mmio("window", 0x1000, MemoryRegion.BYTE, regs), 0x6000, MemoryMap.PRIORITY_OVERLAY);
        m.fill(0x6000, 2, 2, 0x0720);
        assertEquals(List.of("w 0 1 20", "w 1 1 7", "w 2 1 20", "w 3 1 7"), regs.log, "no bulk way: the writes");
        regs.log.clear();
        m.fill(0x6FFE, 2, 2, 0xAABB);
        assertEquals(List.of("w ffe 1 bb", "w fff 1 aa"), regs.log, "into RAM after the window: item by item");
        assertEquals(0xAABB, m.read16(0x7000));
        m.fill(0x100, 4, 3, 0x11223344);
        for (int k = 0; k < 3; k++) {
            assertEquals(0x11223344, m.read32(0x100 + 4 * k));
        }
        assertEquals(0, m.read8(0x10C));

        List<String> bulk = new ArrayList<>();
        m.map().add(MemoryRegion.mmio("bulk", 0x1000, MemoryRegion.BYTE, new MmioHandler() {
            @Override
            public int read(int offset, int size) {
                return 0;
            }

            @Override
            public void write(int offset, int size, int value) {
                bulk.add("w " + offset);
            }

            @Override
            public boolean fill(int offset, int size, int count, int value) {
                bulk.add("fill " + Integer.toHexString(offset) + " " + size + " " + count + " "
                        + Integer.toHexString(value));
                return true;
            }

            @Override
            public boolean writeBytes(int offset, byte[] src, int from, int length) {
                bulk.add("bytes " + Integer.toHexString(offset) + " " + from + " " + length);
                return true;
            }
        }), 0x8000, MemoryMap.PRIORITY_OVERLAY);
        m.fill(0x8010, 4, 0x3FC, 0);
        assertEquals(List.of("fill 10 4 1020 0"), bulk, "inside the region: one call");
        bulk.clear();
        m.writeBlock(0x8FFE, new byte[] {1, 2, 3, 4, 5, 6}, 1, 5);
        assertEquals(List.of("bytes ffe 1 2"), bulk, "the device's part of the block in one call");
        assertEquals(0x0504, m.read16(0x9000), "the rest in RAM");
        assertEquals(6, m.read8(0x9002));

        regs.log.clear();
        m.writeBlock(0x6FFE, new byte[] {9, 8}, 0, 2);
        assertEquals(List.of("w ffe 1 9", "w fff 1 8"), regs.log, "no bulk way: the bytes one by one");
    }

    @Test
    void pciMemoryBelowRamIsHiddenByRamAsTheChipsetDecodesDramFirst() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        m.write8(0x8000, 0x44);
        m.map().add(MemoryRegion.mmio("bar", 0x1000, MemoryRegion.ANY_SIZE, new MemoryMapTest.Recorder(0x99)),
                0x8000, MemoryMap.PRIORITY_PCI);
        assertEquals(0x44, m.read8(0x8000));
    }

    @Test
    void theLegacyRegionIsOpenBusUntilAWindowOrRomIsMappedAndTheRomAnswersAtTheTopOfMemory() {
        PhysicalMemory m = new PhysicalMemory(2 << 20);
        m.mapLegacyRegion();
        assertEquals(0xFF, m.read8(0xB8000));
        m.write8(0xB8000, 0x41);
        assertEquals(0xFF, m.read8(0xB8000), "no RAM under the window");
        byte[] rom = new byte[0x10000];
        rom[0xFFF0] = (byte) 0xEA;
        m.loadRom(rom);
        assertEquals(0xEA, m.read8(0xFFFF0));
        assertEquals(0xEA, m.read8(0xFFFFFFF0));
        assertEquals(0xEA, m.read8(0xFFEFFFF0), "bit 20 ignored at the top: the reset vector with A20 gated off");
        m.write8(0xFFFF0, 0);
        assertEquals(0xEA, m.read8(0xFFFF0), "ROM ignores writes");
        assertEquals(0xFF, m.read8(0xC0000), "option ROM space without a ROM");
        m.write8(0x100000, 0x55);
        assertEquals(0x55, m.read8(0x100000), "RAM above 1 MiB");
    }

    @Test
    void registersHidingRamOutsideOneAligned128KibBlockAreRefusedAndTheMapStaysAsItWas() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        m.map().add(MemoryRegion.mmio("vga", 0x20000, MemoryRegion.BYTE, new MemoryMapTest.Recorder(0)), 0xA0000,
                MemoryMap.PRIORITY_OVERLAY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.map().add(
                MemoryRegion.mmio("stray", 0x1000, MemoryRegion.BYTE, new MemoryMapTest.Recorder(0)), 0x40000,
                MemoryMap.PRIORITY_OVERLAY));
        assertTrue(e.getMessage().contains("00040000h-000BFFFFh"), e.getMessage());
        assertEquals(1, m.map().mappings().size() - 1, "RAM and the VGA only");
        m.write8(0x40000, 0x12);
        assertEquals(0x12, m.read8(0x40000), "still RAM");
    }

    @Test
    void holesInTheMapBelowTheEndOfRamHoldAllOnesInTheRamArrayToTheByte() {
        PhysicalMemory m = new PhysicalMemory(2 << 20);
        m.mapLegacyRegion();
        // a hole that ends in the middle of a page, before a device window
        m.map().add(MemoryRegion.mmio("window", 0x800, MemoryRegion.BYTE, new MemoryMapTest.Recorder(0x33)), 0xC1800,
                MemoryMap.PRIORITY_OVERLAY);
        byte[] seen = new byte[0x60000];
        m.copyRam(PhysicalMemory.LEGACY_START, seen, 0, seen.length);
        for (int a = 0; a < seen.length; a++) {
            int physical = PhysicalMemory.LEGACY_START + a;
            if (physical < 0xC1800 || physical >= 0xC2000) {
                assertEquals(0xFF, seen[a] & 0xFF, String.format("open bus at %05Xh", physical));
            }
        }
        byte[] around = new byte[2];
        m.copyRam(PhysicalMemory.LEGACY_START - 1, around, 0, 1);
        m.copyRam(PhysicalMemory.LEGACY_END, around, 1, 1);
        assertArrayEquals(new byte[2], around, "RAM on either side of the legacy region stays as it was");
    }

    @Test
    void romAndOpenBusReadTheSameAfterEveryMapChangeWhetherOrNotTheirRangesChanged() {
        PhysicalMemory m = new PhysicalMemory(2 << 20);
        m.mapLegacyRegion();
        byte[] image = new byte[0x1000];
        java.util.Arrays.fill(image, (byte) 0x5A);
        MemoryMapping rom = m.map().add(MemoryRegion.rom("option.rom", image), 0xC0000, MemoryMap.PRIORITY_OVERLAY);
        assertEquals(0x5A, m.read8(0xC0FFF));
        // an unrelated change: the ROM's range and the open bus after it stay as they were
        MemoryMapping far = m.map().add(MemoryRegion.mmio("far", 0x1000, MemoryRegion.BYTE,
                new MemoryMapTest.Recorder(0x77)), 0x1000000, MemoryMap.PRIORITY_OVERLAY);
        assertEquals(0x5A, m.read8(0xC0000));
        assertEquals(0xFF, m.read8(0xC1000));
        // a region over part of the ROM splits its range: what stays visible is still the ROM's
        MemoryMapping over = m.map().add(MemoryRegion.mmio("over", 0x800, MemoryRegion.BYTE,
                new MemoryMapTest.Recorder(0x33)), 0xC0800, MemoryMap.PRIORITY_OVERLAY + 1);
        assertEquals(0x5A, m.read8(0xC07FF));
        assertEquals(0x33, m.read8(0xC0800));
        m.map().remove(over);
        assertEquals(0x5A, m.read8(0xC0800), "the ROM again where the region was");
        m.map().remove(rom);
        assertEquals(0xFF, m.read8(0xC0000), "open bus once the ROM is gone");
        image[0] = 0x12;
        m.map().add(rom);
        assertEquals(0x12, m.read8(0xC0000), "mapped again, the ROM is read again");
        m.replaceRam(new byte[2 << 20]); // a new array (a restored state's): the mirrors are made again in it
        assertEquals(0x12, m.read8(0xC0000));
        assertEquals(0xFF, m.read8(0xD0000));
        m.map().remove(far);
    }
}

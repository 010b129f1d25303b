package dev.strata.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A segment is flat (32-bit, base 0, all 4 GiB readable and writable) exactly while its loaded fields say so. */
class SegmentFlatTest {

    /** A segment loaded from a descriptor: {@code base}, a limit of 4 GiB, 32-bit, access byte {@code access}. */
    private static Segment loaded(int base, int access) {
        Segment s = new Segment();
        s.loadDescriptor(0x10, 0xFFFF | (base << 16), (base >>> 16 & 0xFF) | (access << 8) | 0xCF0000
                | (base & 0xFF000000));
        return s;
    }

    @Test
    void aFourGigabyteWritableDataSegmentAtZeroIsFlat() {
        assertTrue(loaded(0, 0x93).flat());
        assertFalse(loaded(0x1000, 0x93).flat(), "a base");
        assertFalse(loaded(0, 0x91).flat(), "read-only");
        assertFalse(loaded(0, 0x97).flat(), "expand-down");
        assertFalse(new Segment().flat(), "real mode's 64 KiB");
        Segment sixteen = new Segment();
        sixteen.loadDescriptor(0x10, 0xFFFF, 0x8F9300); // 4 GiB, but B clear: as SS, the stack pointer would be SP
        assertFalse(sixteen.flat(), "16-bit");
    }

    @Test
    void loadsKeepItUpToDate() {
        Segment s = loaded(0, 0x93);
        s.loadReal(0x10);
        assertFalse(s.flat(), "base 100h");
        s.loadReal(0);
        assertTrue(s.flat(), "unreal mode: base 0 and the 4 GiB limit cached");
        s.loadNull(0);
        assertFalse(s.flat(), "a null selector faults on every use");
    }

    @Test
    void aLoadedStateIsLookedAtAfresh() {
        Segment s = loaded(0, 0x93);
        s.base = 0x20000; // as the state codec sets fields
        s.afterLoad(1, null);
        assertFalse(s.flat());
        s.base = 0;
        s.afterLoad(1, null);
        assertTrue(s.flat());
    }
}

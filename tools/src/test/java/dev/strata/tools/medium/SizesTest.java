package dev.strata.tools.medium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void plainNumbersAreMegabytes() {
        assertEquals(100L << 20, Sizes.parse("100"));
    }

    @Test
    void unitsAreBinary() {
        assertEquals(512L << 10, Sizes.parse("512K"));
        assertEquals(64L << 20, Sizes.parse("64M"));
        assertEquals(1L << 30, Sizes.parse("1G"));
        assertEquals(1L << 30, Sizes.parse("1GiB"));
        assertEquals(2L << 40, Sizes.parse("2t"));
        assertEquals(4096, Sizes.parse("4096B"));
    }

    @Test
    void nonsenseAndNonPositiveSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("big"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-5M"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999T"));
    }

    @Test
    void humanSizesPickTheLargestUnit() {
        assertEquals("100 MB", Sizes.human(100L << 20));
        assertEquals("1.5 GB", Sizes.human(3L << 29));
        assertEquals("512 bytes", Sizes.human(512));
    }
}

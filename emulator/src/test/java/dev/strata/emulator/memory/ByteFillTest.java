package dev.strata.emulator.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteFillTest {

    /** The same fill, one byte at a time. */
    private static void fillByBytes(byte[] array, int from, int length, int value, int size) {
        for (int k = 0; k < length; k++) {
            array[from + k] = (byte) (value >>> 8 * (k % size));
        }
    }

    @Test
    void storesTheElementLittleEndianAgainAndAgainAndNothingAroundIt() {
        Random random = new Random(3);
        for (int round = 0; round < 2000; round++) {
            int size = new int[] {1, 2, 4}[random.nextInt(3)];
            int length = size * random.nextInt(round < 1000 ? 40 : 5000);
            int from = random.nextInt(64);
            byte[] expected = new byte[from + length + 64];
            random.nextBytes(expected);
            byte[] actual = expected.clone();
            int value = random.nextInt();
            fillByBytes(expected, from, length, value, size);
            ByteFill.fill(actual, from, length, value, size);
            assertArrayEquals(expected, actual, "size " + size + ", " + length + " bytes from " + from);
        }
    }

    @Test
    void aFillPastTheArrayFailsAsArraysFillWould() {
        assertThrows(IndexOutOfBoundsException.class, () -> ByteFill.fill(new byte[16], 8, 16, 0x1234, 2));
    }
}

package dev.strata.emulator.device.debug;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PostCodePortTest {

    @Test
    void keepsTheLastCodeAndReadsItBack() {
        PostCodePort post = new PostCodePort();
        assertEquals(-1, post.lastCode());
        assertEquals(0xFF, post.readPort(0x80), "nothing written yet");
        post.writePort(0x80, 0x12);
        post.writePort(0x80, 0x1AB);
        assertEquals(0xAB, post.lastCode(), "only the low byte is a code");
        assertEquals(0xAB, post.readPort(0x80));
        assertArrayEquals(new int[] {0x12, 0xAB}, post.codes());
    }

    @Test
    void ignoresOtherPorts() {
        PostCodePort post = new PostCodePort();
        post.writePort(0x81, 0x55);
        assertEquals(-1, post.lastCode());
        assertEquals(0xFF, post.readPort(0x81));
    }

    @Test
    void logDropsTheOldestCodesWhenFull() {
        PostCodePort post = new PostCodePort(3);
        for (int code = 1; code <= 5; code++) {
            post.writePort(0x80, code);
        }
        assertArrayEquals(new int[] {3, 4, 5}, post.codes());
        assertEquals(5, post.codesWritten());
        post.clear();
        assertArrayEquals(new int[0], post.codes());
        assertEquals(-1, post.lastCode());
    }

    @Test
    void refusesAnEmptyLog() {
        assertThrows(IllegalArgumentException.class, () -> new PostCodePort(0));
    }
}

package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RomChecksumTest {
    @Test
    void sealedBlockSumsToZero() {
        byte[] rom = new byte[512];
        for (int i = 0; i < rom.length; i++) {
            rom[i] = (byte) (i * 37 + 11);
        }
        RomChecksum.seal(rom, 0, rom.length, rom.length - 1);
        assertEquals(0, RomChecksum.sum(rom, 0, rom.length));
    }

    @Test
    void sumWrapsModulo256() {
        byte[] b = {(byte) 0xFF, 0x02};
        assertEquals(1, RomChecksum.sum(b, 0, 2));
    }
}

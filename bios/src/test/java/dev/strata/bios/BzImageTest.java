package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BzImageTest {

    @Test
    void parsesTheSetupHeader() {
        BzImage image = BzImage.parse("k", new FakeBzImage(4096).bytes());
        assertEquals(0x020F, image.protocol());
        assertEquals(FakeBzImage.SETUP_BYTES, image.setupBytes());
        assertEquals(4096, image.kernelBytes());
        assertEquals(0x7FFFFFFFL, image.initrdAddrMax());
        assertEquals(2047, image.cmdlineSize());
        assertEquals(4096, image.initSize());
    }

    @Test
    void zeroSetupSectsMeansFour() {
        byte[] file = new FakeBzImage(4096).put8(BzImage.SETUP_SECTS, 0).bytes();
        assertEquals(5 * 512, BzImage.parse("k", file).setupBytes());
    }

    @Test
    void olderProtocolsUseTheDocumentedDefaults() {
        BzImage image = BzImage.parse("k", new FakeBzImage(4096).put16(BzImage.VERSION, 0x0202).bytes());
        assertEquals(0x37FFFFFFL, image.initrdAddrMax());
        assertEquals(255, image.cmdlineSize());
        assertEquals(0, image.initSize());
    }

    @Test
    void aFileWithoutHdrSIsRefusedNamingTheFileAndTheMagic() {
        byte[] file = new FakeBzImage(4096).put32(BzImage.HEADER, 0x464C457F).bytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BzImage.parse("/tmp/disk.img", file));
        assertTrue(e.getMessage().startsWith("/tmp/disk.img: not a Linux bzImage"), e.getMessage());
        assertTrue(e.getMessage().contains("HdrS"), e.getMessage());
    }

    @Test
    void aTinyFileIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BzImage.parse("empty", new byte[100]));
        assertTrue(e.getMessage().contains("empty: not a Linux bzImage (100 bytes"), e.getMessage());
    }

    @Test
    void protocolsBefore202AreRefusedNamingTheVersionField() {
        byte[] file = new FakeBzImage(4096).put16(BzImage.VERSION, 0x0201).bytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BzImage.parse("k", file));
        assertTrue(e.getMessage().contains("version 2.01") && e.getMessage().contains("field version"),
                e.getMessage());
    }

    @Test
    void aZImageIsRefusedNamingLoadflags() {
        byte[] file = new FakeBzImage(4096).put8(BzImage.LOADFLAGS, 0).bytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BzImage.parse("k", file));
        assertTrue(e.getMessage().contains("zImage") && e.getMessage().contains("loadflags"), e.getMessage());
    }

    @Test
    void aBadBootFlagIsRefused() {
        byte[] file = new FakeBzImage(4096).put16(BzImage.BOOT_FLAG, 0).bytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BzImage.parse("k", file));
        assertTrue(e.getMessage().contains("boot_flag"), e.getMessage());
    }

    @Test
    void aTruncatedKernelIsRefusedNamingSetupSects() {
        byte[] file = new FakeBzImage(4096).put8(BzImage.SETUP_SECTS, 60).bytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BzImage.parse("k", file));
        assertTrue(e.getMessage().contains("setup_sects") && e.getMessage().contains("truncated"), e.getMessage());
    }
}

package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class KernelElfTest {

    @Test
    void readsTheEntryAndTheLoadableSegments() {
        KernelElf k = KernelElf.parse("vmlinuz", FakeKernelElf.image());
        assertEquals(FakeKernelElf.TEXT, k.entry());
        assertEquals(2, k.segments().size());
        assertEquals(FakeKernelElf.TEXT, k.lowest());
        assertEquals(FakeKernelElf.DATA + FakeKernelElf.DATA_MEMORY, k.end());
        KernelElf.Segment data = k.segments().get(1);
        assertEquals(FakeKernelElf.DATA_BYTES, data.fileBytes());
        assertEquals(FakeKernelElf.DATA_MEMORY, data.memoryBytes());
    }

    @Test
    void whatIsNotA32BitX86ExecutableIsNotLoaded() {
        assertNull(KernelElf.parse("vmlinuz", new byte[100]));
        assertNull(KernelElf.parse("vmlinuz", FakeKernelElf.image(62, 2)));
        assertNull(KernelElf.parse("vmlinuz", FakeKernelElf.image(40, 1))); // ARM
    }

    @Test
    void programHeadersOutsideTheImageAreNamed() {
        byte[] image = FakeKernelElf.image();
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putShort(44, (short) 5000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelElf.parse("vmlinuz", image));
        assertTrue(e.getMessage().startsWith("vmlinuz: the kernel unpacked from it is not a bootable ELF image")
                && e.getMessage().contains("e_phnum 5000"), e.getMessage());
    }

    @Test
    void aSegmentBeyondTheImageIsNamed() {
        byte[] image = FakeKernelElf.image();
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(52 + 32 + 16, 0x100000); // p_filesz
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelElf.parse("vmlinuz", image));
        assertTrue(e.getMessage().contains("program header 1") && e.getMessage().contains("p_filesz 100000h"),
                e.getMessage());
    }

    @Test
    void anEntryOutsideEverySegmentIsNamed() {
        byte[] image = FakeKernelElf.image();
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 0x900000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelElf.parse("vmlinuz", image));
        assertTrue(e.getMessage().contains("e_entry 900000h") && e.getMessage().contains("--kernel-unpack guest"),
                e.getMessage());
    }
}

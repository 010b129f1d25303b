package dev.strata.tools;

/** Tiny Linux-protocol kernels for tests of kernel boot: a few bytes of setup code that write to port E9h. */
public final class TestKernels {
    private TestKernels() {
    }

    /** A minimal bzImage (boot protocol 2.15) whose setup code writes "LNX" to port E9h and spins. */
    public static byte[] tiny() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(3 * 512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(0x1F1, (byte) 1);
        b.putShort(0x1FE, (short) 0xAA55);
        b.put(0x200, (byte) 0xEB).put(0x201, (byte) (0x270 - 0x202)); // jump over the header
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) 0x020F);
        b.put(0x211, (byte) 1);
        b.putInt(0x22C, 0x7FFFFFFF);
        b.putInt(0x238, 255);
        byte[] code = {(byte) 0xB0, 'L', (byte) 0xE6, (byte) 0xE9, (byte) 0xB0, 'N', (byte) 0xE6, (byte) 0xE9,
            (byte) 0xB0, 'X', (byte) 0xE6, (byte) 0xE9, (byte) 0xEB, (byte) 0xFE};
        b.put(0x270, code);
        return b.array();
    }

    /**
     * A bzImage like {@link #tiny} whose setup code first runs an undefined opcode (0F 04), which the CPU logs
     * as a warning; its own #UD handler steps over it, and then it writes "LNX" to port E9h.
     */
    public static byte[] undefinedOpcode() {
        byte[] image = tiny();
        // the setup code runs at CS=1020h, so file offset 270h is IP 70h; the handler sits at IP 8Eh
        byte[] code = {0x31, (byte) 0xC0, (byte) 0x8E, (byte) 0xD8, // xor ax,ax; mov ds,ax
            (byte) 0xC7, 0x06, 0x18, 0x00, (byte) 0x8E, 0x00, // mov word [6*4],8Eh
            (byte) 0x8C, 0x0E, 0x1A, 0x00, // mov [6*4+2],cs
            0x0F, 0x04, // undefined
            (byte) 0xB0, 'L', (byte) 0xE6, (byte) 0xE9, (byte) 0xB0, 'N', (byte) 0xE6, (byte) 0xE9,
            (byte) 0xB0, 'X', (byte) 0xE6, (byte) 0xE9, (byte) 0xEB, (byte) 0xFE,
            (byte) 0x89, (byte) 0xE5, (byte) 0x83, 0x46, 0x00, 0x02, (byte) 0xCF}; // mov bp,sp; add [bp],2; iret
        System.arraycopy(code, 0, image, 0x270, code.length);
        return image;
    }
}

package dev.strata.bench;

import dev.strata.emulator.clock.VirtualClock;
import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.display.Frame;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The VGA's costs outside the CPU: rendering one frame (milliseconds) in 80x25 text, mode 12h (640x480, planar),
 * mode 13h (320x200, 256 colours) and the DISPI mode 1024x768x32 ("vbe32") with every dot drawn, and a CPU byte
 * write to text memory at B8000h (nanoseconds). The registers are the standard VGA values a video BIOS programs
 * for each mode.
 * Run: {@code strata bench VgaBench -f 1 -wi 3 -i 3}.
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class VgaBench {

    private static final int WRITES = 4096;

    @Param({"text", "12h", "13h", "vbe32"})
    public String mode;

    private VgaDevice vga;

    @Setup
    public void setUp() {
        vga = new VgaDevice(new VirtualClock());
        switch (mode) {
            case "12h" -> program(0xE3, new int[] {0x03, 0x01, 0x0F, 0x00, 0x06},
                    new int[] {0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0x0B, 0x3E, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00,
                        0x00, 0x00, 0xEA, 0x8C, 0xDF, 0x28, 0x00, 0xE7, 0x04, 0xE3, 0xFF},
                    new int[] {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF}, 0x01);
            case "13h" -> program(0x63, new int[] {0x03, 0x01, 0x0F, 0x00, 0x0E},
                    new int[] {0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0x41, 0x00, 0x00, 0x00, 0x00,
                        0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x40, 0x96, 0xB9, 0xA3, 0xFF},
                    new int[] {0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0F, 0xFF}, 0x41);
            case "vbe32" -> {
                dispi(1, 1024);
                dispi(2, 768);
                dispi(3, 32);
                dispi(4, 0x41); // enabled, linear frame buffer
                for (int i = 0; i < 1024 * 768; i++) {
                    vga.writeLinear(4 * i, 4, i * 0x010203);
                }
                return;
            }
            default -> { }
        }
        int bytes = mode.equals("text") ? 4000 : 0x10000;
        int base = mode.equals("text") ? 0xB8000 : 0xA0000;
        for (int i = 0; i < bytes; i++) {
            vga.writeMemory(base + i, i * 7 + (i >> 8));
        }
    }

    private void dispi(int index, int value) {
        vga.writeDispiPort(VgaDevice.DISPI_INDEX, 2, index);
        vga.writeDispiPort(VgaDevice.DISPI_DATA, 2, value);
    }

    private void program(int misc, int[] sequencer, int[] crtc, int[] graphics, int modeControl) {
        vga.writePort(0x3C2, misc);
        for (int i = 0; i < sequencer.length; i++) {
            vga.writePort(0x3C4, i);
            vga.writePort(0x3C5, sequencer[i]);
        }
        vga.writePort(0x3D4, 0x11);
        vga.writePort(0x3D5, 0x00);
        for (int i = 0; i < crtc.length; i++) {
            vga.writePort(0x3D4, i);
            vga.writePort(0x3D5, crtc[i]);
        }
        for (int i = 0; i < graphics.length; i++) {
            vga.writePort(0x3CE, i);
            vga.writePort(0x3CF, graphics[i]);
        }
        vga.readPort(0x3DA);
        vga.writePort(0x3C0, 0x10);
        vga.writePort(0x3C0, modeControl);
        vga.writePort(0x3C0, 0x20);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Frame renderFrame() {
        return vga.renderFrame();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(WRITES)
    public int writeMemory() {
        int base = mode.equals("text") ? 0xB8000 : 0xA0000;
        for (int i = 0; i < WRITES; i++) {
            vga.writeMemory(base + i, i);
        }
        return vga.readMemory(base + 1);
    }
}

package dev.strata.bench;

import dev.strata.emulator.clock.VirtualClock;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Segment;
import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.device.vga.VgaPciFunction;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.pci.PciBarMapper;
import dev.strata.emulator.pci.PciBus;
import dev.strata.emulator.pci.PciConfig;
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
 * How fast a guest draws a whole 1024x768x32 frame (3 MiB) into the VGA's linear frame buffer, against the same
 * frame in RAM: with one 32-bit store per pixel, with REP STOSD in 4 KiB runs, and with REP MOVSD copying 4 KiB runs
 * from RAM; and, without the CPU, the memory system's {@code write32} per pixel. The guest runs in real mode with
 * ES's cached base at the frame (FD000000h, where the BIOS puts BAR0, or 1 MiB of RAM) and a 4 GiB limit, as after
 * an unreal-mode switch. Scores are bytes per microsecond (MB/s).
 * Run: {@code strata bench LfbBench -f 1 -wi 3 -i 3}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class LfbBench {

    private static final int FRAME_BYTES = 1024 * 768 * 4;
    private static final int LFB = 0xFD000000;
    private static final int RAM_FRAME = 0x100000;

    /** One dword store per pixel: xor edi; inc eax; then mov es:[edi],eax / add edi,4 / cmp / jb; jmp. */
    static final byte[] STORE_LOOP = bytes(
            0x66, 0x31, 0xFF,                               // 0100 xor edi,edi
            0x66, 0x40,                                     // 0103 inc eax
            0x26, 0x67, 0x66, 0x89, 0x07,                   // 0105 mov es:[edi],eax
            0x66, 0x83, 0xC7, 0x04,                         // 010A add edi,4
            0x66, 0x81, 0xFF, 0x00, 0x00, 0x30, 0x00,       // 010E cmp edi,300000h
            0x72, 0xEE,                                     // 0115 jb 0105
            0xEB, 0xE7);                                    // 0117 jmp 0100
    static final long STORE_INSNS = 3 + 4L * (FRAME_BYTES / 4);

    /** REP STOSD in 4 KiB runs over the frame. */
    static final byte[] FILL_LOOP = bytes(
            0x66, 0x31, 0xFF,                               // 0100 xor edi,edi
            0x66, 0x40,                                     // 0103 inc eax
            0x66, 0xB9, 0x00, 0x04, 0x00, 0x00,             // 0105 mov ecx,400h
            0x67, 0x66, 0xF3, 0xAB,                         // 010B rep stosd (32-bit addresses)
            0x66, 0x81, 0xFF, 0x00, 0x00, 0x30, 0x00,       // 010F cmp edi,300000h
            0x72, 0xED,                                     // 0116 jb 0105
            0xEB, 0xE6);                                    // 0118 jmp 0100
    static final long FILL_INSNS = 3 + 4L * (FRAME_BYTES / 4096);

    /** REP MOVSD of 4 KiB runs from DS:0 (RAM) over the frame. */
    static final byte[] COPY_LOOP = bytes(
            0x66, 0x31, 0xFF,                               // 0100 xor edi,edi
            0x66, 0x31, 0xF6,                               // 0103 xor esi,esi
            0x66, 0xB9, 0x00, 0x04, 0x00, 0x00,             // 0106 mov ecx,400h
            0x67, 0x66, 0xF3, 0xA5,                         // 010C rep movsd (32-bit addresses)
            0x66, 0x31, 0xF6,                               // 0110 xor esi,esi
            0x66, 0x81, 0xFF, 0x00, 0x00, 0x30, 0x00,       // 0113 cmp edi,300000h
            0x72, 0xEA,                                     // 011A jb 0106
            0xEB, 0xE2);                                    // 011C jmp 0100
    static final long COPY_INSNS = 3 + 5L * (FRAME_BYTES / 4096);

    /** Where the frame is: the VGA's linear frame buffer in its PCI BAR, or plain RAM. */
    @Param({"lfb", "ram"})
    public String target;

    private Cpu store;
    private Cpu fill;
    private Cpu copy;
    private VgaDevice vga;
    private int pixel;

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int k = 0; k < v.length; k++) {
            b[k] = (byte) v[k];
        }
        return b;
    }

    @Setup
    public void setUp() {
        vga = new VgaDevice(new VirtualClock());
        // a 1024x768x32 DISPI mode, so frame buffer writes count as picture changes, as in a running guest
        int[][] mode = {{1, 1024}, {2, 768}, {3, 32}, {4, 0x41}};
        for (int[] r : mode) {
            vga.writeDispiPort(0x1CE, 2, r[0]);
            vga.writeDispiPort(0x1CF, 2, r[1]);
        }
        store = machine(STORE_LOOP);
        fill = machine(FILL_LOOP);
        copy = machine(COPY_LOOP);
        check(store, STORE_INSNS, "stores");
        check(fill, FILL_INSNS, "rep stosd");
        copy.mem.write32(0x20000 + 4092, 0x12345678);
        check(copy, COPY_INSNS, "rep movsd");
    }

    /** Runs one frame and refuses to measure a loop that did not reach the frame's last dword. */
    private void check(Cpu c, long instructions, String loop) {
        c.run(instructions);
        int last = target.equals("lfb") ? vga.readLinear(FRAME_BYTES - 4, 4)
                : c.mem.read32(RAM_FRAME + FRAME_BYTES - 4);
        if (last == 0 || c.eip != 0x100) {
            throw new IllegalStateException(String.format("the %s loop did not fill the frame (last dword %08Xh,"
                    + " eip %04Xh)", loop, last, c.eip));
        }
    }

    /** A CPU running {@code code} at 1000:0100, DS at 20000h, ES at the frame; the LFB in BAR0 at FD000000h. */
    private Cpu machine(byte[] code) {
        PhysicalMemory mem = new PhysicalMemory(16 << 20);
        mem.setA20(true);
        IoBus io = new IoBus();
        if (target.equals("lfb")) {
            VgaPciFunction function = new VgaPciFunction();
            vga.connect(function);
            PciBus bus = new PciBus();
            bus.register(3, 0, function);
            new PciBarMapper(io, mem.map()).connectAll(bus);
            function.writeConfig(PciConfig.bar(0), 4, LFB);
            function.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE);
        }
        Cpu c = new Cpu(mem, io);
        c.setJit(JitMode.ON);
        c.loadSegment(Cpu.CS, 0x1000);
        c.loadSegment(Cpu.DS, 0x2000);
        c.loadSegment(Cpu.SS, 0x4000);
        c.r[Cpu.ESP] = 0xFFFE;
        Segment es = c.seg[Cpu.ES];
        es.base = target.equals("lfb") ? LFB : RAM_FRAME;
        es.limit = -1;
        es.readSpan = 0xFFFFFFFFL;
        es.writeSpan = 0xFFFFFFFFL;
        c.eip = 0x100;
        mem.load(0x10100, code);
        return c;
    }

    /** One 32-bit store per pixel: MB/s. */
    @Benchmark
    @OperationsPerInvocation(FRAME_BYTES)
    public long storeDwords() {
        return store.run(STORE_INSNS);
    }

    /** REP STOSD: MB/s. */
    @Benchmark
    @OperationsPerInvocation(FRAME_BYTES)
    public long repStosd() {
        return fill.run(FILL_INSNS);
    }

    /** The memory system alone, without the CPU: one {@code write32} per pixel at the frame's address, MB/s. */
    @Benchmark
    @OperationsPerInvocation(FRAME_BYTES)
    public int physicalWrite32() {
        PhysicalMemory mem = store.mem;
        int base = target.equals("lfb") ? LFB : RAM_FRAME;
        int v = ++pixel;
        for (int i = 0; i < FRAME_BYTES; i += 4) {
            mem.write32(base + i, v);
        }
        return mem.read32(base);
    }

    /** REP MOVSD from RAM: MB/s. */
    @Benchmark
    @OperationsPerInvocation(FRAME_BYTES)
    public long repMovsdFromRam() {
        return copy.run(COPY_INSNS);
    }
}

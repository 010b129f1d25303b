package dev.strata.bench;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * CPU speed on small real-mode guest loops (hand-assembled below, addresses in the comments), interpreted and
 * translated; each trial also prints guest MIPS per CPU-second of the benchmark thread, which holds on a loaded
 * machine where the wall-clock score does not. Scores are guest instructions per microsecond, i.e. MIPS; the string
 * benchmarks score bytes per microsecond (MB/s).
 * Run: {@code strata bench CpuBench -f 1 -wi 3 -i 3}, or {@code java -jar bench/target/strata-bench.jar CpuBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CpuBench {

    private static final int INSNS = 1_000_000;
    private static final int COPY_BYTES = 4096;
    private static final int COPIES = 256;

    /** ALU on registers: add, xor, inc, sub imm8, dec, jnz, jmp (7 instructions per turn). */
    static final byte[] REGISTER_LOOP = bytes(
            0x01, 0xD8,             // 0100 add ax,bx
            0x31, 0xC2,             // 0102 xor dx,ax
            0x46,                   // 0104 inc si
            0x83, 0xEB, 0x03,       // 0105 sub bx,3
            0x49,                   // 0108 dec cx
            0x75, 0xF5,             // 0109 jnz 0100
            0xEB, 0xF3);            // 010B jmp 0100

    /** Loads and stores through [bx+disp] over a 4 KiB window. */
    static final byte[] MEMORY_LOOP = bytes(
            0x8B, 0x07,             // 0100 mov ax,[bx]
            0x01, 0x47, 0x02,       // 0102 add [bx+2],ax
            0x89, 0x47, 0x04,       // 0105 mov [bx+4],ax
            0x83, 0xC3, 0x02,       // 0108 add bx,2
            0x81, 0xE3, 0xFF, 0x0F, // 010B and bx,0FFFh
            0xEB, 0xEF);            // 010F jmp 0100

    /** Copies 4 KiB from DS:1000 to ES:2000 with REP MOVSB (4 instructions per copy). */
    static final byte[] MOVSB_LOOP = bytes(
            0xBE, 0x00, 0x10,       // 0100 mov si,1000h
            0xBF, 0x00, 0x20,       // 0103 mov di,2000h
            0xB9, 0x00, 0x10,       // 0106 mov cx,1000h
            0xF3, 0xA4,             // 0109 rep movsb
            0xEB, 0xF3);            // 010B jmp 0100

    /** The same copy with REP MOVSD (1024 dwords). */
    static final byte[] MOVSD_LOOP = bytes(
            0xBE, 0x00, 0x10,       // 0100 mov si,1000h
            0xBF, 0x00, 0x20,       // 0103 mov di,2000h
            0xB9, 0x00, 0x04,       // 0106 mov cx,0400h
            0x66, 0xF3, 0xA5,       // 0109 rep movsd
            0xEB, 0xF2);            // 010C jmp 0100

    /** Calls, returns, pushes, a conditional branch and a jump. */
    static final byte[] MIXED_LOOP = bytes(
            0xE8, 0x0A, 0x00,       // 0100 call 010D
            0x40,                   // 0103 inc ax
            0x3D, 0x00, 0x10,       // 0104 cmp ax,1000h
            0x72, 0xF7,             // 0107 jb 0100
            0x31, 0xC0,             // 0109 xor ax,ax
            0xEB, 0xF3,             // 010B jmp 0100
            0x01, 0xC3,             // 010D add bx,ax
            0x53,                   // 010F push bx
            0x5B,                   // 0110 pop bx
            0xC3);                  // 0111 ret

    /**
     * The compute loop of {@code strata bench guests} (loop.asm: loads, stores, ALU, CALL/RET, DIV), going round
     * for ever, data at DS:0000: the workload Strata is compared with QEMU on, without DOS and the JVM's start.
     */
    static final byte[] DOS_LOOP = bytes(
            0xB9, 0xC4, 0x09,       // 0100 mov cx,2500
            0xA1, 0x00, 0x00,       // 0103 mov ax,[0]
            0x01, 0xC8,             // 0106 add ax,cx
            0x31, 0xF0,             // 0108 xor ax,si
            0xA3, 0x00, 0x00,       // 010A mov [0],ax
            0xE8, 0x12, 0x00,       // 010D call 0122
            0x89, 0xCB,             // 0110 mov bx,cx
            0x83, 0xCB, 0x01,       // 0112 or bx,1
            0x31, 0xD2,             // 0115 xor dx,dx
            0xF7, 0xF3,             // 0117 div bx
            0x01, 0x16, 0x02, 0x00, // 0119 add [2],dx
            0xE2, 0xE4,             // 011D loop 0103
            0x4E,                   // 011F dec si
            0xEB, 0xDE,             // 0120 jmp 0100
            0xD1, 0xE0,             // 0122 shl ax,1
            0x83, 0xD0, 0x03,       // 0124 adc ax,3
            0x25, 0xFF, 0x7F,       // 0127 and ax,7FFFh
            0x2B, 0x06, 0x02, 0x00, // 012A sub ax,[2]
            0xC3);                  // 012E ret

    /**
     * A 16-bit LFSR whose carry picks one of two short blocks, which write beside each other: branches no pattern
     * predicts between blocks of two or three instructions, as in the Linux kernel's xz decompressor.
     */
    static final byte[] BRANCHY_LOOP = bytes(
            0xB8, 0xE1, 0xAC,       // 0100 mov ax,0ACE1h
            0xD1, 0xE8,             // 0103 shr ax,1
            0x73, 0x07,             // 0105 jnc 010E
            0x35, 0x00, 0xB4,       // 0107 xor ax,0B400h
            0x01, 0x07,             // 010A add [bx],ax
            0xEB, 0xF5,             // 010C jmp 0103
            0x29, 0x47, 0x02,       // 010E sub [bx+2],ax
            0xEB, 0xF0);            // 0111 jmp 0103

    /**
     * The memory loop's work in flat 32-bit protected mode with paging on, as an operating system runs: real-mode
     * code enters protected mode, loads CR3 with the tables {@link #pagedMachine} writes and sets CR0.PG, then loads
     * and stores through [ebx+esi] over a 4 KiB window at linear 400000h, which maps to physical 200000h.
     */
    static final byte[] PAGED_LOOP = bytes(
            0xFA,                                     // 0100 cli
            0x2E, 0x66, 0x0F, 0x01, 0x16, 0x70, 0x01, // 0101 o32 lgdt [cs:0170h]
            0x0F, 0x20, 0xC0,                         // 0108 mov eax,cr0
            0x0C, 0x01,                               // 010B or al,1
            0x0F, 0x22, 0xC0,                         // 010D mov cr0,eax
            0x66, 0xEA, 0x18, 0x01, 0x01, 0x00, 0x08, 0x00, // 0110 jmp dword 08:00010118h
            0x66, 0xB8, 0x10, 0x00,                   // 0118 mov ax,10h (32-bit code from here)
            0x8E, 0xD8, 0x8E, 0xC0, 0x8E, 0xD0,       // 011C mov ds,ax; mov es,ax; mov ss,ax
            0xBC, 0x00, 0x90, 0x00, 0x00,             // 0122 mov esp,9000h
            0xB8, 0x00, 0x00, 0x05, 0x00,             // 0127 mov eax,50000h
            0x0F, 0x22, 0xD8,                         // 012C mov cr3,eax
            0x0F, 0x20, 0xC0,                         // 012F mov eax,cr0
            0x0D, 0x00, 0x00, 0x00, 0x80,             // 0132 or eax,80000000h
            0x0F, 0x22, 0xC0,                         // 0137 mov cr0,eax
            0xBB, 0x00, 0x00, 0x40, 0x00,             // 013A mov ebx,400000h
            0x31, 0xF6,                               // 013F xor esi,esi
            0x8B, 0x04, 0x33,                         // 0141 mov eax,[ebx+esi]
            0x01, 0x44, 0x33, 0x04,                   // 0144 add [ebx+esi+4],eax
            0x89, 0x44, 0x33, 0x08,                   // 0148 mov [ebx+esi+8],eax
            0x83, 0xC6, 0x04,                         // 014C add esi,4
            0x81, 0xE6, 0xFF, 0x0F, 0x00, 0x00,       // 014F and esi,0FFFh
            0xEB, 0xEA,                               // 0155 jmp 0141
            0x90,                                     // 0157 (alignment)
            0, 0, 0, 0, 0, 0, 0, 0,                   // 0158 GDT: null descriptor
            0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9A, 0xCF, 0x00, // 0160 08: flat code32
            0xFF, 0xFF, 0x00, 0x00, 0x00, 0x92, 0xCF, 0x00, // 0168 10: flat data32
            0x17, 0x00, 0x58, 0x01, 0x01, 0x00);      // 0170 GDTR: limit 17h, base 00010158h

    /**
     * Calls in flat 32-bit protected mode without paging, as a kernel's code makes them: the paged loop's way into
     * protected mode (without CR3 and CR0.PG), then a loop that pushes an argument and calls a function on another
     * page, which builds a frame, reads and writes its argument through EBP and returns. No block goes round in
     * itself: the call and the return each end one, so every block does its own stack and memory accesses.
     */
    static final byte[] CALLS_LOOP = callsLoop();

    private static byte[] callsLoop() {
        byte[] code = new byte[0x1100 + 16];
        System.arraycopy(PAGED_LOOP, 0, code, 0, 0x27); // cli ... mov esp,9000h
        byte[] loop = bytes(
                0x6A, 0x05,                               // 0127 push 5
                0xE8, 0xD2, 0x10, 0x00, 0x00,             // 0129 call 11200h (linear: another page)
                0x83, 0xC4, 0x04,                         // 012E add esp,4
                0x01, 0xC3,                               // 0131 add ebx,eax
                0xEB, 0xF2);                              // 0133 jmp 0127
        System.arraycopy(loop, 0, code, 0x27, loop.length);
        java.util.Arrays.fill(code, 0x27 + loop.length, 0x57, (byte) 0x90);
        System.arraycopy(PAGED_LOOP, 0x57, code, 0x57, PAGED_LOOP.length - 0x57); // the GDT and GDTR
        byte[] function = bytes(
                0x55,                                     // 11200 push ebp
                0x89, 0xE5,                               // 11201 mov ebp,esp
                0x8B, 0x45, 0x08,                         // 11203 mov eax,[ebp+8]
                0x03, 0x45, 0x08,                         // 11206 add eax,[ebp+8]
                0x89, 0x45, 0x08,                         // 11209 mov [ebp+8],eax
                0x5D,                                     // 1120C pop ebp
                0xC3);                                    // 1120D ret
        System.arraycopy(function, 0, code, 0x1100, function.length);
        return code;
    }

    /**
     * {@link #BRANCHY_LOOP} in flat 32-bit protected mode (the paged loop's way in, without paging), as the Linux
     * kernel's xz decompressor runs: the LFSR's carry picks one of two short blocks, each of which jumps back into
     * the shift (the decoder follows the jump, so each ends at the JNC that chooses between the two again).
     */
    static final byte[] BRANCHY32_LOOP = branchy32Loop();

    private static byte[] branchy32Loop() {
        byte[] code = PAGED_LOOP.clone();
        byte[] loop = bytes(
                0xB8, 0xE1, 0xAC, 0x00, 0x00,             // 0127 mov eax,0ACE1h
                0xBB, 0x00, 0x00, 0x02, 0x00,             // 012C mov ebx,20000h
                0xD1, 0xE8,                               // 0131 shr eax,1
                0x73, 0x09,                               // 0133 jnc 013E
                0x35, 0x00, 0xB4, 0x00, 0x00,             // 0135 xor eax,0B400h
                0x01, 0x03,                               // 013A add [ebx],eax
                0xEB, 0xF3,                               // 013C jmp 0131
                0x29, 0x43, 0x04,                         // 013E sub [ebx+4],eax
                0xEB, 0xEE);                              // 0141 jmp 0131
        System.arraycopy(loop, 0, code, 0x27, loop.length);
        java.util.Arrays.fill(code, 0x27 + loop.length, 0x57, (byte) 0x90);
        return code;
    }

    /** One guest loop, chosen by name, for the MIPS benchmark. */
    @State(Scope.Thread)
    public static class GuestLoop {
        @Param({"register", "memory", "mixed", "dos", "branchy", "branchy32", "paged", "calls"})
        public String loop;

        /** The translating tier: off (the interpreter alone) or on (hot blocks translated, as in a machine). */
        @Param({"off", "on"})
        public String jit;

        Cpu cpu;
        /** Guest MIPS per CPU-second of the benchmark thread in each measurement iteration. */
        private final List<Double> perCpuSecond = new ArrayList<>();
        private boolean measuring;
        private long cpuNanosAtStart;
        private long instructionsAtStart;

        @Setup(Level.Trial)
        public void setUp() {
            cpu = loop.equals("paged") ? pagedMachine() : machine(program(loop));
            cpu.setJit(JitMode.parse(jit));
        }

        /**
         * JMH's score is guest instructions per wall-clock microsecond, which other processes on a shared machine
         * pull down; the thread's own CPU time does not count the time it waited for a core.
         */
        @Setup(Level.Iteration)
        public void startIteration(IterationParams iteration) {
            measuring = iteration.getType() == IterationType.MEASUREMENT;
            cpuNanosAtStart = THREADS.getCurrentThreadCpuTime();
            instructionsAtStart = cpu.instructions;
        }

        @TearDown(Level.Iteration)
        public void endIteration() {
            long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuNanosAtStart;
            if (measuring && cpuNanos > 0) {
                perCpuSecond.add((cpu.instructions - instructionsAtStart) * 1000.0 / cpuNanos);
            }
        }

        @TearDown(Level.Trial)
        public void report() {
            printStats(loop + ", jit " + jit, cpu);
            if (!perCpuSecond.isEmpty()) {
                List<Double> sorted = new ArrayList<>(perCpuSecond);
                Collections.sort(sorted);
                System.out.printf(Locale.ROOT, "[%s, jit %s] %.1f MIPS per CPU-second (median of %d iterations,"
                        + " min %.1f, max %.1f)%n", loop, jit, sorted.get(sorted.size() / 2), sorted.size(),
                        sorted.get(0), sorted.get(sorted.size() - 1));
            }
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Cpu stringCpu;
    private Cpu stringCpu32;

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int k = 0; k < v.length; k++) {
            b[k] = (byte) v[k];
        }
        return b;
    }

    /** A CPU in real mode with {@code code} at 1000:0100, DS=2000, ES=3000, SS:SP=4000:FFFE. */
    static Cpu machine(byte[] code) {
        PhysicalMemory mem = new PhysicalMemory(16 << 20);
        mem.setA20(true);
        Cpu c = new Cpu(mem, new IoBus());
        c.loadSegment(Cpu.CS, 0x1000);
        c.loadSegment(Cpu.DS, 0x2000);
        c.loadSegment(Cpu.ES, 0x3000);
        c.loadSegment(Cpu.SS, 0x4000);
        c.r[Cpu.ESP] = 0xFFFE;
        c.r[Cpu.EBX] = 7;
        c.eip = 0x100;
        mem.load(0x10100, code);
        return c;
    }

    /**
     * {@link #machine} with {@link #PAGED_LOOP} and its page tables: the directory at 50000h, the first 4 MiB
     * identity-mapped (table at 51000h), the next 4 MiB at physical 200000h (table at 52000h); the window's first
     * dword is 1, so that the loop's sums are not all zero.
     */
    static Cpu pagedMachine() {
        Cpu c = machine(PAGED_LOOP);
        PhysicalMemory mem = c.mem;
        mem.write32(0x50000, 0x51000 | 3);
        mem.write32(0x50004, 0x52000 | 3);
        for (int k = 0; k < 1024; k++) {
            mem.write32(0x51000 + 4 * k, (k << 12) | 3);
            mem.write32(0x52000 + 4 * k, (0x200000 + (k << 12)) | 3);
        }
        mem.write32(0x200000, 1);
        return c;
    }

    private static byte[] program(String name) {
        switch (name) {
            case "register": return REGISTER_LOOP;
            case "memory": return MEMORY_LOOP;
            case "dos": return DOS_LOOP;
            case "branchy": return BRANCHY_LOOP;
            case "branchy32": return BRANCHY32_LOOP;
            case "calls": return CALLS_LOOP;
            default: return MIXED_LOOP;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        stringCpu = machine(MOVSB_LOOP);
        stringCpu32 = machine(MOVSD_LOOP);
    }

    @TearDown(Level.Trial)
    public void report() {
        printStats("rep movsb", stringCpu);
        printStats("rep movsd", stringCpu32);
    }

    static void printStats(String name, Cpu c) {
        long hits = c.blockHits();
        long total = hits + c.blockMisses();
        if (total > 0) {
            System.out.printf("%n[%s] %d instructions, block cache hit rate %.4f%% (%d misses), %.1f%% translated%n",
                    name, c.instructions, 100.0 * hits / total, c.blockMisses(), c.stats().translatedPercent());
        }
    }

    /** Guest MIPS on the selected loop. */
    @Benchmark
    @OperationsPerInvocation(INSNS)
    public long instructions(GuestLoop g) {
        return g.cpu.run(INSNS);
    }

    /** REP MOVSB copy speed in MB/s. */
    @Benchmark
    @OperationsPerInvocation(COPY_BYTES * COPIES)
    public long repMovsb() {
        return stringCpu.run(4L * COPIES);
    }

    /** REP MOVSD copy speed in MB/s. */
    @Benchmark
    @OperationsPerInvocation(COPY_BYTES * COPIES)
    public long repMovsd() {
        return stringCpu32.run(4L * COPIES);
    }
}

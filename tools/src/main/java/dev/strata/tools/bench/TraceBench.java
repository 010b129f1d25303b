package dev.strata.tools.bench;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.trace.RingTraceLog;
import dev.strata.emulator.cpu.trace.StreamingTraceLog;
import dev.strata.emulator.cpu.trace.TraceFilter;
import dev.strata.emulator.cpu.trace.TraceLog;
import dev.strata.emulator.cpu.trace.TraceRecorder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * Traced instructions per microsecond (millions per second) on CpuBench's mixed loop: {@code ring} keeps the last
 * million in memory ({@code --trace-last}), {@code file} writes every line to a temporary file ({@code --trace}),
 * {@code events} records interrupts only ({@code --trace-events}, the loop has none: the untraced speed).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TraceBench {

    private static final int INSNS = 1_000_000;

    @Param({"ring", "file", "events"})
    public String log;

    private Cpu cpu;
    private TraceRecorder recorder;
    private Path file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        cpu = CpuBench.machine(CpuBench.MIXED_LOOP);
        file = Files.createTempFile("strata-trace-bench-", ".txt");
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                StandardCharsets.UTF_8), 1 << 16);
        TraceLog sink = log.equals("ring") ? new RingTraceLog(INSNS, out) : new StreamingTraceLog(out);
        recorder = new TraceRecorder(TraceFilter.ALL.eventsOnly(log.equals("events")), sink).attach(cpu);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        recorder.close();
        System.out.printf("%n[%s] %d instructions, trace file %d bytes%n", log, cpu.instructions, Files.size(file));
        Files.deleteIfExists(file);
    }

    /** Traced MIPS. */
    @Benchmark
    @OperationsPerInvocation(INSNS)
    public long traced() {
        return cpu.run(INSNS);
    }
}

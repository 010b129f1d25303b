package dev.strata.tools.run;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.trace.RingTraceLog;
import dev.strata.emulator.cpu.trace.StreamingTraceLog;
import dev.strata.emulator.cpu.trace.TraceFilter;
import dev.strata.emulator.cpu.trace.TraceLog;
import dev.strata.emulator.cpu.trace.TraceRecorder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --trace FILE} and its filters, shared by {@code strata run} and {@code strata vm start} (a picocli mixin). */
public final class TraceOptions {

    /** The most records {@code --trace-last} keeps (about 50 bytes each in memory). */
    static final long MAX_KEPT = 1L << 30;

    @Option(names = "--trace", paramLabel = "FILE", description = "write a line per instruction to FILE: count,"
            + " mode, CS:EIP, bytes, disassembly and the registers it changed; and a line per interrupt and"
            + " exception")
    Path file;

    @Option(names = "--trace-from", paramLabel = "N", description = "start tracing after N instructions (the CPU"
            + " runs at full speed until then)")
    Long from;

    @Option(names = "--trace-count", paramLabel = "N", description = "stop tracing after N instructions (N"
            + " interrupts with --trace-events)")
    Long count;

    @Option(names = "--trace-range", paramLabel = "START-END", description = "trace only instructions at linear"
            + " addresses (CS base + EIP) from START up to END, in hex, e.g. 7c00-7e00 or c1000000-c1800000")
    String range;

    @Option(names = "--trace-events", description = "trace interrupts, exceptions and triple faults only, at full"
            + " speed")
    boolean eventsOnly;

    @Option(names = "--trace-last", paramLabel = "N", description = "keep only the last N records in memory and"
            + " write them when the run ends or at a triple fault (about 50 bytes each)")
    Long last;

    /** Checks the options together; throws naming the option that is wrong. */
    void check() {
        filter();
        if (last != null && (last <= 0 || last > MAX_KEPT)) {
            throw new IllegalArgumentException("--trace-last must be between 1 and " + MAX_KEPT + ", got " + last);
        }
    }

    /** The filter the options describe, or null without {@code --trace}. */
    TraceFilter filter() {
        if (file == null) {
            String given = from != null ? "--trace-from" : count != null ? "--trace-count" : range != null
                    ? "--trace-range" : eventsOnly ? "--trace-events" : last != null ? "--trace-last" : null;
            if (given != null) {
                throw new IllegalArgumentException(given + " needs --trace FILE to say where the trace goes");
            }
            return null;
        }
        TraceFilter f = TraceFilter.ALL.eventsOnly(eventsOnly);
        if (from != null) {
            f = f.from(from);
        }
        if (count != null) {
            f = f.count(count);
        }
        if (range != null) {
            long[] r = parseRange(range);
            f = f.range(r[0], r[1]);
        }
        return f;
    }

    /** {@code START-END} in hex (an optional 0x, any case): the linear addresses [START, END). */
    static long[] parseRange(String spec) {
        int dash = spec.indexOf('-');
        try {
            if (dash > 0) {
                return new long[] {hex(spec.substring(0, dash)), hex(spec.substring(dash + 1))};
            }
        } catch (NumberFormatException e) {
            // explained below
        }
        throw new IllegalArgumentException("--trace-range " + spec + ": expected START-END in hex, e.g. 7c00-7e00");
    }

    private static long hex(String s) {
        String t = s.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        if (t.isEmpty() || t.length() > 9) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(t, 16);
    }

    /** Opens the trace file and starts recording {@code cpu}; null without {@code --trace}. */
    TraceRecorder start(Cpu cpu) throws IOException {
        TraceFilter f = filter();
        if (f == null) {
            return null;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--trace " + file + ": directory " + parent + " does not exist");
        }
        Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
                1 << 16);
        TraceLog log = last != null ? new RingTraceLog((int) (long) last, out) : new StreamingTraceLog(out);
        return new TraceRecorder(f, log).attach(cpu);
    }

    /** The file the trace goes to, for messages. */
    Path file() {
        return file;
    }
}

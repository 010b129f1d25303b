package dev.strata.emulator.cpu.trace;

import java.io.IOException;

/** Where a {@link TraceRecorder}'s records go: written as they come, or kept in memory until a flush. */
public interface TraceLog extends AutoCloseable {

    /** Takes a finished record (its contents are copied; the entry is reused by the caller). */
    void append(TraceEntry entry) throws IOException;

    /** Writes out what is held back, telling why (the run ended, a triple fault). */
    void flush(String why) throws IOException;

    @Override
    void close() throws IOException;
}

package dev.strata.emulator.cpu.trace;

import java.io.IOException;
import java.io.Writer;

/** Writes each record as a line as soon as it is finished (through the caller's buffered writer). */
public final class StreamingTraceLog implements TraceLog {

    private final Writer out;
    private final StringBuilder line = new StringBuilder(256);

    public StreamingTraceLog(Writer out) {
        this.out = out;
    }

    @Override
    public void append(TraceEntry entry) throws IOException {
        line.setLength(0);
        TraceFormat.append(entry, line);
        line.append('\n');
        out.append(line);
    }

    @Override
    public void flush(String why) throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

package dev.strata.tools.run;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Where a guest output stream goes, as {@code --serial} and {@code --debugcon} say: {@code stdio}, {@code file:PATH}
 * or {@code none}. Every byte is written through as it comes, so a terminal or a {@code tail -f} of the file sees
 * the output while the guest runs.
 */
final class OutputRouting implements AutoCloseable {

    private final IntConsumer sink;
    private final OutputStream file;

    private OutputRouting(IntConsumer sink, OutputStream file) {
        this.sink = sink;
        this.file = file;
    }

    /** Parses {@code option}'s value; {@code stdout} is the terminal or pipe for {@code stdio}. */
    static OutputRouting parse(String option, String spec, PrintStream stdout) throws IOException {
        if (spec.equals("stdio")) {
            return new OutputRouting(writeThrough(stdout, option + " stdio"), null);
        }
        if (spec.equals("none")) {
            return new OutputRouting(b -> { }, null);
        }
        if (spec.startsWith("file:") && spec.length() > 5) {
            Path path = Path.of(spec.substring(5));
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new IllegalArgumentException(option + " " + spec + ": directory " + parent + " does not exist");
            }
            OutputStream out = new FileOutputStream(path.toFile());
            return new OutputRouting(writeThrough(out, path.toString()), out);
        }
        throw new IllegalArgumentException(option + " " + spec + ": expected stdio, file:PATH or none");
    }

    private static IntConsumer writeThrough(OutputStream out, String where) {
        return b -> {
            try {
                out.write(b);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(where + ": output could not be written: " + e.getMessage(), e);
            }
        };
    }

    /** Takes each byte (0..255), on the CPU thread. */
    IntConsumer sink() {
        return sink;
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}

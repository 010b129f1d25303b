package dev.strata.tools.log;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where log lines go: standard error, a file, a file rotated at every start (as VirtualBox's VBox.log), or nowhere. */
@FunctionalInterface
public interface LogTarget {

    /** Opens the destination; the writer is closed with the logging configuration when {@code owned}. */
    Opened open() throws IOException;

    /** An open destination. */
    record Opened(Writer writer, boolean owned) {
    }

    /** Standard error, as it is when the line is written (tests replace it). */
    StandardError STANDARD_ERROR = new StandardError();

    /** Nowhere: for a run whose screen is on the terminal standard error goes to, and with no file to write. */
    LogTarget NONE = () -> new Opened(Writer.nullWriter(), false);

    /** {@code file}, emptied first. */
    static LogTarget file(Path file) {
        return () -> {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new NoSuchFileException(file.toString(), null, "--log: directory " + parent + " does not exist");
            }
            return new Opened(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true);
        };
    }

    /**
     * {@code file} begun anew, its folder made when missing; the last {@code keep} logs stay beside it as
     * {@code file.1} (the newest) to {@code file.N}.
     */
    static LogTarget rotated(Path file, int keep) {
        return () -> {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path oldest = generation(file, keep);
            Files.deleteIfExists(oldest);
            for (int g = keep - 1; g >= 0; g--) {
                Path from = generation(file, g);
                if (Files.exists(from)) {
                    Files.move(from, generation(file, g + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new Opened(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true);
        };
    }

    /** The {@code g}th older log of {@code file}; the 0th is the file itself. */
    static Path generation(Path file, int g) {
        return g == 0 ? file : file.resolveSibling(file.getFileName() + "." + g);
    }

    /** Standard error, looked up per line so that a replaced {@link System#err} is followed. */
    final class StandardError implements LogTarget {
        private StandardError() {
        }

        @Override
        public Opened open() {
            return new Opened(new Writer() {
                @Override
                public void write(char[] buf, int off, int len) {
                    OutputStreamWriter w = new OutputStreamWriter(System.err, StandardCharsets.UTF_8);
                    try {
                        w.write(buf, off, len);
                        w.flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public void flush() {
                    System.err.flush();
                }

                @Override
                public void close() {
                    flush();
                }
            }, false);
        }
    }
}

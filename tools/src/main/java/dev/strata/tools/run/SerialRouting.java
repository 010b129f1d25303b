package dev.strata.tools.run;

import dev.strata.emulator.device.uart.SerialSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code --serial} sends COM1: {@code stdio}, {@code file:PATH} or {@code none}. Both outputs are written
 * through byte by byte, never held in a buffer until the run ends.
 */
final class SerialRouting implements AutoCloseable {

    private final SerialSink sink;
    private final OutputStream file;

    private SerialRouting(SerialSink sink, OutputStream file) {
        this.sink = sink;
        this.file = file;
    }

    /** Parses the option value; {@code stdout} is the terminal or pipe for {@code stdio}. */
    static SerialRouting parse(String spec, PrintStream stdout) throws IOException {
        if (spec.equals("stdio")) {
            return new SerialRouting(SerialSink.of(stdout), null);
        }
        if (spec.equals("none")) {
            return new SerialRouting(SerialSink.NONE, null);
        }
        if (spec.startsWith("file:") && spec.length() > 5) {
            Path path = Path.of(spec.substring(5));
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new IllegalArgumentException("--serial " + spec + ": directory " + parent
                        + " does not exist");
            }
            // Unbuffered: each byte reaches the file as the guest sends it (as QEMU writes a chardev file), so
            // `tail -f` shows it live and a SIGKILL loses nothing the guest already sent.
            OutputStream out = Files.newOutputStream(path);
            return new SerialRouting(b -> {
                try {
                    out.write(b);
                } catch (IOException e) {
                    throw new UncheckedIOException(path + ": serial output could not be written", e);
                }
            }, out);
        }
        throw new IllegalArgumentException("--serial " + spec + ": expected stdio, file:PATH or none");
    }

    SerialSink sink() {
        return sink;
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}

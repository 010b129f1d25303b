package dev.strata.tools.medium;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.media.Medium;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata medium write}: puts bytes on the disk as the guest sees it, through the chain. */
@Command(name = "write", mixinStandardHelpOptions = true, description = "Write bytes from standard input (or --input) to the disk at --offset, "
        + "as the guest would: into the top of the chain.")
final class WriteCommand extends MediumSubcommand {
    private static final int CHUNK = 1 << 20;

    @Parameters(paramLabel = "F", description = "The medium (path or UUID).")
    String medium;

    @Option(names = "--offset", required = true, description = "Byte offset on the disk.")
    long offset;

    @Option(names = "--input", description = "Read the bytes from this file instead of standard input.")
    Path input;

    @Option(names = {"-v", "--verbose"}, description = "Say how many bytes were written (the default when standard "
            + "error is a terminal).")
    boolean verbose;

    /** The --input file must be a readable regular file; say what it is otherwise. */
    private static void requireInput(Path input) throws StorageException {
        if (!Files.exists(input)) {
            throw new StorageException(input, "--input: no such file; check the path");
        }
        if (Files.isDirectory(input)) {
            throw new StorageException(input, "--input: is a directory; give the file to write");
        }
        if (!Files.isReadable(input)) {
            throw new StorageException(input, "--input: permission denied; check the file's permissions");
        }
    }

    @Override
    int run(MediaSession s) throws Exception {
        Medium m = s.medium(medium);
        s.rules().checkHostWrite(m, s.effectiveType(m));
        if (offset < 0 || offset > m.logicalSize()) {
            throw new StorageException(m.path(), "--offset " + offset + " is outside the disk (0.." + m.logicalSize()
                    + ")");
        }
        if (input != null) {
            requireInput(input);
        }
        if (input != null && Files.size(input) > m.logicalSize() - offset) {
            throw new StorageException(m.path(), Files.size(input) + " bytes at offset " + offset
                    + " go past the end of the disk (" + m.logicalSize() + " bytes); nothing was written");
        }
        long written = 0;
        try (DiskImage disk = s.openDisk(m, true);
             InputStream in = input != null ? Files.newInputStream(input) : System.in) {
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                if (offset + written + n > disk.size()) {
                    disk.flush();
                    throw new StorageException(m.path(), "the input goes past the end of the disk (" + disk.size()
                            + " bytes) at offset " + (offset + written) + "; the first " + written
                            + " bytes were written");
                }
                disk.write(offset + written, buf, 0, n);
                written += n;
            }
            disk.flush();
        }
        if (verbose || StandardError.isTerminal()) {
            // scripts get silence on success, like dd status=none; people at a terminal a confirmation
            err().printf("wrote %d bytes at offset %d of %s%n", written, offset, m.path());
        }
        return 0;
    }
}

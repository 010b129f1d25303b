package dev.strata.tools.medium;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.media.Medium;
import java.io.OutputStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata medium cat}: the disk's bytes as the guest sees them, through the chain, to standard output. */
@Command(name = "cat", mixinStandardHelpOptions = true, description = "Print --length bytes of the disk from --offset (as the guest sees them) to "
        + "standard output (or --output, which is never a disk image).")
final class CatCommand extends MediumSubcommand {
    private static final int CHUNK = 1 << 20;

    @Parameters(paramLabel = "F", description = "The medium (path or UUID).")
    String medium;

    @Option(names = "--offset", defaultValue = "0", description = "Byte offset on the disk (default 0).")
    long offset;

    @Option(names = "--length", description = "How many bytes (default: to the end of the disk).")
    Long length;

    @Option(names = "--output", description = "Write the bytes to this file instead of standard output.")
    Path output;

    @Override
    int run(MediaSession s) throws Exception {
        Medium m = s.medium(medium);
        long len = length != null ? length : m.logicalSize() - offset;
        if (offset < 0 || len < 0 || offset > m.logicalSize() || len > m.logicalSize() - offset) {
            throw new StorageException(m.path(), "--offset " + offset + " --length " + len + " is outside the disk (0.."
                    + m.logicalSize() + " bytes)");
        }
        CatOutput target = output != null ? CatOutput.open(output, s.registry().chain(m.uuid()), s.registry())
                : null;
        try (CatOutput closing = target; DiskImage disk = s.openDisk(m, false)) {
            OutputStream out = target != null ? target.stream() : System.out;
            byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(len, 1))];
            for (long done = 0; done < len; ) {
                int n = (int) Math.min(buf.length, len - done);
                disk.read(offset + done, buf, 0, n);
                out.write(buf, 0, n);
                done += n;
            }
            if (target != null) {
                target.commit();
            } else {
                out.flush();
            }
        }
        return 0;
    }
}

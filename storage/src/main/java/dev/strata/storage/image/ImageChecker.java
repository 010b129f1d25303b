package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFinding.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The structural check behind {@code strata medium check}: reads an image file without changing it and lists
 * every problem found, from fatal ones (the image will not open) to warnings (harmless or repairable).
 */
public final class ImageChecker {

    private static final Logger LOG = LoggerFactory.getLogger(ImageChecker.class);
    private ImageChecker() {
    }

    /** Checks the file at {@code path}; never throws for a damaged image, only lists findings. */
    public static List<ImageFinding> check(Path path) {
        List<ImageFinding> out = new ArrayList<>();
        ImageFormat format;
        try {
            format = DiskImages.detect(path);
        } catch (IOException e) {
            out.add(new ImageFinding(Severity.ERROR, "format", -1, message(path, e)));
            return out;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (format == ImageFormat.VDI) {
                VdiInspector.Inspection in = VdiInspector.inspect(ch);
                out.addAll(in.findings);
                if (in.header != null && in.map != null) {
                    out.add(new ImageFinding(Severity.INFO, "summary", -1, "VDI " + in.header.variant() + ", "
                            + in.header.diskSize() + " bytes, " + in.allocatedEntries + " of " + in.header.blockCount()
                            + " blocks allocated"));
                }
            } else {
                out.add(new ImageFinding(Severity.INFO, "summary", -1, "raw disk, " + ch.size() + " bytes"));
            }
        } catch (IOException e) {
            out.add(new ImageFinding(Severity.ERROR, "file", -1, message(path, e)));
        }
        return out;
    }

    /**
     * Repairs what an interrupted write leaves in a VDI file, and nothing else: rewrites a lagging allocated-block
     * count and cuts off space after the last data block that no block uses. Refuses a file with errors (those need
     * a backup, not a repair). Returns what it did as INFO findings; an empty list means nothing needed repair.
     * The image must not be open elsewhere.
     */
    public static List<ImageFinding> repair(Path path) throws IOException {
        List<ImageFinding> done = new ArrayList<>();
        if (DiskImages.detect(path) != ImageFormat.VDI) {
            return done;
        }
        try (FileChannel ch = VdiImage.openChannel(path, false)) {
            VdiInspector.Inspection in = VdiInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw new StorageException(path, "cannot be repaired: " + err.describe()
                        + "; restore the image from a backup");
            }
            VdiHeader h = in.header;
            long dataEnd = h.offData() + in.nextIndex * (h.blockSize() + h.blockExtra());
            if (in.fileLength > dataEnd) {
                ch.truncate(dataEnd);
                done.add(new ImageFinding(Severity.INFO, "data area", dataEnd, "removed " + (in.fileLength - dataEnd)
                        + " bytes that no block used"));
            }
            if (h.blocksAllocated() != in.nextIndex) {
                ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) in.nextIndex);
                VdiImage.writeAll(ch, b, VdiLayout.BLOCKS_ALLOCATED);
                done.add(new ImageFinding(Severity.INFO, "blocksAllocated", VdiLayout.BLOCKS_ALLOCATED, "set to "
                        + in.nextIndex + " (was " + h.blocksAllocated() + ")"));
            }
            ch.force(true);
        }
        done.forEach(f -> LOG.info("repaired {}: {}", path, f.describe()));
        return done;
    }

    /** True when any finding is an error (the CLI then exits non-zero). */
    public static boolean hasErrors(List<ImageFinding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    private static String message(Path path, IOException e) {
        if (e instanceof StorageException) {
            String m = e.getMessage();
            String prefix = path + ": ";
            return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
        }
        return "cannot read the file: " + e;
    }
}

package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFinding.Severity;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The structural check behind {@code strata medium check}: reads an image file without changing it and lists
 * every problem found, from fatal ones (the image will not open) to warnings (harmless or repairable).
 */
public final class ImageChecker {
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

package dev.strata.guests.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo guest: a 1.44 MB floppy image (built from {@code guests/demo/demo.asm}) that shows a PC emulator is alive
 * using BIOS services only. It is bundled as a class-path resource, so {@code strata run} can boot it from the jar
 * without the source tree. On COM1 and port E9h it writes its report, ending with {@link #READY_LINE}.
 */
public final class DemoGuest {

    /** The resource name, relative to this class. */
    public static final String RESOURCE = "demo.img";

    /** The image size: a 1.44 MB floppy, 80 cylinders, 2 heads, 18 sectors of 512 bytes. */
    public static final int IMAGE_SIZE = 80 * 2 * 18 * 512;

    /** The last line of the guest's report on COM1 and E9h; tests wait for it. */
    public static final String READY_LINE = "Strata demo guest: ready";

    private DemoGuest() {
    }

    /** Opens the bundled image for reading. */
    public static InputStream openImage() {
        InputStream in = DemoGuest.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the demo guest image is missing from the class path ("
                    + DemoGuest.class.getPackageName().replace('.', '/') + "/" + RESOURCE
                    + "); rebuild it with guests/demo/build.sh");
        }
        return in;
    }

    /** The whole image, {@link #IMAGE_SIZE} bytes. */
    public static byte[] image() {
        try (InputStream in = openImage()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length != IMAGE_SIZE) {
                throw new IllegalStateException("the bundled demo guest image has " + bytes.length
                        + " bytes, expected " + IMAGE_SIZE + "; rebuild it with guests/demo/build.sh");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled demo guest image", e);
        }
    }

    /**
     * Writes a copy of the image to {@code target} (replacing it), for callers that need a file, such as a
     * medium the guest may write to without touching the bundled original. Returns {@code target}.
     */
    public static Path copyTo(Path target) throws IOException {
        try (InputStream in = openImage()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}

package dev.strata.emulator.display;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes a {@link Frame} as a PNG file, pixel for pixel: what a screenshot of the machine's screen saves. */
public final class FramePng {

    private FramePng() {
    }

    /** Writes {@code frame} to {@code file}, replacing it; an error names the file. */
    public static void write(Frame frame, Path file) throws IOException {
        BufferedImage image = toImage(frame);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("cannot write " + file + ": this Java has no PNG writer");
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UncheckedIOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot write the screenshot " + file + ": " + e.getMessage(), e);
        }
    }

    /** The frame as PNG file bytes (to send over the control socket). */
    public static byte[] encode(Frame frame) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            ImageIO.write(toImage(frame), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a screenshot as PNG", e);
        }
        return out.toByteArray();
    }

    /** The frame as an RGB image. */
    public static BufferedImage toImage(Frame frame) {
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, frame.width(), frame.height(), frame.pixels(), 0, frame.width());
        return image;
    }

    /** Reads a PNG back as a frame (for tests and tools comparing pictures). */
    public static Frame read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException(file + " is not an image Java can read");
        }
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        return new Frame(image.getWidth(), image.getHeight(), pixels);
    }
}

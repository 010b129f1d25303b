package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The entry point to image files: detects a file's format and opens it, creates base and differencing images. */
public final class DiskImages {

    private static final Logger LOG = LoggerFactory.getLogger(DiskImages.class);
    private DiskImages() {
    }

    /**
     * Opens an image whose format nobody recorded (a file met for the first time): the format comes from its
     * content (see {@link #detect}); a raw file gets a UUID derived from its path.
     */
    public static DiskImage open(Path path, boolean readOnly) throws IOException {
        return open(path, readOnly, null, null);
    }

    /** Opens an unrecorded image; {@code rawUuid} is the UUID the registry keeps for a raw file. */
    public static DiskImage open(Path path, boolean readOnly, UUID rawUuid) throws IOException {
        return open(path, readOnly, null, rawUuid);
    }

    /**
     * Opens an image as {@code expected}, the format the media registry or a VM's settings record for it, or
     * probes the content when {@code expected} is null. A recorded format is never second-guessed: a raw disk
     * opens as raw whatever its guest wrote at the start (so a guest cannot turn it into a VDI), and a file
     * recorded as VDI that no longer holds a VDI header fails naming what was expected instead of opening as raw.
     * {@code rawUuid} is the UUID the registry keeps for a raw file (ignored for other formats).
     */
    public static DiskImage open(Path path, boolean readOnly, ImageFormat expected, UUID rawUuid) throws IOException {
        ImageFormat format = expected == null ? detect(path) : confirm(path, expected);
        LOG.debug("opening {} as {}{}", path, format, readOnly ? " read-only" : "");
        switch (format) {
            case VDI:
                return VdiImage.open(path, readOnly);
            case RAW:
                return RawImage.open(path, readOnly, rawUuid, expected == null);
            default:
                throw new IllegalStateException("detect returned an unsupported format");
        }
    }

    /** Checks that {@code path} holds an image of the recorded format {@code expected}; returns it. */
    private static ImageFormat confirm(Path path, ImageFormat expected) throws IOException {
        requireImageFile(path);
        if (expected == ImageFormat.RAW) {
            return expected;
        }
        String recorded = "is recorded as a " + expected + " image";
        if (expected != ImageFormat.VDI) {
            throw new StorageException(path, recorded + ", but Strata does not open " + expected + " images yet; "
                    + "if the record is wrong, forget it with `strata medium close " + path + "` and register the file again");
        }
        try (FileChannel ch = readChannel(path)) {
            byte[] head = new byte[512];
            int n = readUpTo(ch, head, 0);
            if (VdiInspector.looksLikeVdi(head, n)) {
                return ImageFormat.VDI;
            }
            String foreign = ForeignFormats.identify(ch, head, n, ch.size());
            throw new StorageException(path, recorded + " but " + (foreign != null ? "the file is a " + foreign
                    + " image" : "has no VDI signature at byte offset 0x40 (its first bytes are not a VDI header)")
                    + "; the file was damaged or replaced: restore it from a backup, or if the record is wrong, "
                    + "forget it with `strata medium close " + path + "` and register the file again");
        }
    }

    /**
     * The format of a file nobody recorded: VDI by its signature (or its text banner); a format Strata does not
     * open fails naming it; anything else whose length is a multiple of 512 is a raw disk. This is the only place
     * raw is ever guessed: callers that know a file's format pass it to {@link #open(Path, boolean, ImageFormat, UUID)}.
     */
    public static ImageFormat detect(Path path) throws IOException {
        requireImageFile(path);
        try (FileChannel ch = readChannel(path)) {
            long length = ch.size();
            byte[] head = new byte[512];
            int n = readUpTo(ch, head, 0);
            if (VdiInspector.looksLikeVdi(head, n)) {
                return ImageFormat.VDI;
            }
            String foreign = ForeignFormats.identify(ch, head, n, length);
            if (foreign != null) {
                throw new StorageException(path, "is a " + foreign + " image; Strata does not open " + foreign
                        + " images yet; convert it to VDI, e.g. qemu-img convert -O vdi " + path.getFileName()
                        + " disk.vdi");
            }
            if (length % 512 == 0) {
                return ImageFormat.RAW;
            }
            throw new StorageException(path, "unknown format: no VDI signature at byte offset 0x40, and the length ("
                    + length + " bytes) is not a multiple of 512 as a raw disk's must be; check that this is a disk image");
        }
    }

    /**
     * Fails with what the file is when {@code path} cannot be a disk image: missing, a directory, a device or
     * FIFO, unreadable, or empty.
     */
    public static void requireImageFile(Path path) throws StorageException {
        if (!Files.exists(path)) {
            throw new StorageException(path, "no such file; check the path");
        }
        if (Files.isDirectory(path)) {
            throw new StorageException(path, "is a directory, not a disk image; give the image file inside it");
        }
        if (!Files.isRegularFile(path)) {
            throw new StorageException(path, "is not a regular file (a device, FIFO or socket), so it is not a disk "
                    + "image; give an image file");
        }
        if (!Files.isReadable(path)) {
            throw new StorageException(path, "permission denied: Strata may not read this file; check its "
                    + "permissions and owner (ls -l)");
        }
        try {
            if (Files.size(path) == 0) {
                throw new StorageException(path, "is empty (0 bytes), not a disk image; create an image with "
                        + "`strata medium create`");
            }
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException(path, "cannot be read: " + e.getMessage());
        }
    }

    private static FileChannel readChannel(Path path) throws StorageException {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new StorageException(path, "no such file; check the path");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new StorageException(path, "permission denied: Strata may not read this file; check its "
                    + "permissions and owner (ls -l)");
        } catch (IOException e) {
            throw new StorageException(path, "cannot be read: " + e.getMessage());
        }
    }

    private static int readUpTo(FileChannel ch, byte[] b, long pos) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            int r = ch.read(bb, pos + bb.position());
            if (r < 0) {
                break;
            }
        }
        return bb.position();
    }

    /**
     * Creates a new base image of {@code sizeBytes} (a positive multiple of 512) and opens it read-write.
     * RAW accepts STANDARD or FIXED (both give a sparse file); VDI accepts STANDARD (dynamic) or FIXED.
     * Refuses to overwrite an existing file; on failure nothing is left behind.
     */
    public static DiskImage create(Path path, ImageFormat format, ImageVariant variant, long sizeBytes) throws IOException {
        if (sizeBytes <= 0 || sizeBytes % 512 != 0) {
            throw new StorageException(path, "size " + sizeBytes + " must be a positive multiple of 512 bytes");
        }
        if (variant == ImageVariant.DIFF) {
            throw new StorageException(path, "a differencing image needs a parent; use createDiff");
        }
        switch (format) {
            case RAW:
                writeFresh(path, ch -> RawImage.writeNew(ch, sizeBytes));
                LOG.info("created {}: raw, {} bytes", path, sizeBytes);
                return RawImage.open(path, false);
            case VDI:
                if (sizeBytes > VdiLayout.MAX_BLOCKS * VdiLayout.DEFAULT_BLOCK_SIZE) {
                    throw new StorageException(path, "size " + sizeBytes + " is larger than Strata's VDI limit of "
                            + (VdiLayout.MAX_BLOCKS * VdiLayout.DEFAULT_BLOCK_SIZE) + " bytes");
                }
                writeFresh(path, ch -> VdiImage.writeNew(ch, variant, sizeBytes, null, null));
                LOG.info("created {}: VDI {}, {} bytes", path, variant, sizeBytes);
                return VdiImage.open(path, false);
            default:
                throw new StorageException(path, "Strata cannot create " + format + " images yet; use VDI or RAW");
        }
    }

    /**
     * Creates a VDI differencing image over {@code parent} (same size; linked by the parent's UUID and, for a
     * VDI parent, its modification UUID) and opens it read-write.
     */
    public static VdiImage createDiff(Path path, DiskImage parent) throws IOException {
        UUID parentModify = parent instanceof VdiImage ? ((VdiImage) parent).modificationUuid() : null;
        long size = parent.size();
        UUID parentUuid = parent.uuid();
        writeFresh(path, ch -> VdiImage.writeNew(ch, ImageVariant.DIFF, size, parentUuid, parentModify));
        LOG.info("created {}: VDI differencing image over {} ({})", path, parent.path(), parentUuid);
        return VdiImage.open(path, false);
    }

    private interface Writer {
        void write(FileChannel ch) throws IOException;
    }

    /**
     * Builds the file under a temporary name beside the target and renames it into place only when it is
     * complete and on disk, so a failure or a crash never leaves a half-written image under the real name.
     */
    private static void writeFresh(Path path, Writer writer) throws IOException {
        Path abs = path.toAbsolutePath();
        if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new StorageException(path, "already exists; Strata never overwrites an image: choose another name "
                    + "or delete the file first");
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new StorageException(path, "its directory " + dir + " does not exist; create it first");
        }
        Path tmp = dir.resolve("." + abs.getFileName() + ".strata-creating");
        Files.deleteIfExists(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                writer.write(ch);
                ch.force(true);
            }
            Files.move(tmp, abs);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
            throw new StorageException(path, "already exists; Strata never overwrites an image: choose another name "
                    + "or delete the file first");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            if (e instanceof StorageException) {
                throw e;
            }
            throw new StorageException(path, "could not create the image: " + e.getMessage()
                    + "; check the free space and permissions of " + dir, e);
        }
    }
}

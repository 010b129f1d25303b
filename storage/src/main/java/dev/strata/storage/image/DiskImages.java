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

/** The entry point to image files: detects a file's format and opens it, creates base and differencing images. */
public final class DiskImages {
    private DiskImages() {
    }

    /** Opens an image of any supported format; a raw file gets a UUID derived from its path. */
    public static DiskImage open(Path path, boolean readOnly) throws IOException {
        return open(path, readOnly, null);
    }

    /** Opens an image; {@code rawUuid} is the UUID the registry keeps for a raw file (ignored for other formats). */
    public static DiskImage open(Path path, boolean readOnly, UUID rawUuid) throws IOException {
        switch (detect(path)) {
            case VDI:
                return VdiImage.open(path, readOnly);
            case RAW:
                return RawImage.open(path, readOnly, rawUuid);
            default:
                throw new IllegalStateException("detect returned an unsupported format");
        }
    }

    /**
     * The format of an existing file: VDI by its signature (or its text banner), RAW for any other file whose
     * length is a multiple of 512. Files of other formats, and files that are none, fail with a clear message.
     */
    public static ImageFormat detect(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new StorageException(path, "is a directory, not a disk image");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long length = ch.size();
            byte[] head = new byte[512];
            int n = readUpTo(ch, head, 0);
            if (VdiInspector.looksLikeVdi(head, n)) {
                return ImageFormat.VDI;
            }
            String foreign = foreignFormat(ch, head, n, length);
            if (foreign != null) {
                throw new StorageException(path, "is a " + foreign + " image, which Strata cannot open yet; convert it "
                        + "to VDI or raw, e.g. qemu-img convert -O vdi " + path.getFileName() + " disk.vdi");
            }
            if (length > 0 && length % 512 == 0) {
                return ImageFormat.RAW;
            }
            throw new StorageException(path, "unknown format: no VDI signature at byte offset 0x40, and the length ("
                    + length + " bytes) is not a multiple of 512 as a raw disk's must be; check that this is a disk image");
        } catch (NoSuchFileException e) {
            throw new StorageException(path, "no such file; check the path");
        }
    }

    /** Other formats' magic numbers: such files must never be taken for raw disks and written over. */
    private static String foreignFormat(FileChannel ch, byte[] head, int n, long length) throws IOException {
        String start = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        if (start.startsWith("QFI\u00fb")) {
            return "qcow";
        }
        if (start.startsWith("KDMV") || start.startsWith("# Disk DescriptorFile")) {
            return "VMDK";
        }
        if (start.startsWith("conectix")) {
            return "VHD";
        }
        if (start.startsWith("WithoutFreeSpace") || start.startsWith("WithouFreSpacExt")) {
            return "Parallels HDD";
        }
        if (length >= 1024 && length % 512 == 0) {
            // A fixed VHD is raw data followed by a 512-byte footer.
            byte[] tail = new byte[8];
            int t = readUpTo(ch, tail, length - 512);
            if (t == 8 && new String(tail, StandardCharsets.ISO_8859_1).equals("conectix")) {
                return "VHD";
            }
        }
        return null;
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
                return RawImage.open(path, false);
            case VDI:
                if (sizeBytes > VdiLayout.MAX_BLOCKS * VdiLayout.DEFAULT_BLOCK_SIZE) {
                    throw new StorageException(path, "size " + sizeBytes + " is larger than Strata's VDI limit of "
                            + (VdiLayout.MAX_BLOCKS * VdiLayout.DEFAULT_BLOCK_SIZE) + " bytes");
                }
                writeFresh(path, ch -> VdiImage.writeNew(ch, variant, sizeBytes, null, null));
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

package dev.strata.storage.image.vmdk;

import static dev.strata.storage.image.vmdk.SparseHeader.SECTOR;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Opens a VMDK from its main file: a monolithic sparse file (header, embedded descriptor, grains) or a descriptor
 * file and the extents it names, each checked before anything is used. Opening never writes.
 */
final class VmdkOpener {
    /** The largest descriptor file Strata reads; real ones are a few hundred bytes. */
    static final int MAX_DESCRIPTOR_FILE = 1 << 20;
    /** The block size of an image of flat extents only (they have no grains). */
    static final int FLAT_BLOCK = 64 * 1024;

    private VmdkOpener() {
    }

    static VmdkImage open(Path path, boolean readOnly, UUID recordedUuid) throws IOException {
        FileChannel ch = ImageFiles.open(path, readOnly);
        List<VmdkExtent> extents = new ArrayList<>();
        try {
            long length = ch.size();
            byte[] head = SparseInspector.read(ch, 0, (int) Math.min(SECTOR, length));
            VmdkImage image;
            if (SparseInspector.isSparse(head)) {
                image = openMonolithic(path, ch, readOnly, recordedUuid, extents);
            } else if (startsWith(head, "COWD")) {
                throw new StorageException(path, "is an ESX server sparse VMDK extent (COWD), which Strata does not "
                        + "open; convert it, e.g. qemu-img convert -O vmdk " + path.getFileName() + " disk.vmdk");
            } else {
                image = openDescriptorFile(path, ch, readOnly, recordedUuid, extents, length);
            }
            if (!readOnly && "streamOptimized".equalsIgnoreCase(image.createType())) {
                throw new StorageException(path, "is a stream-optimized (compressed) VMDK, which Strata reads but "
                        + "does not write; open it read-only, or convert it, e.g. qemu-img convert -O vmdk "
                        + path.getFileName() + " disk.vmdk");
            }
            return image;
        } catch (IOException | RuntimeException e) {
            for (VmdkExtent x : extents) {
                try {
                    x.close();
                } catch (IOException ignored) {
                    // keep the original error
                }
            }
            ch.close();
            throw e;
        }
    }

    private static VmdkImage openMonolithic(Path path, FileChannel ch, boolean readOnly, UUID recordedUuid,
                                            List<VmdkExtent> extents) throws IOException {
        SparseExtent sparse = SparseExtent.open(path, ch);
        extents.add(sparse);
        SparseHeader h = sparse.header();
        if (h.descriptorOffset() == 0 || h.descriptorSize() == 0) {
            throw new StorageException(path, "descriptorOffset at byte offset " + ImageFiles.hex(
                    SparseHeader.OFF_DESCRIPTOR_OFFSET) + " is 0: this file is one extent of a VMDK split over "
                    + "several files; open its descriptor file (the small .vmdk beside it) instead");
        }
        long at = h.descriptorOffset() * SECTOR;
        int room = (int) (h.descriptorSize() * SECTOR);
        VmdkDescriptor d = VmdkDescriptor.parse(path, SparseInspector.read(ch, at, room), at);
        if (d.extents().size() != 1 || !d.extents().get(0).type().equals("SPARSE")) {
            throw new StorageException(path, "the embedded descriptor at byte offset " + ImageFiles.hex(at)
                    + " names " + d.extents().size() + " extents, but a monolithic sparse file is its own single "
                    + "SPARSE extent; the descriptor is damaged: restore it from a backup");
        }
        requireCapacity(path, d.extents().get(0), h);
        return new VmdkImage(path, readOnly, d, ch, at, room, extents, sparse.grainBytes(), recordedUuid);
    }

    private static VmdkImage openDescriptorFile(Path path, FileChannel ch, boolean readOnly, UUID recordedUuid,
                                                List<VmdkExtent> extents, long length) throws IOException {
        if (length > MAX_DESCRIPTOR_FILE) {
            throw new StorageException(path, "is " + length + " bytes long, too long for a VMDK descriptor file (at "
                    + "most " + MAX_DESCRIPTOR_FILE + "), and has no sparse extent header (KDMV at byte offset 0); "
                    + "the file is damaged or not a VMDK");
        }
        byte[] text = SparseInspector.read(ch, 0, (int) length);
        VmdkDescriptor d = VmdkDescriptor.parse(path, text, 0);
        Path folder = path.toAbsolutePath().getParent();
        int blockSize = 0;
        for (VmdkDescriptor.Extent e : d.extents()) {
            Path file = folder.resolve(e.fileName());
            switch (e.type()) {
                case "SPARSE" -> {
                    FileChannel ech = ImageFiles.open(file, readOnly);
                    SparseExtent s;
                    try {
                        s = SparseExtent.open(file, ech);
                    } catch (IOException | RuntimeException x) {
                        ech.close();
                        throw x;
                    }
                    extents.add(s);
                    requireCapacity(file, e, s.header());
                    if (blockSize != 0 && blockSize != s.grainBytes()) {
                        throw new StorageException(path, "extent " + e.fileName() + " has " + s.grainBytes()
                                + "-byte grains but an earlier extent has " + blockSize + "; Strata opens VMDKs whose "
                                + "sparse extents share one grain size only");
                    }
                    blockSize = s.grainBytes();
                }
                case "FLAT", "VMFS" -> {
                    FileChannel ech = ImageFiles.open(file, readOnly);
                    extents.add(new FlatExtent(file, ech, e.offset() * SECTOR, e.sectors() * SECTOR));
                    long need = (e.offset() + e.sectors()) * SECTOR;
                    if (ech.size() < need) {
                        throw FlatExtent.tooShort(path, file, ech.size(), need);
                    }
                }
                default -> throw new StorageException(path, "extent " + e.line() + " is of type " + e.type()
                        + ", which Strata does not open (it opens SPARSE and FLAT extents); convert the disk, e.g. "
                        + "qemu-img convert -O vmdk " + path.getFileName() + " disk.vmdk");
            }
        }
        if (blockSize == 0) {
            blockSize = FLAT_BLOCK;
        }
        long at = 0;
        for (int i = 0; i < extents.size() - 1; i++) {
            at += extents.get(i).length();
            if (at % blockSize != 0) {
                throw new StorageException(path, "extent " + d.extents().get(i).fileName() + " ends at byte "
                        + at + ", not on a " + blockSize + "-byte grain boundary; Strata opens VMDKs whose extents "
                        + "end on grain boundaries only; convert the disk with qemu-img convert -O vmdk");
            }
        }
        return new VmdkImage(path, readOnly, d, ch, 0, -1, extents, blockSize, recordedUuid);
    }

    private static void requireCapacity(Path file, VmdkDescriptor.Extent e, SparseHeader h) throws StorageException {
        if (e.sectors() != h.capacity()) {
            throw new StorageException(file, "capacity at byte offset " + ImageFiles.hex(SparseHeader.OFF_CAPACITY)
                    + " is " + h.capacity() + " sectors but the descriptor gives the extent " + e.sectors()
                    + "; the image is damaged: restore it from a backup");
        }
    }

    static boolean startsWith(byte[] head, String text) {
        return new String(head, 0, Math.min(head.length, text.length()), StandardCharsets.ISO_8859_1).equals(text);
    }
}

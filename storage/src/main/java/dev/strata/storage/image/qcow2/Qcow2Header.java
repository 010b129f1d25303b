package dev.strata.storage.image.qcow2;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A qcow2 header (versions 2 and 3) with its header extensions and backing file name, as QEMU's docs/interop/qcow2.txt
 * lays them out: parsed with every field checked against the file, and encoded back into the image's first cluster.
 * Extensions Strata does not know are kept and written back unchanged, as QEMU does.
 */
final class Qcow2Header {
    static final int MAGIC = 0x514649FB;
    static final int OFF_VERSION = 4;
    static final int OFF_BACKING_OFFSET = 8;
    static final int OFF_BACKING_SIZE = 16;
    static final int OFF_CLUSTER_BITS = 20;
    static final int OFF_SIZE = 24;
    static final int OFF_CRYPT = 32;
    static final int OFF_L1_SIZE = 36;
    static final int OFF_L1_OFFSET = 40;
    static final int OFF_REFTABLE_OFFSET = 48;
    static final int OFF_REFTABLE_CLUSTERS = 56;
    static final int OFF_SNAPSHOT_COUNT = 60;
    static final int OFF_SNAPSHOTS_OFFSET = 64;
    static final int OFF_INCOMPATIBLE = 72;
    static final int OFF_COMPATIBLE = 80;
    static final int OFF_AUTOCLEAR = 88;
    static final int OFF_REFCOUNT_ORDER = 96;
    static final int OFF_HEADER_LENGTH = 100;
    static final int OFF_COMPRESSION_TYPE = 104;
    static final int V2_LENGTH = 72;
    static final int V3_LENGTH = 104;

    static final long INCOMPAT_DIRTY = 1;
    static final long INCOMPAT_CORRUPT = 2;
    static final long INCOMPAT_EXTERNAL_DATA = 4;
    static final long INCOMPAT_COMPRESSION = 8;
    static final long INCOMPAT_EXTENDED_L2 = 16;
    static final long COMPAT_LAZY_REFCOUNTS = 1;

    static final int EXT_END = 0;
    static final int EXT_BACKING_FORMAT = 0xE2792ACA;
    static final int EXT_FEATURE_TABLE = 0x6803F857;
    /** Strata's own extension: this image's UUID, its parent's, and the backing file name they were recorded for. */
    static final int EXT_STRATA = 0x53545241;

    static final int MIN_CLUSTER_BITS = 9;
    static final int MAX_CLUSTER_BITS = 21;
    static final int MAX_BACKING_NAME = 1023;
    /** The largest disk Strata opens: what QEMU allows (32 MiB L1 table of 2 MiB-cluster L2 tables). */
    static final long MAX_SIZE = 1L << 55;

    int version;
    int clusterBits;
    long size;
    int cryptMethod;
    int l1Size;
    long l1Offset;
    long refcountTableOffset;
    int refcountTableClusters;
    int snapshotCount;
    long snapshotsOffset;
    long incompatible;
    long compatible;
    long autoclear;
    int refcountOrder = 4;
    int headerLength;
    int compressionType;
    String backingFile;
    String backingFormat;
    UUID uuid;
    UUID parentUuid;
    /** The backing file name the Strata extension's parent UUID was recorded for. */
    String uuidBackingFile;
    /** Extensions kept as read: type, then the data. */
    final List<Extension> others = new ArrayList<>();
    /** Names of incompatible features from the feature name table, by bit. */
    final String[] incompatibleNames = new String[64];

    /** An extension Strata keeps without interpreting. */
    record Extension(int type, byte[] data) {
    }

    int clusterSize() {
        return 1 << clusterBits;
    }

    /** Reads and checks the header in the first {@code cluster} bytes of a file of {@code fileLength} bytes. */
    static Qcow2Header parse(Path path, byte[] first, long fileLength) throws StorageException {
        if (first.length < V2_LENGTH) {
            throw new StorageException(path, "is " + fileLength + " bytes long, shorter than a qcow2 header (72 bytes);"
                    + " the file is truncated or not a qcow2 image");
        }
        ByteBuffer b = ByteBuffer.wrap(first);
        if (b.getInt(0) != MAGIC) {
            throw new StorageException(path, "has no qcow2 magic (QFI\\xfb) at byte offset 0x0; it is not a qcow2 "
                    + "image");
        }
        Qcow2Header h = new Qcow2Header();
        h.version = b.getInt(OFF_VERSION);
        if (h.version != 2 && h.version != 3) {
            throw bad(path, "version", OFF_VERSION, h.version + "", "Strata opens qcow2 versions 2 and 3 (compat 0.10 "
                    + "and 1.1)" + (h.version == 1 ? "; this is an old qcow (version 1) image: convert it, e.g. "
                    + "qemu-img convert -O qcow2 " + path.getFileName() + " new.qcow2" : ""));
        }
        h.clusterBits = b.getInt(OFF_CLUSTER_BITS);
        if (h.clusterBits < MIN_CLUSTER_BITS || h.clusterBits > MAX_CLUSTER_BITS) {
            throw bad(path, "cluster_bits", OFF_CLUSTER_BITS, h.clusterBits + "", "clusters are 512 bytes (9) to "
                    + "2 MiB (21)");
        }
        h.size = b.getLong(OFF_SIZE);
        if (h.size < 0 || h.size > MAX_SIZE) {
            throw bad(path, "size", OFF_SIZE, Long.toUnsignedString(h.size), "a qcow2 disk is at most " + MAX_SIZE
                    + " bytes");
        }
        h.cryptMethod = b.getInt(OFF_CRYPT);
        if (h.cryptMethod != 0) {
            throw new StorageException(path, "crypt_method at byte offset " + ImageFiles.hex(OFF_CRYPT) + " is "
                    + h.cryptMethod + ": the image is encrypted, which Strata does not open; decrypt it with qemu-img "
                    + "convert first");
        }
        h.l1Size = b.getInt(OFF_L1_SIZE);
        h.l1Offset = b.getLong(OFF_L1_OFFSET);
        h.refcountTableOffset = b.getLong(OFF_REFTABLE_OFFSET);
        h.refcountTableClusters = b.getInt(OFF_REFTABLE_CLUSTERS);
        h.snapshotCount = b.getInt(OFF_SNAPSHOT_COUNT);
        h.snapshotsOffset = b.getLong(OFF_SNAPSHOTS_OFFSET);
        int extStart = V2_LENGTH;
        if (h.version == 3) {
            if (first.length < V3_LENGTH) {
                throw new StorageException(path, "is a version 3 qcow2 image whose header is cut short (" + first.length
                        + " bytes, at least 104 needed); the file is truncated");
            }
            h.incompatible = b.getLong(OFF_INCOMPATIBLE);
            h.compatible = b.getLong(OFF_COMPATIBLE);
            h.autoclear = b.getLong(OFF_AUTOCLEAR);
            h.refcountOrder = b.getInt(OFF_REFCOUNT_ORDER);
            h.headerLength = b.getInt(OFF_HEADER_LENGTH);
            if (h.refcountOrder < 0 || h.refcountOrder > 6) {
                throw bad(path, "refcount_order", OFF_REFCOUNT_ORDER, h.refcountOrder + "", "refcounts are 1 to 64 "
                        + "bits wide (order 0 to 6)");
            }
            if (h.headerLength < V3_LENGTH || h.headerLength > h.clusterSize() || h.headerLength % 8 != 0) {
                throw bad(path, "header_length", OFF_HEADER_LENGTH, h.headerLength + "", "a version 3 header is at "
                        + "least 104 bytes, a multiple of 8, within the first cluster");
            }
            if (h.headerLength > OFF_COMPRESSION_TYPE) {
                h.compressionType = first[OFF_COMPRESSION_TYPE] & 0xFF;
            }
            extStart = h.headerLength;
        } else {
            h.headerLength = V2_LENGTH;
        }
        h.readExtensions(path, b, extStart);
        h.checkFeatures(path);
        long backingOffset = b.getLong(OFF_BACKING_OFFSET);
        int backingSize = b.getInt(OFF_BACKING_SIZE);
        if (backingOffset != 0) {
            if (backingSize <= 0 || backingSize > MAX_BACKING_NAME) {
                throw bad(path, "backing_file_size", OFF_BACKING_SIZE, Integer.toUnsignedString(backingSize),
                        "a backing file name is 1 to 1023 bytes");
            }
            if (backingOffset < 0 || backingOffset + backingSize > first.length) {
                throw bad(path, "backing_file_offset", OFF_BACKING_OFFSET, Long.toUnsignedString(backingOffset),
                        "the backing file name must lie within the first cluster (" + first.length + " bytes)");
            }
            h.backingFile = new String(first, (int) backingOffset, backingSize, StandardCharsets.UTF_8);
        }
        if (h.backingFile == null) {
            h.backingFormat = null;
        }
        return h;
    }

    private void readExtensions(Path path, ByteBuffer b, int at) throws StorageException {
        int limit = b.capacity();
        while (true) {
            if (at + 8 > limit) {
                throw new StorageException(path, "header extension at byte offset " + ImageFiles.hex(at) + " runs past "
                        + "the first cluster (" + limit + " bytes) without an end marker; the header is damaged");
            }
            int type = b.getInt(at);
            int len = b.getInt(at + 4);
            if (type == EXT_END) {
                return;
            }
            if (len < 0 || at + 8L + len > limit) {
                throw new StorageException(path, "header extension 0x" + Integer.toHexString(type) + " at byte "
                        + "offset " + ImageFiles.hex(at) + " says it is " + Integer.toUnsignedString(len) + " bytes long,"
                        + " past the first cluster; the header is damaged");
            }
            byte[] data = new byte[len];
            b.get(at + 8, data);
            switch (type) {
                case EXT_BACKING_FORMAT -> backingFormat = new String(data, StandardCharsets.UTF_8);
                case EXT_FEATURE_TABLE -> {
                    for (int i = 0; i + 48 <= len; i += 48) {
                        if (data[i] == 0 && (data[i + 1] & 0xFF) < 64) {
                            incompatibleNames[data[i + 1] & 0xFF] = cString(data, i + 2, 46);
                        }
                    }
                    others.add(new Extension(type, data));
                }
                case EXT_STRATA -> {
                    if (len >= 32) {
                        ByteBuffer d = ByteBuffer.wrap(data);
                        uuid = new UUID(d.getLong(0), d.getLong(8));
                        long hi = d.getLong(16);
                        long lo = d.getLong(24);
                        parentUuid = hi == 0 && lo == 0 ? null : new UUID(hi, lo);
                        uuidBackingFile = len > 32 ? new String(data, 32, len - 32, StandardCharsets.UTF_8) : null;
                    }
                }
                default -> others.add(new Extension(type, data));
            }
            at += 8 + ((len + 7) & ~7);
        }
    }

    private void checkFeatures(Path path) throws StorageException {
        long known = INCOMPAT_DIRTY | INCOMPAT_CORRUPT;
        if (compressionType == 0) {
            known |= INCOMPAT_COMPRESSION;
        }
        long unknown = incompatible & ~known;
        if (unknown != 0) {
            int bit = Long.numberOfTrailingZeros(unknown);
            String name = incompatibleNames[bit] != null ? incompatibleNames[bit] : switch (bit) {
                case 2 -> "external data file";
                case 3 -> "compression type " + compressionType;
                case 4 -> "extended L2 entries";
                default -> "unknown feature";
            };
            throw new StorageException(path, "incompatible_features at byte offset " + ImageFiles.hex(OFF_INCOMPATIBLE)
                    + " has bit " + bit + " (" + name + ") set, which Strata does not support; convert the image with "
                    + "qemu-img convert -O qcow2 " + path.getFileName() + " new.qcow2");
        }
    }

    private static String cString(byte[] b, int off, int max) {
        int n = 0;
        while (n < max && b[off + n] != 0) {
            n++;
        }
        return new String(b, off, n, StandardCharsets.UTF_8);
    }

    static StorageException bad(Path path, String field, long offset, String value, String rule) {
        return new StorageException(path, field + " at byte offset " + ImageFiles.hex(offset) + " is " + value + ", but "
                + rule + "; the image is damaged or not one Strata opens");
    }

    boolean dirty() {
        return (incompatible & INCOMPAT_DIRTY) != 0;
    }

    boolean corrupt() {
        return (incompatible & INCOMPAT_CORRUPT) != 0;
    }

    /** The qcow2 "compat" level people know: 0.10 for version 2, 1.1 for version 3. */
    String compat() {
        return version == 2 ? "0.10" : "1.1";
    }

    /**
     * The first cluster as this header encodes it: fixed fields, extensions (backing format, kept ones, Strata's
     * UUIDs), the end marker, then the backing file name. Fails when it no longer fits the cluster.
     */
    byte[] encode(Path path) throws StorageException {
        ByteBuffer b = ByteBuffer.allocate(clusterSize());
        b.putInt(0, MAGIC).putInt(OFF_VERSION, version).putInt(OFF_CLUSTER_BITS, clusterBits).putLong(OFF_SIZE, size)
                .putInt(OFF_CRYPT, cryptMethod).putInt(OFF_L1_SIZE, l1Size).putLong(OFF_L1_OFFSET, l1Offset)
                .putLong(OFF_REFTABLE_OFFSET, refcountTableOffset).putInt(OFF_REFTABLE_CLUSTERS, refcountTableClusters)
                .putInt(OFF_SNAPSHOT_COUNT, snapshotCount).putLong(OFF_SNAPSHOTS_OFFSET, snapshotsOffset);
        int at = V2_LENGTH;
        if (version == 3) {
            b.putLong(OFF_INCOMPATIBLE, incompatible).putLong(OFF_COMPATIBLE, compatible)
                    .putLong(OFF_AUTOCLEAR, autoclear).putInt(OFF_REFCOUNT_ORDER, refcountOrder)
                    .putInt(OFF_HEADER_LENGTH, headerLength);
            if (headerLength > OFF_COMPRESSION_TYPE) {
                b.put(OFF_COMPRESSION_TYPE, (byte) compressionType);
            }
            at = headerLength;
        }
        List<Extension> all = new ArrayList<>();
        if (backingFile != null && backingFormat != null) {
            all.add(new Extension(EXT_BACKING_FORMAT, backingFormat.getBytes(StandardCharsets.UTF_8)));
        }
        all.addAll(others);
        if (uuid != null) {
            byte[] name = backingFile == null ? new byte[0] : backingFile.getBytes(StandardCharsets.UTF_8);
            ByteBuffer d = ByteBuffer.allocate(32 + name.length);
            d.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            d.putLong(parentUuid == null ? 0 : parentUuid.getMostSignificantBits());
            d.putLong(parentUuid == null ? 0 : parentUuid.getLeastSignificantBits());
            d.put(name);
            all.add(new Extension(EXT_STRATA, d.array()));
        }
        byte[] name = backingFile == null ? null : backingFile.getBytes(StandardCharsets.UTF_8);
        int need = at + 8 + (name == null ? 0 : name.length);
        for (Extension e : all) {
            need += 8 + ((e.data().length + 7) & ~7);
        }
        if (need > b.capacity() || (name != null && name.length > MAX_BACKING_NAME)) {
            throw new StorageException(path, "the header, its extensions and the backing file name (" + need
                    + " bytes) do not fit the first cluster (" + b.capacity() + " bytes); use a shorter backing file "
                    + "name");
        }
        for (Extension e : all) {
            b.putInt(at, e.type()).putInt(at + 4, e.data().length);
            b.put(at + 8, e.data());
            at += 8 + ((e.data().length + 7) & ~7);
        }
        b.putInt(at, EXT_END).putInt(at + 4, 0);
        at += 8;
        if (name != null) {
            b.put(at, name);
            b.putLong(OFF_BACKING_OFFSET, at).putInt(OFF_BACKING_SIZE, name.length);
        }
        return b.array();
    }
}

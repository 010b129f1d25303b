package dev.strata.bios;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernels Strata has unpacked, kept between runs so that booting the same bzImage again reads its ELF image instead
 * of decompressing it (half a second of start-up for Debian's 5.6 MB xz kernel). A kernel is found by its compressed
 * payload's two checksums (CRC-32 and CRC-32C, 64 bits together) and length. Not by a cryptographic hash: the cache
 * holds the user's own kernels, no one else's, and on the cold JVM of a start-up SHA-256 ran as interpreted bytecode
 * until the busy JIT compilers got to it, 0.38 s of Debian's kernel's start-up, where the checksums take 3 ms
 * (the JVM computes them with the processor's CRC instructions from the first call). A file is
 * only used when its size is the one the payload's trailer gives (the kernel's build appends the unpacked size),
 * and it appears under its name only once complete (written aside, then renamed). The most recently used
 * {@link #KEEP} stay. Anything that goes wrong with the files (no such directory, a full disk, a read-only home)
 * leaves the kernel unpacked anew, never a failed boot.
 */
final class UnpackedKernelCache {

    private static final Logger LOG = LoggerFactory.getLogger(UnpackedKernelCache.class);
    static final int KEEP = 8;
    private static final String SUFFIX = ".vmlinux";

    /** No files: every kernel is unpacked anew. */
    static final UnpackedKernelCache NONE = new UnpackedKernelCache(null);

    private final Path dir;

    UnpackedKernelCache(Path dir) {
        this.dir = dir;
    }

    /**
     * The cache in {@code kernels} under Strata's cache folder, as the guest recipes use it: {@code $STRATA_CACHE},
     * else {@code $XDG_CACHE_HOME/strata}, else {@code ~/.cache/strata}.
     */
    static UnpackedKernelCache standard() {
        String strata = System.getenv("STRATA_CACHE");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = strata != null && !strata.isEmpty() ? Path.of(strata)
                : xdg != null && !xdg.isEmpty() ? Path.of(xdg, "strata")
                : Path.of(System.getProperty("user.home"), ".cache", "strata");
        return new UnpackedKernelCache(base.resolve("kernels"));
    }

    /**
     * The payload of {@code length} bytes at {@code offset} of {@code file} unpacked (see
     * {@link KernelPayload#unpack}, whose errors it passes on): from the cache when it holds it, else unpacked and
     * kept.
     */
    byte[] unpacked(String name, byte[] file, int offset, int length, KernelPayload.Format format, long limit) {
        if (dir == null) {
            return KernelPayload.unpack(name, file, offset, length, format, limit);
        }
        long size = length >= 4
                ? ByteBuffer.wrap(file, offset + length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL
                : -1;
        Path path = dir.resolve(key(file, offset, length) + SUFFIX);
        byte[] kept = read(path, size);
        if (kept != null) {
            return kept;
        }
        byte[] out = KernelPayload.unpack(name, file, offset, length, format, limit);
        if (out.length == size) {
            keep(path, out);
        }
        return out;
    }

    /** The file name (less its suffix) of the payload's unpacked kernel: its checksums and length, in hex. */
    static String key(byte[] file, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(file, offset, length);
        CRC32C crcC = new CRC32C();
        crcC.update(file, offset, length);
        HexFormat hex = HexFormat.of(); // not String.format, whose first call costs a cold JVM milliseconds
        return hex.toHexDigits((int) crc.getValue()) + hex.toHexDigits((int) crcC.getValue()) + "-"
                + Integer.toHexString(length);
    }

    private static byte[] read(Path path, long size) {
        try {
            if (Files.size(path) != size) {
                return null;
            }
            byte[] data = Files.readAllBytes(path);
            Files.setLastModifiedTime(path, FileTime.fromMillis(System.currentTimeMillis()));
            return data.length == size ? data : null;
        } catch (IOException e) {
            return null; // not there (the usual case), or unreadable: unpacked anew
        }
    }

    private void keep(Path path, byte[] data) {
        Path aside = null;
        try {
            Files.createDirectories(dir);
            aside = Files.createTempFile(dir, "unpacking-", ".tmp");
            Files.write(aside, data);
            Files.move(aside, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            aside = null;
            prune();
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not keep the unpacked kernel in {}: {}", dir, e.toString());
        } finally {
            if (aside != null) {
                try {
                    Files.deleteIfExists(aside);
                } catch (IOException ignored) {
                    // a stray temporary file in the cache folder harms nothing
                }
            }
        }
    }

    /** Deletes all but the {@link #KEEP} most recently used kernels. */
    private void prune() throws IOException {
        List<Path> kernels = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).forEach(kernels::add);
        }
        if (kernels.size() <= KEEP) {
            return;
        }
        kernels.sort(Comparator.comparing(UnpackedKernelCache::lastUse).reversed());
        for (Path old : kernels.subList(KEEP, kernels.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime lastUse(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}

package dev.strata.tools.medium;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An in-memory stand-in for the image drivers and chain layer, to test the commands' own logic. */
final class FakeBackend implements MediumBackend {
    static final int BLOCK = 4096;

    /** Image state by absolute path; the file on disk only marks that the image exists. */
    final Map<Path, State> images = new HashMap<>();

    static final class State {
        UUID uuid = UUID.randomUUID();
        UUID parent;
        ImageFormat format;
        ImageVariant variant;
        byte[] data;
        boolean[] allocated;
    }

    private State state(Path p) throws IOException {
        State s = images.get(p.toAbsolutePath().normalize());
        if (s == null || !Files.exists(p)) {
            throw new java.nio.file.NoSuchFileException(p.toString());
        }
        return s;
    }

    @Override
    public DiskImage open(Path file, boolean readOnly) throws IOException {
        return new Image(file.toAbsolutePath().normalize(), state(file), readOnly);
    }

    @Override
    public DiskImage create(Path file, ImageFormat format, ImageVariant variant, long sizeBytes) throws IOException {
        State s = new State();
        s.format = format;
        s.variant = variant;
        s.data = new byte[(int) sizeBytes];
        s.allocated = new boolean[(int) ((sizeBytes + BLOCK - 1) / BLOCK)];
        Files.writeString(file, "fake image");
        images.put(file.toAbsolutePath().normalize(), s);
        return open(file, false);
    }

    @Override
    public DiskImage createDiff(Path file, DiskImage parent) throws IOException {
        DiskImage d = create(file, ImageFormat.VDI, ImageVariant.DIFF, parent.size());
        state(file).parent = parent.uuid();
        return open(file, false);
    }

    @Override
    public DiskImage openChain(Path top, boolean readOnly, ParentLookup parents) throws IOException {
        List<Image> layers = new ArrayList<>();
        Image img = (Image) open(top, readOnly);
        layers.add(img);
        while (img.state.parent != null) {
            Path p = parents.resolve(img.state.parent, img.path);
            if (p == null) {
                throw new StorageException(img.path, "parent " + img.state.parent + " not found");
            }
            img = (Image) open(p, true);
            layers.add(img);
        }
        return new Chain(layers, readOnly);
    }

    @Override
    public long copy(DiskImage source, DiskImage target, ProgressSink progress) throws IOException {
        byte[] buf = new byte[BLOCK];
        long written = 0;
        for (long off = 0; off < source.size(); off += BLOCK) {
            int n = (int) Math.min(BLOCK, source.size() - off);
            source.read(off, buf, 0, n);
            target.write(off, buf, 0, n);
            written += n;
            progress.update(off + n, source.size());
        }
        return written;
    }

    @Override
    public MergeOutcome mergeIntoParent(Path child, ParentLookup parents, ProgressSink progress) throws IOException {
        State c = state(child);
        Path parentPath = parents.resolve(c.parent, child);
        State p = state(parentPath);
        for (int b = 0; b < c.allocated.length; b++) {
            if (c.allocated[b]) {
                int off = b * BLOCK;
                System.arraycopy(c.data, off, p.data, off, Math.min(BLOCK, c.data.length - off));
                p.allocated[b] = true;
            }
        }
        return new MergeOutcome(parentPath, p.uuid);
    }

    @Override
    public void reparent(Path file, UUID expectedParent, UUID newParent, ParentLookup parents) throws IOException {
        State s = state(file);
        if (expectedParent.equals(s.parent)) {
            s.parent = newParent;
        }
    }

    @Override
    public List<CheckFinding> check(Path file, ProgressSink progress) throws IOException {
        String text = Files.readString(file);
        if (text.contains("CORRUPT")) {
            return List.of(new CheckFinding(true, "ERROR: header.blockSize at byte offset 0x158: 12345 is not a power of two"));
        }
        return List.of();
    }

    /** One fake image file. */
    private static final class Image implements DiskImage {
        final Path path;
        final State state;
        final boolean readOnly;

        Image(Path path, State state, boolean readOnly) {
            this.path = path;
            this.state = state;
            this.readOnly = readOnly;
        }

        @Override public Path path() { return path; }
        @Override public ImageFormat format() { return state.format; }
        @Override public ImageVariant variant() { return state.variant; }
        @Override public long size() { return state.data.length; }
        @Override public int blockSize() { return BLOCK; }
        @Override public BlockState blockState(long block) {
            return state.allocated[(int) block] ? BlockState.ALLOCATED : BlockState.UNALLOCATED;
        }
        @Override public long allocatedBytes() {
            long n = 0;
            for (boolean a : state.allocated) {
                n += a ? BLOCK : 0;
            }
            return n;
        }
        @Override public UUID uuid() { return state.uuid; }
        @Override public UUID parentUuid() { return state.parent; }
        @Override public void setParentUuid(UUID parent) { state.parent = parent; }
        @Override public boolean readOnly() { return readOnly; }
        @Override public void read(long offset, byte[] buf, int bufOffset, int len) {
            System.arraycopy(state.data, (int) offset, buf, bufOffset, len);
        }
        @Override public void write(long offset, byte[] buf, int bufOffset, int len) throws IOException {
            if (readOnly) {
                throw new StorageException(path, "read-only");
            }
            System.arraycopy(buf, bufOffset, state.data, (int) offset, len);
            for (long b = offset / BLOCK; b <= (offset + len - 1) / BLOCK; b++) {
                state.allocated[(int) b] = true;
            }
        }
        @Override public void flush() { }
        @Override public void close() { }
    }

    /** Layers top first: reads take each byte from the first layer holding its block. */
    private static final class Chain implements DiskImage {
        final List<Image> layers;
        final boolean readOnly;

        Chain(List<Image> layers, boolean readOnly) {
            this.layers = layers;
            this.readOnly = readOnly;
        }

        @Override public Path path() { return layers.get(0).path; }
        @Override public ImageFormat format() { return layers.get(0).format(); }
        @Override public ImageVariant variant() { return layers.get(0).variant(); }
        @Override public long size() { return layers.get(0).size(); }
        @Override public int blockSize() { return BLOCK; }
        @Override public BlockState blockState(long block) {
            for (Image l : layers) {
                if (l.state.allocated[(int) block]) {
                    return BlockState.ALLOCATED;
                }
            }
            return BlockState.UNALLOCATED;
        }
        @Override public long allocatedBytes() { return layers.get(0).allocatedBytes(); }
        @Override public UUID uuid() { return layers.get(0).uuid(); }
        @Override public UUID parentUuid() { return layers.get(0).parentUuid(); }
        @Override public void setParentUuid(UUID parent) { }
        @Override public boolean readOnly() { return readOnly; }
        @Override public void read(long offset, byte[] buf, int bufOffset, int len) {
            for (int i = 0; i < len; i++) {
                int pos = (int) offset + i;
                buf[bufOffset + i] = 0;
                for (Image l : layers) {
                    if (l.state.allocated[pos / BLOCK]) {
                        buf[bufOffset + i] = l.state.data[pos];
                        break;
                    }
                }
            }
        }
        @Override public void write(long offset, byte[] buf, int bufOffset, int len) throws IOException {
            Image top = layers.get(0);
            for (long b = offset / BLOCK; b <= (offset + len - 1) / BLOCK; b++) {
                if (!top.state.allocated[(int) b]) {
                    byte[] block = new byte[BLOCK];
                    read(b * BLOCK, block, 0, BLOCK);
                    top.write(b * BLOCK, block, 0, BLOCK);
                }
            }
            top.write(offset, buf, bufOffset, len);
        }
        @Override public void flush() { }
        @Override public void close() { }
    }
}

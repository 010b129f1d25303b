package dev.strata.emulator.device.ata;

import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/** A disk image that fails reads, writes or flushes on demand and counts flushes, wrapping a real one. */
final class FaultyImage implements DiskImage {

    private final DiskImage inner;
    boolean failReads;
    boolean failWrites;
    boolean failFlush;
    boolean throwRuntime;
    int flushes;

    FaultyImage(DiskImage inner) {
        this.inner = inner;
    }

    private void maybeFail(boolean fail, String what) throws IOException {
        if (fail) {
            if (throwRuntime) {
                throw new IllegalStateException("injected " + what + " bug");
            }
            throw new IOException("injected " + what + " failure");
        }
    }

    @Override
    public void read(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        maybeFail(failReads, "read");
        inner.read(offset, buf, bufOffset, len);
    }

    @Override
    public void write(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        maybeFail(failWrites, "write");
        inner.write(offset, buf, bufOffset, len);
    }

    @Override
    public void flush() throws IOException {
        maybeFail(failFlush, "flush");
        flushes++;
        inner.flush();
    }

    @Override
    public Path path() {
        return inner.path();
    }

    @Override
    public ImageFormat format() {
        return inner.format();
    }

    @Override
    public ImageVariant variant() {
        return inner.variant();
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public int blockSize() {
        return inner.blockSize();
    }

    @Override
    public BlockState blockState(long block) {
        return inner.blockState(block);
    }

    @Override
    public long allocatedBytes() {
        return inner.allocatedBytes();
    }

    @Override
    public UUID uuid() {
        return inner.uuid();
    }

    @Override
    public UUID parentUuid() {
        return inner.parentUuid();
    }

    @Override
    public void setParentUuid(UUID parent) throws IOException {
        inner.setParentUuid(parent);
    }

    @Override
    public boolean readOnly() {
        return inner.readOnly();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}

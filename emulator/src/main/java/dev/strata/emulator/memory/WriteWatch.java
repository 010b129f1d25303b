package dev.strata.emulator.memory;

/**
 * Told of every write to a watched page of RAM (a debugger's watchpoints). Watched pages take the write slow path,
 * as code pages do, so pages nobody watches keep the fast path and an unwatched machine pays nothing.
 */
@FunctionalInterface
public interface WriteWatch {

    /** The guest (or a device) wrote {@code length} bytes at physical address {@code physical}. */
    void written(int physical, int length);
}

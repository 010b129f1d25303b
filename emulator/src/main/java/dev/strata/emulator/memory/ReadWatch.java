package dev.strata.emulator.memory;

/**
 * Told of every read of a watched page of RAM (a debugger's read and access watchpoints). While any page is watched,
 * reads take the slow path; with none watched the read fast paths are as they are without this.
 */
@FunctionalInterface
public interface ReadWatch {

    /** The guest (or a device) read {@code length} bytes at physical address {@code physical}. */
    void read(int physical, int length);
}

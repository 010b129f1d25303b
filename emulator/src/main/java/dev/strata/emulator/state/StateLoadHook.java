package dev.strata.emulator.state;

/**
 * Implemented by a {@link StateClass} that must migrate state from an older section version or recompute what is
 * derived from its saved fields; called after all of the object's fields were loaded.
 */
public interface StateLoadHook {

    /**
     * @param savedVersion the version of the section in the file ({@link StateReader#CURRENT} when it was written by
     *                     this build's own code, e.g. in a round trip)
     * @throws StateFileException to refuse state that cannot be migrated (use {@link StateReader#error})
     */
    void afterLoad(int savedVersion, StateReader r) throws StateFileException;
}

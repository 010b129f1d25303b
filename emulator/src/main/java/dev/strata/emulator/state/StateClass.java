package dev.strata.emulator.state;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose instances are saved state and names it in state files with a key that outlives the class's
 * Java name. Only objects of such classes are written; a saved field holding anything else is an error at save time.
 *
 * <p>Every instance field of the class (and its superclasses) is either a {@link StateField}, {@code transient}
 * (wiring, caches, host resources), or a final primitive, string or enum (configuration the machine's constructor
 * rebuilds); anything else is refused when the class is first saved, so no state is dropped silently.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StateClass {

    /** The type key in state files. Frozen: it stays the same when the class is renamed or moved. */
    String value();

    /**
     * Keys earlier versions wrote and this one no longer has: they are read and discarded (their state is saved
     * elsewhere now or rebuilt). A key that is neither a field nor retired and holds data fails the load.
     */
    String[] retired() default {};
}

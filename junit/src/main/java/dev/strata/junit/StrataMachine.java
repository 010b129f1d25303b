package dev.strata.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The machine a guest test boots: put it on a test method (or on the class, for all of its tests) and take a
 * {@link Guest} parameter. Each test gets a fresh machine that runs deterministically on throwaway copies of the
 * images named here, so the test gives the same result on every run and never writes the images.
 *
 * <p>Image paths are relative to the working directory (a Maven module's folder) and may name system properties
 * or environment variables: {@code "${STRATA_SHARED:-../shared}/guests/freedos/freedos722.img"}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(StrataExtension.class)
public @interface StrataMachine {

    /** Floppy image in drive A:. */
    String fda() default "";

    /** Floppy image in drive B:. */
    String fdb() default "";

    /** Hard disk on the primary master (any format Strata opens; a throwaway differencing image takes the writes). */
    String hda() default "";

    /** Hard disk on the primary slave. */
    String hdb() default "";

    /** Hard disk on the secondary master (not with {@link #cdrom}). */
    String hdc() default "";

    /** Hard disk on the secondary slave. */
    String hdd() default "";

    /** CD/DVD image on the secondary master. */
    String cdrom() default "";

    /** RAM in MiB. */
    int memory() default 32;

    /** Boot order, letters a, c and d ({@code "dc"}); by default the floppy, else the CD without a first disk, else C:. */
    String boot() default "";

    /** How long {@link Guest#waitFor(String)} waits, in seconds of guest time. */
    int timeout() default 60;
}

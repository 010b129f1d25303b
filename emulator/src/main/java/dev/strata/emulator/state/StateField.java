package dev.strata.emulator.state;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a field as saved state under a stable key: renaming the Java field keeps the key, so state files written
 * before the rename still load. The key of a field that existed before keys were declared is its old field name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface StateField {

    /** The key in state files. Frozen once a build has written it. */
    String value();

    /**
     * The version of the section this field first appeared in. A file from an older version lacks it: the field
     * keeps the restored-onto machine's value and {@link StateLoadHook#afterLoad} can derive it.
     */
    int since() default 1;

    /**
     * An optional subsection: written only while the field is not null, and a file without it loads with the field
     * set to null. For state that is not always there (a device part that only some machines have).
     */
    boolean optional() default false;
}

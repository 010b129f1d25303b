package dev.strata.tools.cputest;

import dev.strata.emulator.cpu.conformance.ConformanceCpu;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Supplier;

/** Makes the CPU that {@code strata cputest} checks: Strata's interpreter behind the conformance interface. */
public final class ConformanceCpus {
    /** The interpreter's adapter class, looked up by name until the interpreter is part of every build. */
    static final String INTERPRETER = "dev.strata.emulator.cpu.conformance.InterpreterConformanceCpu";

    private static volatile Supplier<ConformanceCpu> factory = ConformanceCpus::interpreter;

    private ConformanceCpus() {
    }

    /** A fresh CPU to test. */
    public static ConformanceCpu create() {
        return factory.get();
    }

    /** True when this build contains the interpreter. */
    public static boolean interpreterAvailable() {
        try {
            Class.forName(INTERPRETER, false, ConformanceCpus.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Replaces the CPU under test (tests use a fake); returns the previous factory so it can be restored. */
    static Supplier<ConformanceCpu> use(Supplier<ConformanceCpu> replacement) {
        Supplier<ConformanceCpu> old = factory;
        factory = replacement;
        return old;
    }

    private static ConformanceCpu interpreter() {
        try {
            return (ConformanceCpu) Class.forName(INTERPRETER).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("this build of Strata has no CPU interpreter to test yet ("
                    + INTERPRETER + " is missing)");
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("could not start the CPU interpreter: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not start the CPU interpreter: " + e, e);
        }
    }
}

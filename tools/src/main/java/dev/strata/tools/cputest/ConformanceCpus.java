package dev.strata.tools.cputest;

import dev.strata.emulator.cpu.conformance.ConformanceCpu;
import dev.strata.emulator.cpu.conformance.InterpreterConformanceCpu;
import java.util.function.Supplier;

/** Makes the CPU that {@code strata cputest} checks: Strata's interpreter behind the conformance interface. */
public final class ConformanceCpus {
    private static volatile Supplier<ConformanceCpu> factory = InterpreterConformanceCpu::new;

    private ConformanceCpus() {
    }

    /** A fresh CPU to test. */
    public static ConformanceCpu create() {
        return factory.get();
    }

    /** Replaces the CPU under test (tests use a fake); returns the previous factory so it can be restored. */
    static Supplier<ConformanceCpu> use(Supplier<ConformanceCpu> replacement) {
        Supplier<ConformanceCpu> old = factory;
        factory = replacement;
        return old;
    }
}

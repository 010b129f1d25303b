package dev.strata.tools.cputest;

import dev.strata.emulator.cpu.conformance.ConformanceCpu;
import dev.strata.emulator.cpu.conformance.InterpreterConformanceCpu;
import dev.strata.emulator.cpu.translate.JitMode;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Makes the CPU that {@code strata cputest} checks: Strata's CPU behind the conformance interface, interpreted or
 * with its translating tier forced on every block.
 */
public final class ConformanceCpus {
    private static volatile Function<JitMode, ConformanceCpu> factory = InterpreterConformanceCpu::new;

    private ConformanceCpus() {
    }

    /** A fresh interpreted CPU to test. */
    public static ConformanceCpu create() {
        return create(JitMode.OFF);
    }

    /** A fresh CPU to test, translating as {@code jit} says. */
    public static ConformanceCpu create(JitMode jit) {
        return factory.apply(jit);
    }

    /** Replaces the CPU under test (tests use a fake); returns the previous factory so it can be restored. */
    static Function<JitMode, ConformanceCpu> use(Supplier<ConformanceCpu> replacement) {
        return use(jit -> replacement.get());
    }

    static Function<JitMode, ConformanceCpu> use(Function<JitMode, ConformanceCpu> replacement) {
        Function<JitMode, ConformanceCpu> old = factory;
        factory = replacement;
        return old;
    }
}

package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.CompiledBlock;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates a block into a hidden class whose {@code run} executes it: the common integer instructions as
 * bytecode of their own, with the guest's registers and lazy flags in JVM locals ({@link BlockEmitter},
 * {@link InstructionEmitter}), the others as calls of the interpreter's handler on constants, which the JIT
 * compiler inlines with the instruction's operands folded in.
 *
 * <p>Whatever the tier, the CPU is left as {@link Block#run} leaves it at every point a device or the run loop
 * can see: after the block, after an instruction that asks to leave it (HLT, a write to the block's own code),
 * and on a fault, with the instructions completed before it counted and the faulting instruction's registers
 * and flags as they were before it.
 */
public final class BlockTranslator {

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String BASE = Type.getInternalName(CompiledBlock.class);
    /**
     * The start of a translation's class name (binary name); the block's physical address follows it, so that a
     * profiler's or the JIT compiler's log (`-XX:+PrintCompilation`, perf maps) names the guest code a hot method
     * runs.
     */
    static final String NAME = BlockTranslator.class.getPackageName() + ".Translated_";
    /**
     * The start of the class name of a block whose translation may go round by itself (one page, ending in a near
     * branch: {@link Block#branchesBackToItself}): named apart because the launcher has the JVM's optimising compiler
     * take these sooner than the rest of Strata's code (see {@code strata} at the project's root).
     */
    static final String LOOP_NAME = BlockTranslator.class.getPackageName() + ".TranslatedLoop_";
    /**
     * The class file version translations are written in: Java 5's, the last without stack map frames. A class of a
     * later version must carry a frame at every branch target, which ASM works out by a data-flow analysis of the
     * method (its COMPUTE_FRAMES), and that was most of the translator thread's work and a C2 compilation of ASM's
     * own code, on the core the JIT compilers need for the translations; the JVM checks a Java 5 class with its
     * type-inferring verifier instead, written in C++. Translations use nothing a later version brings (their
     * constants are static fields, see {@link TranslationConstants}). The Linux boot (kernel unpacked by Strata)
     * reached its shell with the JIT compilers' threads 0.5-0.8 s shorter and the CPU thread about 5 % sooner.
     */
    static final int CLASS_FILE_VERSION = Opcodes.V1_5;

    private static final Logger LOG = LoggerFactory.getLogger(BlockTranslator.class);
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    /** Calls that {@link #prime} a translation: two of HotSpot's checks of the invocation count (every 128). */
    static final int PRIMING_CALLS = 256;
    /** Blocks waiting for the background thread at most; a hot block finding the queue full asks again later. */
    private static final int QUEUE = 256;
    /**
     * Where {@link #translateLater} translations run: one daemon thread for the process, so the CPU thread goes on
     * interpreting while a block is translated (on a second core, beside the JIT compiler's threads).
     */
    private static final ThreadPoolExecutor BACKGROUND = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), runnable -> {
                Thread t = new Thread(runnable, "strata-translator");
                t.setDaemon(true);
                backgroundThread = t;
                return t;
            }, new ThreadPoolExecutor.AbortPolicy());
    /** The thread of {@link #BACKGROUND} once it has started (for its CPU time). */
    private static volatile Thread backgroundThread;

    /** Set once {@link #warmUpInBackground} has handed {@link TranslatorWarmUp} to the background thread. */
    private static final java.util.concurrent.atomic.AtomicBoolean WARMED_UP =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Blocks translated, and the host time spent writing and loading their classes (updated on two threads). */
    private final AtomicLong translations = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    /** Bytes of bytecode in the translations' {@code run} methods, which is what the JVM's compilers work on. */
    private final AtomicLong bytecode = new AtomicLong();
    /** Blocks whose translation failed (they stay interpreted); the first failure is logged. */
    private final AtomicLong failures = new AtomicLong();
    private final TranslationCache cache;

    /** Translations kept within {@link TranslationCache#DEFAULT_BUDGET}. */
    public BlockTranslator() {
        this(TranslationCache.DEFAULT_BUDGET);
    }

    /** Translations kept within {@code budget} bytes of class files, the oldest evicted first. */
    public BlockTranslator(long budget) {
        this.cache = new TranslationCache(budget);
    }

    /**
     * Runs {@link TranslatorWarmUp} on the background thread, once per process: called when a machine starts
     * translating, long before its first block is hot. A warm-up that fails changes nothing but the wait.
     */
    public static void warmUpInBackground() {
        if (WARMED_UP.compareAndSet(false, true)) {
            try {
                BACKGROUND.execute(() -> {
                    try {
                        TranslatorWarmUp.run();
                    } catch (RuntimeException | LinkageError e) {
                        LOG.debug("the translator's warm-up failed", e);
                    }
                });
            } catch (RejectedExecutionException busy) {
                // translations already waiting warm the translator up themselves
            }
        }
    }

    /**
     * Translates the block on the background thread and installs the result in it; returns false (and does
     * nothing) when too many blocks are already waiting, so the caller can ask again later. What a block does is
     * the same in both tiers, so when its translation arrives changes nothing a guest can see. The translation
     * may take the segments in {@code flatSegments} ({@link Cpu#flatSegments}, read on the CPU's thread when the
     * block got hot) as flat, once it has checked they still are.
     */
    public boolean translateLater(Block block, int flatSegments) {
        try {
            BACKGROUND.execute(() -> translateOrNull(block, flatSegments, true));
            return true;
        } catch (RejectedExecutionException busy) {
            return false;
        }
    }

    /**
     * Translates the block and installs the translation in it (evicting the oldest ones beyond the cache's
     * budget); returns it, or null (logged once per translator) when it could not be made: the block then stays
     * interpreted, which runs it the same, only slower. A translation is an optimisation; its failure must never
     * stop a guest.
     */
    public CompiledBlock translateOrNull(Block block, int flatSegments) {
        return translateOrNull(block, flatSegments, false);
    }

    /** {@link #translateOrNull}, {@linkplain #prime primed} first when {@code prime} says so. */
    private CompiledBlock translateOrNull(Block block, int flatSegments, boolean prime) {
        List<Object> data = new ArrayList<>();
        long start = System.nanoTime();
        ClassFile file;
        CompiledBlock translation;
        try {
            file = generate(block, flatSegments, data);
            translation = load(block, file, data);
        } catch (RuntimeException | LinkageError e) {
            if (failures.getAndIncrement() == 0) {
                LOG.warn("the block at physical {}h stays interpreted: {}", Integer.toHexString(block.physical),
                        e.toString());
            }
            return null;
        } finally {
            nanos.addAndGet(System.nanoTime() - start);
        }
        if (prime) {
            prime(translation);
        }
        cache.admit(block, translation, file.bytes().length);
        return translation;
    }

    /**
     * Calls a new translation {@link #PRIMING_CALLS} times with nothing to run, so that the JVM queues it for its
     * compiler before the CPU thread first runs it. HotSpot compiles a method once it has been called about 200
     * times (C1's threshold, {@code Tier3InvocationThreshold}, checked every 128 calls); until then, and until C1
     * has compiled it, the JVM's bytecode interpreter runs it, several times slower than Strata's own interpreter
     * runs the block. Unprimed, a translation spent its first 200 runs and its wait in C1's queue like that, on the
     * CPU thread; primed here, on the translator's thread (about 25 microseconds a translation), it spends at most
     * the wait (longer when C1's queue is long: HotSpot then raises the threshold). Profiles of the CPU thread show
     * the JVM-interpreted time of translations falling from 4.3 to about 3 % of the Linux boot; whole runs, on this
     * shared host, within the noise (README, "The translating tier").
     */
    private static void prime(CompiledBlock translation) {
        for (int k = 0; k < PRIMING_CALLS; k++) {
            translation.run(null, CompiledBlock.NOTHING);
        }
    }

    /**
     * The block as a {@link CompiledBlock}, not installed (and taking no segment as flat): a hidden class of its own,
     * which the JVM unloads once nothing refers to the translation.
     */
    public CompiledBlock translate(Block block) {
        List<Object> data = new ArrayList<>();
        long start = System.nanoTime();
        try {
            return load(block, generate(block, 0, data), data);
        } finally {
            nanos.addAndGet(System.nanoTime() - start);
        }
    }

    private CompiledBlock load(Block block, ClassFile file, List<Object> data) {
        try {
            Class<?> c = LOOKUP.defineHiddenClassWithClassData(file.bytes(), data, false).lookupClass();
            CompiledBlock translation = (CompiledBlock) c.getDeclaredConstructor().newInstance();
            bytecode.addAndGet(file.runLength());
            translations.incrementAndGet();
            return translation;
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("the translation of the block at physical " + Integer.toHexString(
                    block.physical) + "h did not load", e);
        }
    }

    /** Where the translations are kept, and how many were evicted. */
    public TranslationCache cache() {
        return cache;
    }

    public long translations() {
        return translations.get();
    }

    /** Blocks whose translation failed: they stay interpreted (a bug in the translator; the log has the first). */
    public long failures() {
        return failures.get();
    }

    /**
     * CPU time the process's background translator thread has taken so far (all machines' translations made in the
     * background), or -1 when it has not started or the JVM cannot measure a thread's CPU time. On a two-core host it
     * shares the second core with the JVM's compilers, which turn translations into machine code.
     */
    public static long backgroundCpuNanos() {
        Thread t = backgroundThread;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return t == null || !threads.isThreadCpuTimeSupported() ? -1 : threads.getThreadCpuTime(t.getId());
    }

    /** Host nanoseconds spent translating: writing the class and loading it (on whichever thread did it). */
    public long nanos() {
        return nanos.get();
    }

    /** Bytes of bytecode in the {@code run} methods of the translations made so far. */
    public long bytecodeBytes() {
        return bytecode.get();
    }

    /** A translation's class file, and the length of its {@code run} method's code. */
    record ClassFile(byte[] bytes, int runLength) {
    }

    /** The class file the block translates to, not loaded (for tests that look at the code itself). */
    static ClassFile classFile(Block block, int flatSegments) {
        return generate(block, flatSegments, new ArrayList<>());
    }

    /** {@code if (max < 0) return 0;}: a {@link CompiledBlock#NOTHING} call ({@link #prime}) ends before any work. */
    private static void returnIfNothingToRun(MethodVisitor m) {
        Label run = new Label();
        m.visitVarInsn(Opcodes.ILOAD, 2);
        m.visitJumpInsn(Opcodes.IFGE, run);
        m.visitInsn(Opcodes.ICONST_0);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(run);
    }

    private static ClassFile generate(Block block, int flatSegments, List<Object> data) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        String name = (block.branchesBackToItself ? LOOP_NAME : NAME).replace('.', '/')
                + String.format("%08X", block.physical);
        cw.visit(CLASS_FILE_VERSION, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, name, null, BASE, null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, BASE, "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, "run", "(L" + CPU + ";I)I", null, null);
        m.visitCode();
        returnIfNothingToRun(m);
        TranslationConstants constants = new TranslationConstants(name, data);
        new BlockEmitter(m, block, flatSegments, constants).emit();
        Label end = new Label();
        m.visitLabel(end); // its offset is the code's length (nothing follows it)
        m.visitMaxs(0, 0);
        m.visitEnd();
        constants.declare(cw);
        cw.visitEnd();
        return new ClassFile(cw.toByteArray(), end.getOffset());
    }
}

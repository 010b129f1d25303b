package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.CompiledBlock;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.exception.CpuFault;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates a block into a hidden class whose {@code run} calls each instruction's handler on constants: the
 * JIT compiler then sees one known handler per call site (inlined, instead of the interpreter's megamorphic
 * call) and the block's instructions as one method it can optimise across.
 *
 * <p>The generated code does, per instruction, what {@link Block#run} does: EIP and the faulting-EIP register set
 * before the handler runs, the block left after an instruction that asks for it (HLT, a write to the block's own
 * code), and on a fault the instructions completed before it counted. The handlers are the interpreter's, so the
 * two tiers cannot differ in what an instruction does: state, faults and instruction counts are the same at every
 * point a device or the run loop can see.
 */
public final class BlockTranslator {

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String EXEC = Type.getInternalName(Exec.class);
    private static final String INSN = Type.getInternalName(Insn.class);
    private static final String FAULT = Type.getInternalName(CpuFault.class);
    private static final String BASE = Type.getInternalName(CompiledBlock.class);
    private static final String NAME = BlockTranslator.class.getPackageName().replace('.', '/') + "/Translated";
    private static final Handle CLASS_DATA_AT = new Handle(Opcodes.H_INVOKESTATIC,
            Type.getInternalName(MethodHandles.class), "classDataAt",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);

    private static final Logger LOG = LoggerFactory.getLogger(BlockTranslator.class);
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
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
                return t;
            }, new ThreadPoolExecutor.AbortPolicy());

    /** Blocks translated, and the host time spent writing and loading their classes (updated on two threads). */
    private final AtomicLong translations = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private volatile boolean failureLogged;
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
     * Translates the block on the background thread and installs the result in it; returns false (and does
     * nothing) when too many blocks are already waiting, so the caller can ask again later. What a block does is
     * the same in both tiers, so when its translation arrives changes nothing a guest can see.
     */
    public boolean translateLater(Block block) {
        try {
            BACKGROUND.execute(() -> translateOrNull(block));
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
    public CompiledBlock translateOrNull(Block block) {
        List<Object> data = new ArrayList<>();
        byte[] bytes;
        CompiledBlock translation;
        try {
            bytes = generate(block, data);
            translation = load(block, bytes, data);
        } catch (RuntimeException | LinkageError e) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.warn("the block at physical {}h stays interpreted: {}", Integer.toHexString(block.physical),
                        e.toString());
            }
            return null;
        }
        cache.admit(block, translation, bytes.length);
        return translation;
    }

    /**
     * The block as a {@link CompiledBlock}, not installed: a hidden class of its own, which the JVM unloads once
     * nothing refers to the translation.
     */
    public CompiledBlock translate(Block block) {
        List<Object> data = new ArrayList<>();
        return load(block, generate(block, data), data);
    }

    private CompiledBlock load(Block block, byte[] bytes, List<Object> data) {
        long start = System.nanoTime();
        try {
            Class<?> c = LOOKUP.defineHiddenClassWithClassData(bytes, data, false).lookupClass();
            return (CompiledBlock) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("the translation of the block at physical " + Integer.toHexString(
                    block.physical) + "h did not load", e);
        } finally {
            translations.incrementAndGet();
            nanos.addAndGet(System.nanoTime() - start);
        }
    }

    /** Where the translations are kept, and how many were evicted. */
    public TranslationCache cache() {
        return cache;
    }

    public long translations() {
        return translations.get();
    }

    /** Host nanoseconds spent translating (on whichever thread did it). */
    public long nanos() {
        return nanos.get();
    }

    private static byte[] generate(Block block, List<Object> data) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, NAME, null, BASE, null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, BASE, "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, "run", "(L" + CPU + ";I)I", null, null);
        m.visitCode();
        Label start = new Label(), end = new Label(), handler = new Label(), top = new Label();
        m.visitTryCatchBlock(start, end, handler, FAULT);
        final int cpu = 1, max = 2, done = 3, eip = 4, entry = 5;
        Insn[] insns = block.insns;
        boolean loops = block.branchesBackToItself;
        m.visitInsn(Opcodes.ICONST_0);
        m.visitVarInsn(Opcodes.ISTORE, done);
        if (loops) {
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitFieldInsn(Opcodes.GETFIELD, CPU, "eip", "I");
            m.visitVarInsn(Opcodes.ISTORE, entry);
        }
        m.visitLabel(start);
        m.visitLabel(top);
        for (int k = 0; k < insns.length; k++) {
            Insn i = insns[k];
            m.visitLdcInsn(k);
            m.visitVarInsn(Opcodes.ISTORE, done);
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitFieldInsn(Opcodes.GETFIELD, CPU, "eip", "I");
            m.visitVarInsn(Opcodes.ISTORE, eip);
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitVarInsn(Opcodes.ILOAD, eip);
            m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "curEip", "I");
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitVarInsn(Opcodes.ILOAD, eip);
            m.visitLdcInsn(i.len());
            m.visitInsn(Opcodes.IADD);
            if (!block.code32) {
                m.visitLdcInsn(0xFFFF);
                m.visitInsn(Opcodes.IAND);
            }
            m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "eip", "I");
            m.visitLdcInsn(constant(data, i.exec(), EXEC));
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitLdcInsn(constant(data, i, INSN));
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, EXEC, "run", "(L" + CPU + ";L" + INSN + ";)V", false);
            Label next = new Label();
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitFieldInsn(Opcodes.GETFIELD, CPU, "blockExit", "Z");
            m.visitJumpInsn(Opcodes.IFEQ, next);
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitInsn(Opcodes.ICONST_0);
            m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "blockExit", "Z");
            m.visitLdcInsn(k + 1);
            m.visitInsn(Opcodes.IRETURN);
            m.visitLabel(next);
        }
        if (loops) {
            goRoundAgain(m, insns.length, top, cpu, max, entry);
        }
        m.visitLabel(end);
        m.visitLdcInsn(insns.length);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(handler);
        // the ones that completed before the fault count, as in the interpreter
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitInsn(Opcodes.DUP);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "instructions", "J");
        m.visitVarInsn(Opcodes.ILOAD, done);
        m.visitInsn(Opcodes.I2L);
        m.visitInsn(Opcodes.LADD);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "instructions", "J");
        m.visitInsn(Opcodes.ATHROW);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * After the last instruction: when it went back to the block's start, the whole block fits once more in what
     * is left of {@code max}, and the run loop would go straight into the next block
     * ({@link Cpu#continuesIntoBlock}), the pass is counted as the run loop counts one and the block starts over.
     */
    private static void goRoundAgain(MethodVisitor m, int length, Label top, int cpu, int max, int entry) {
        Label leave = new Label();
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "eip", "I");
        m.visitVarInsn(Opcodes.ILOAD, entry);
        m.visitJumpInsn(Opcodes.IF_ICMPNE, leave);
        m.visitVarInsn(Opcodes.ILOAD, max);
        m.visitLdcInsn(2 * length);
        m.visitJumpInsn(Opcodes.IF_ICMPLT, leave);
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CPU, "continuesIntoBlock", "()Z", false);
        m.visitJumpInsn(Opcodes.IFEQ, leave);
        m.visitIincInsn(max, -length);
        addToCounter(m, cpu, "instructions", length);
        addToCounter(m, cpu, "translatedInstructions", length);
        m.visitJumpInsn(Opcodes.GOTO, top);
        m.visitLabel(leave);
    }

    /** {@code cpu.counter += n} for one of the CPU's {@code long} instruction counters. */
    private static void addToCounter(MethodVisitor m, int cpu, String counter, int n) {
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitInsn(Opcodes.DUP);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, counter, "J");
        m.visitLdcInsn((long) n);
        m.visitInsn(Opcodes.LADD);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, counter, "J");
    }

    private static ConstantDynamic constant(List<Object> data, Object value, String type) {
        data.add(value);
        return new ConstantDynamic("_", "L" + type + ";", CLASS_DATA_AT, data.size() - 1);
    }
}

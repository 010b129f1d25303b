package dev.strata.tools.build;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step (run by Maven before the tests, never shipped in the user jar): rewrites a library's class files that
 * are older than Java 6 at class-file version 52 with stack map frames.
 *
 * <p>Why: picocli ships Java 5 class files. The JVM cannot put such classes in a class-data-sharing archive, and it
 * checks them with the old type-inferring verifier, so every {@code strata} start loaded and verified about 170
 * picocli classes from the jar: roughly 60 ms of the time to the guest's first instruction. Rewritten, they come
 * from Strata's archive like every other class. Only the version and the frames change; the code is the same. ASM,
 * the translator's bytecode library, is Java 5 too: its classes loaded from the jar cost the translator's thread
 * 15 ms of CPU as every guest started.
 */
public final class ClassFileUpgrade {

    /** The oldest class-file version a class-data-sharing archive holds (Java 6). */
    static final int ARCHIVABLE = Opcodes.V1_6;

    private ClassFileUpgrade() {
    }

    /** Arguments: the library jar, the classes folder the rewritten classes go to, and the package prefix to take. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ClassFileUpgrade LIBRARY.jar OUTPUT-DIR PACKAGE-PREFIX/");
        }
        if (upgradeJar(Path.of(args[0]), Path.of(args[1]), args[2]) == 0) {
            throw new IllegalStateException("no class under " + args[2] + " in " + args[0]);
        }
    }

    /** Writes every class under {@code prefix} in {@code jar} to {@code out}, upgraded; returns how many. */
    static int upgradeJar(Path jar, Path out, String prefix) throws IOException {
        int count = 0;
        try (JarFile in = new JarFile(jar.toFile());
             URLClassLoader library = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                     ClassLoader.getPlatformClassLoader())) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (!name.startsWith(prefix) || !name.endsWith(".class")) {
                    continue;
                }
                byte[] original;
                try (InputStream s = in.getInputStream(entry)) {
                    original = s.readAllBytes();
                }
                Path target = out.resolve(name);
                Files.createDirectories(target.getParent());
                Files.write(target, upgrade(original, library));
                count++;
            }
        }
        return count;
    }

    /**
     * The class at version 52 with frames computed from its code, or unchanged when it is already at version 50 or
     * later. Frames need the common superclass of two types at a merge point, which {@code library} supplies.
     */
    static byte[] upgrade(byte[] classFile, ClassLoader library) {
        ClassReader reader = new ClassReader(classFile);
        int version = reader.readUnsignedShort(6); // major version, after the magic number and the minor version
        if (version >= ARCHIVABLE) {
            return classFile;
        }
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return library;
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int v, int access, String name, String signature, String superName,
                    String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}

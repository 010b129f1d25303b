package dev.strata.emulator.state;

import dev.strata.emulator.clock.TimedEvent;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The saved-state layout of one {@link StateClass}: its type key, its fields by key (superclass fields first, each
 * class's sorted by key) and its retired keys, checked once per class. A record is saved by its components in order.
 */
public final class StateSchema {

    /** One saved field: its key, the Java field that holds it, the section version it appeared in. */
    record Entry(String key, Field field, int since, boolean optional) {
    }

    private static final ClassValue<StateSchema> SCHEMAS = new ClassValue<>() {
        @Override
        protected StateSchema computeValue(Class<?> type) {
            return new StateSchema(type);
        }
    };

    private final Class<?> type;
    private final String key;
    private final List<Entry> entries;
    private final Map<String, Entry> byKey = new LinkedHashMap<>();
    private final Set<String> retired;

    private StateSchema(Class<?> type) {
        StateClass declared = type.getAnnotation(StateClass.class);
        if (declared == null) {
            throw new StateSchemaException(type.getName() + " is not a @StateClass, so saved state cannot write it");
        }
        this.type = type;
        this.key = declared.value();
        this.retired = Set.of(declared.retired());
        this.entries = type.isRecord() ? List.of() : fields(type);
        for (Entry e : entries) {
            if (byKey.put(e.key, e) != null) {
                throw new StateSchemaException(type.getName() + " declares the state key '" + e.key + "' twice");
            }
            if (retired.contains(e.key)) {
                throw new StateSchemaException(type.getName() + ": key '" + e.key + "' is both a field and retired");
            }
        }
    }

    /** The schema of {@code type}; fails with a message saying what to fix for a class that is not ready to save. */
    public static StateSchema of(Class<?> type) {
        return SCHEMAS.get(type);
    }

    /** Whether objects of {@code type} are saved state. */
    public static boolean isStateClass(Class<?> type) {
        return type.isAnnotationPresent(StateClass.class);
    }

    public String key() {
        return key;
    }

    List<Entry> entries() {
        return entries;
    }

    Entry entry(String k) {
        return byKey.get(k);
    }

    boolean isRetired(String k) {
        return retired.contains(k);
    }

    boolean isRecord() {
        return type.isRecord();
    }

    RecordComponent[] components() {
        return type.getRecordComponents();
    }

    private static List<Entry> fields(Class<?> type) {
        List<Entry> all = new ArrayList<>();
        for (Class<?> c = type; c != null && !c.getName().startsWith("java."); c = c.getSuperclass()) {
            List<Entry> own = new ArrayList<>();
            for (Field f : c.getDeclaredFields()) {
                Entry e = entry(f);
                if (e != null) {
                    f.setAccessible(true);
                    own.add(e);
                }
            }
            own.sort(Comparator.comparing(Entry::key));
            all.addAll(0, own);
        }
        return List.copyOf(all);
    }

    private static Entry entry(Field f) {
        int m = f.getModifiers();
        StateField declared = f.getAnnotation(StateField.class);
        String where = f.getDeclaringClass().getName() + "." + f.getName();
        if (Modifier.isStatic(m) || f.isSynthetic()) {
            return null;
        }
        if (Modifier.isTransient(m)) {
            if (declared != null) {
                throw new StateSchemaException(where + " is both transient and a @StateField: choose one");
            }
            return null;
        }
        Class<?> t = f.getType();
        if (declared == null) {
            if (Modifier.isFinal(m) && (t.isPrimitive() || t == String.class || t.isEnum())) {
                return null; // configuration: the machine's constructor sets it again
            }
            throw new StateSchemaException(where + " is neither saved state nor excluded from it: annotate it "
                    + "@StateField(\"key\") (with since = the next version of its section if it is new state) or "
                    + "declare it transient if it is wiring, a cache or a host resource");
        }
        if (declared.optional() && (t.isPrimitive() || Modifier.isFinal(m))) {
            throw new StateSchemaException(where + " is optional, so it must be a non-final reference");
        }
        if (declared.since() < 1 || declared.value().isEmpty()) {
            throw new StateSchemaException(where + " needs a non-empty key and since >= 1");
        }
        return new Entry(declared.value(), f, declared.since(), declared.optional());
    }

    /** The schema as text lines for the fingerprint file: keys, wire types and versions, no Java names. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add((isRecord() ? "record " : "class ") + key
                + (retired.isEmpty() ? "" : " retired " + retired.stream().sorted().collect(Collectors.joining(","))));
        if (isRecord()) {
            RecordComponent[] parts = components();
            for (int i = 0; i < parts.length; i++) {
                lines.add("  #" + i + " " + wireType(parts[i].getType()));
            }
        }
        for (Entry e : entries) {
            lines.add("  " + e.key + " " + wireType(e.field.getType()) + (e.since > 1 ? " since " + e.since : "")
                    + (e.optional ? " optional" : ""));
        }
        return lines;
    }

    /** How a value of declared type {@code t} is written, independent of Java names where a key exists. */
    static String wireType(Class<?> t) {
        if (t.isPrimitive()) {
            return t.getName();
        } else if (t.isArray()) {
            return wireType(t.getComponentType()) + "[]";
        } else if (t == String.class) {
            return "string";
        } else if (t.isEnum()) {
            return "enum{" + Arrays.stream(t.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(",")) + "}";
        } else if (t == TimedEvent.class) {
            return "event";
        } else if (isStateClass(t)) {
            return (t.isRecord() ? "record " : "object ") + t.getAnnotation(StateClass.class).value();
        }
        return "object"; // an interface or base class: the classes actually saved are listed on their own
    }
}

package dev.strata.emulator.state;

import dev.strata.emulator.machine.PcMachine;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The schema of the sections a machine saves, as text: per section its tag and versions, then every state class it
 * writes with keys, wire types and versions (no Java names). The fingerprint {@link StateSchemaFile} compares with
 * a committed file, so a change to what is saved needs a version decision.
 */
public final class MachineStateSchema {

    private MachineStateSchema() {
    }

    /**
     * Describes the sections of {@code machine} whose tags {@code sections} accepts. The classes listed are those the
     * machine writes now (equip it with every kind of device) plus the state classes their fields declare.
     */
    public static String describe(PcMachine machine, Predicate<String> sections) {
        StringBuilder out = new StringBuilder();
        for (StateSection section : MachineSections.all(new ClockSection(), machine)) {
            if (!sections.test(section.tag())) {
                continue;
            }
            Set<Class<?>> classes = new HashSet<>();
            section.save(machine, new StateWriter().recordClasses(classes));
            out.append("section ").append(section.tag()).append(" version ").append(section.version())
                    .append(" oldest ").append(section.oldestVersion()).append('\n');
            List<StateSchema> schemas = new ArrayList<>();
            for (Class<?> c : withDeclaredTypes(classes)) {
                schemas.add(StateSchema.of(c));
            }
            schemas.sort(Comparator.comparing(StateSchema::key));
            for (StateSchema schema : schemas) {
                for (String line : schema.describe()) {
                    out.append("  ").append(line).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** {@code written} and every concrete state class reachable from their declared field and component types. */
    private static Set<Class<?>> withDeclaredTypes(Set<Class<?>> written) {
        Set<Class<?>> all = new HashSet<>(written);
        Deque<Class<?>> todo = new ArrayDeque<>(written);
        while (!todo.isEmpty()) {
            StateSchema schema = StateSchema.of(todo.pop());
            List<Class<?>> types = new ArrayList<>();
            for (StateSchema.Entry e : schema.entries()) {
                types.add(e.field().getType());
            }
            if (schema.isRecord()) {
                for (RecordComponent c : schema.components()) {
                    types.add(c.getType());
                }
            }
            for (Class<?> t : types) {
                while (t.isArray()) {
                    t = t.getComponentType();
                }
                if (StateSchema.isStateClass(t) && all.add(t)) {
                    todo.push(t);
                }
            }
        }
        return all;
    }
}

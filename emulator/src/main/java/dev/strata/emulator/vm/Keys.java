package dev.strata.emulator.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The names vm.json and the command line give the constants of an enum: looking one up, and listing them. */
final class Keys {
    private Keys() {
    }

    /** The constant among {@code values} whose key is {@code key}, if any. */
    static <E> Optional<E> find(E[] values, Function<E, String> keyOf, String key) {
        for (E e : values) {
            if (keyOf.apply(e).equals(key)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** "a, b or c" of the keys of {@code values}, in order, for messages. */
    static <E> String list(Iterable<E> values, Function<E, String> keyOf) {
        List<String> keys = new ArrayList<>();
        values.forEach(e -> keys.add(keyOf.apply(e)));
        int last = keys.size() - 1;
        return last <= 0 ? String.join("", keys)
                : String.join(", ", keys.subList(0, last)) + " or " + keys.get(last);
    }
}

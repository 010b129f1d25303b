package dev.strata.guests.x87;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether Strata's line for one test agrees with QEMU's. Everything IEEE 754 and the SDM define exactly
 * (arithmetic, square root, conversions, rounding, compares, flags, stores, environment images) must match to
 * the bit. The transcendental instructions get a tolerance on their register results; see {@link #toleranceUlps}.
 */
final class X87LineComparison {

    /** SDM Vol. 1, 8.3.10: the transcendental instructions are accurate to an ulp bound, not correctly rounded. */
    static final Set<String> BOUNDED = Set.of("F2XM1", "FYL2X", "FYL2XP1", "FPATAN");

    /** Transcendentals that QEMU 7.2 (the reference) computes in host double precision. */
    static final Set<String> DOUBLE_REFERENCE = Set.of("FSIN", "FCOS", "FSINCOS", "FPTAN");

    private X87LineComparison() {
    }

    /**
     * How many ulps Strata's result may differ from QEMU's for {@code operation} under control word {@code cw}.
     *
     * <p>SDM Vol. 1, 8.3.10 ("Transcendental Instruction Accuracy"): on the Pentium and later the worst-case error
     * of F2XM1, FYL2X, FYL2XP1, FPATAN, FSIN, FCOS, FSINCOS and FPTAN is below 1 ulp when rounding to nearest and
     * below 1.5 ulps in the other rounding modes. QEMU's F2XM1/FYL2X/FYL2XP1/FPATAN keep the same bound, so two
     * conforming results are less than 2 ulps (3 ulps when rounding directed) apart: 1 and 2 ulps on the grid.
     *
     * <p>QEMU 7.2 computes FSIN, FCOS, FSINCOS and FPTAN by converting ST0 to a double and calling the host's libm,
     * so its result is itself only good to about 2^-50 relative for the operands the guest gives them (|x| below
     * pi/4): 2^14 ulps of a 64-bit significand, on top of the SDM bound.
     */
    static long toleranceUlps(String operation, int cw) {
        boolean nearest = ((cw >> 10) & 3) == 0;
        long sdm = nearest ? 1 : 2;
        String base = baseName(operation);
        if (DOUBLE_REFERENCE.contains(base)) {
            return sdm + (1L << 14);
        }
        return BOUNDED.contains(base) ? sdm : 0;
    }

    static String baseName(String operation) {
        return operation.endsWith("!") ? operation.substring(0, operation.length() - 1) : operation;
    }

    /** The differences between expected and actual, one phrase each; empty when they agree. */
    static List<String> differences(X87ResultLine expected, X87ResultLine actual) {
        List<String> out = new ArrayList<>();
        if (expected.text().equals(actual.text())) {
            return out;
        }
        if (!expected.number().equals(actual.number()) || !expected.operation().equals(actual.operation())) {
            out.add("different test: expected " + expected.number() + " " + expected.operation() + ", got "
                    + actual.number() + " " + actual.operation());
            return out;
        }
        if (!expected.fields().keySet().equals(actual.fields().keySet())) {
            out.add("fields " + expected.fields().keySet() + " expected, got " + actual.fields().keySet());
            return out;
        }
        int cw = Integer.parseInt(expected.field("c"), 16);
        long tolerance = toleranceUlps(expected.operation(), cw);
        for (String key : expected.fields().keySet()) {
            String e = expected.field(key);
            String a = actual.field(key);
            if (e.equals(a)) {
                continue;
            }
            switch (key) {
                case "r" -> compareRegisters(e, a, tolerance, out);
                case "s" -> out.add("status word " + e + " expected, got " + a + ": "
                        + statusBits(Integer.parseInt(e, 16) ^ Integer.parseInt(a, 16)) + " differ");
                case "f" -> out.add("EFLAGS " + e + " expected, got " + a + ": "
                        + eflagsBits(Integer.parseInt(e, 16) ^ Integer.parseInt(a, 16)) + " differ");
                default -> out.add(key + "=" + e + " expected, got " + a);
            }
        }
        return out;
    }

    private static void compareRegisters(String expected, String actual, long tolerance, List<String> out) {
        String[] e = expected.isEmpty() ? new String[0] : expected.split(",");
        String[] a = actual.isEmpty() ? new String[0] : actual.split(",");
        if (e.length != a.length) {
            out.add("stack depth " + e.length + " expected, got " + a.length);
            return;
        }
        for (int i = 0; i < e.length; i++) {
            if (e[i].equals(a[i])) {
                continue;
            }
            X87Value ev = X87Value.parse(e[i]);
            X87Value av = X87Value.parse(a[i]);
            if (tolerance > 0 && ev.finite() && av.finite() && !ev.zero() && !av.zero()
                    && X87Value.ulpsBetween(ev, av).compareTo(BigInteger.valueOf(tolerance)) <= 0) {
                continue;
            }
            String ulps = ev.finite() && av.finite() ? " (" + X87Value.ulpsBetween(ev, av) + " ulps"
                    + (tolerance > 0 ? ", allowed " + tolerance : "") + ")" : "";
            out.add("ST" + i + " " + e[i] + " = " + ev.describe() + " expected, got " + a[i] + " = " + av.describe()
                    + ulps);
        }
    }

    private static final String[] STATUS_BITS = {"IE", "DE", "ZE", "OE", "UE", "PE", "SF", "ES", "C0", "C1", "C2",
        "TOP", "", "", "C3", "B"};

    /** Names the status-word bits set in {@code diff}; the three TOP bits count as one field. */
    static String statusBits(int diff) {
        int fields = (diff & ~0x3000) | ((diff & 0x3800) != 0 ? 0x0800 : 0);
        StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < 16; bit++) {
            if ((fields & (1 << bit)) != 0) {
                sb.append(sb.length() == 0 ? "" : " ").append(STATUS_BITS[bit]);
            }
        }
        return sb.toString();
    }

    static String eflagsBits(int diff) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "", "", "", "OF"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((diff & (1 << bit)) != 0 && !names[bit].isEmpty()) {
                sb.append(sb.length() == 0 ? "" : " ").append(names[bit]);
            }
        }
        return sb.toString();
    }
}

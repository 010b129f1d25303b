package dev.strata.guests.x87;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class X87LineComparisonTest {

    private static List<String> diff(String expected, String actual) {
        return X87LineComparison.differences(X87ResultLine.parse(expected), X87ResultLine.parse(actual));
    }

    @Test
    void arithmeticMustMatchToTheBit() {
        List<String> d = diff("000001 FADD c=037F a=3FFF8000000000000000 b=3FFF8000000000000000 r=40008000000000000000 s=3800",
                "000001 FADD c=037F a=3FFF8000000000000000 b=3FFF8000000000000000 r=40008000000000000001 s=3800");
        assertEquals(1, d.size(), d.toString());
        assertTrue(d.get(0).contains("1 ulps"), d.get(0));
    }

    @Test
    void boundedTranscendentalsMayDifferByOneUlpWhenRoundingToNearestAndTwoOtherwise() {
        String e = "000002 F2XM1 c=037F a=3FFE8000000000000000 r=3FFDD413CCCFE7799211 s=3820";
        assertTrue(diff(e, e.replace("9211 s", "9212 s")).isEmpty());
        assertEquals(1, diff(e, e.replace("9211 s", "9213 s")).size());
        String up = e.replace("c=037F", "c=0B7F");
        assertTrue(diff(up, up.replace("9211 s", "9213 s")).isEmpty());
        assertEquals(1, diff(up, up.replace("9211 s", "9214 s")).size());
    }

    @Test
    void sineIsComparedWithinTheDoublePrecisionOfTheReference() {
        String e = "000003 FSIN c=037F a=3FFE8000000000000000 r=3FFDF57743C1BD8E4000 s=3800";
        assertTrue(diff(e, e.replace("8E4000 s", "8E7000 s")).isEmpty());
        assertEquals(1, diff(e, e.replace("8E4000 s", "8F4000 s")).size());
    }

    @Test
    void nansAndStatusBitsAreExactAndNamed() {
        String e = "000004 FSIN c=037F a=3FFE8000000000000000 r=FFFFC000000000000000 s=3801";
        List<String> d = diff(e, e.replace("r=FFFFC", "r=7FFFC").replace("s=3801", "s=3A20"));
        assertEquals(2, d.size(), d.toString());
        assertTrue(d.get(1).endsWith("IE PE C1 differ"), d.get(1));
    }

    @Test
    void gridKeysCountUlpsAcrossBinadesAndIntoDenormals() {
        X87Value oneBelowTwo = X87Value.parse("3FFFFFFFFFFFFFFFFFFF");
        X87Value two = X87Value.parse("40008000000000000000");
        assertEquals(BigInteger.ONE, X87Value.ulpsBetween(oneBelowTwo, two));
        X87Value largestDenormal = X87Value.parse("00007FFFFFFFFFFFFFFF");
        X87Value smallestNormal = X87Value.parse("00018000000000000000");
        assertEquals(BigInteger.ONE, X87Value.ulpsBetween(largestDenormal, smallestNormal));
        assertEquals("+1.00000000000000000000", X87Value.parse("3FFF8000000000000000").describe());
        assertEquals("-infinity", X87Value.parse("FFFF8000000000000000").describe());
    }

    @Test
    void reportCountsMatchesPerOperationAndShowsDecodedExamples() {
        List<String> expected = List.of("# header", "000001 FADD c=037F a=3FFF8000000000000000 r=3FFF8000000000000000 s=3800",
                "000002 FMUL c=037F a=3FFF8000000000000000 r=3FFF8000000000000000 s=3800", "checksum 00000000 x87 differential done");
        List<String> actual = List.of("000001 FADD c=037F a=3FFF8000000000000000 r=3FFF8000000000000000 s=3800",
                "000002 FMUL c=037F a=3FFF8000000000000000 r=3FFF8000000000000000 s=3820", "checksum 00000001 x87 differential done");
        X87DiffReport report = X87DiffReport.compare(expected, actual);
        assertEquals(2, report.tests());
        assertEquals(1, report.matched());
        assertTrue(!report.allMatch());
        String summary = report.summary();
        assertTrue(summary.contains("FMUL") && summary.contains("PE differ") && summary.contains("a = +1.0"), summary);
        assertTrue(summary.contains("checksum 00000001"), summary);
    }

    @Test
    void checksumMayDifferOnlyWhenEveryTestMatchedAndSomeWithinTolerance() {
        String sin = "000001 FSIN c=037F a=3FFE8000000000000000 r=3FFDF57743C1BD8E4000 s=3800";
        List<String> expected = List.of(sin, "checksum 00000000 x87 differential done");
        X87DiffReport within = X87DiffReport.compare(expected,
                List.of(sin.replace("8E4000", "8E4001"), "checksum 00000001 x87 differential done"));
        assertTrue(within.allMatch(), within.summary());
        X87DiffReport exact = X87DiffReport.compare(expected, List.of(sin, "checksum 00000001 x87 differential done"));
        assertTrue(!exact.allMatch(), exact.summary());
        X87DiffReport missing = X87DiffReport.compare(expected, List.of(sin.replace("8E4000", "8E4001")));
        assertTrue(!missing.allMatch(), missing.summary());
    }
}

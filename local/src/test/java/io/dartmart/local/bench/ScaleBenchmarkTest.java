package io.dartmart.local.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./dart bench-scale} on a small history (3,000 actions): every route it times still answers, and answers
 * rightly (the benchmark checks each answer before timing it and fails on a wrong one). Figures are not asserted.
 */
class ScaleBenchmarkTest {
    @Test
    void everyRouteOfTheScaleBenchmarkAnswersRightlyOnASmallHistory() throws Exception {
        Map<String, ScaleBenchmark.Figures[]> figures = ScaleBenchmark.run(3000, 1, 1);
        assertEquals(20, figures.size(), figures.keySet().toString());
        figures.values().forEach(f -> assertTrue(f[0].perSecond() > 0 && f[1].perSecond() > 0));
    }
}

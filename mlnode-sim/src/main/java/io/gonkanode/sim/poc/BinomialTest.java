package io.gonkanode.sim.poc;

/**
 * The one-sided binomial test the real validator runs ({@code scipy.stats.binomtest(k, n, p,
 * alternative='greater')}): the probability of seeing at least {@code k} mismatches among {@code n}
 * nonces when each mismatches with probability {@code p}.
 */
public final class BinomialTest {

    private BinomialTest() {
    }

    public static double pValueAtLeast(int k, int n, double p) {
        if (k <= 0) {
            return 1.0;
        }
        if (k > n) {
            return 0.0;
        }
        if (p <= 0) {
            return 0.0;
        }
        if (p >= 1) {
            return 1.0;
        }
        double[] logFactorial = new double[n + 1];
        for (int i = 2; i <= n; i++) {
            logFactorial[i] = logFactorial[i - 1] + Math.log(i);
        }
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        double sum = 0;
        for (int i = k; i <= n; i++) {
            sum += Math.exp(logFactorial[n] - logFactorial[i] - logFactorial[n - i] + i * logP + (n - i) * logQ);
        }
        return Math.min(1.0, sum);
    }
}

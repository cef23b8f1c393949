package io.gonkanode.protocol.proofs;

/**
 * Go's {@code math/rand} (v1) generator as {@code rand.New(rand.NewSource(seed))} gives it, reproduced so that a
 * sample drawn here is the sample an upstream validator draws (writes spec §6.4): the additive lagged Fibonacci
 * generator {@code y(k) = y(k-607) + y(k-273) mod 2^64}, seeded by xoring a Park-Miller sequence of the seed into
 * Go's "cooked" start state, with {@code Intn}'s rejection sampling.
 *
 * <p>The cooked state is what Go's table holds: the register after 7.8e12 steps of the generator seeded from 1 with
 * Go's generating program's seeding. We compute it here rather than carry Go's table: the recurrence is linear,
 * so 7.8e12 steps are {@code x^N mod (x^607 - x^334 - 1)} by repeated squaring (about 40 polynomial products).
 */
public final class GoRand {

    static final int LEN = 607;
    static final int TAP = 273;
    private static final long MASK63 = Long.MAX_VALUE;
    private static final int INT32_MAX = Integer.MAX_VALUE;
    /** Steps Go's generating program runs before it prints the register. */
    static final long COOKING_STEPS = 7_800_000_000_000L;

    private final long[] vec = new long[LEN];
    private int tap;
    private int feed;

    /** {@code rand.New(rand.NewSource(seed))}. */
    public GoRand(long seed) {
        long[] start = cooked();
        tap = 0;
        feed = LEN - TAP;
        long s = seed % INT32_MAX;
        if (s < 0) {
            s += INT32_MAX;
        }
        if (s == 0) {
            s = 89482311;
        }
        int x = (int) s;
        for (int i = -20; i < LEN; i++) {
            x = seedrand(x);
            if (i >= 0) {
                long u = (long) x << 40;
                x = seedrand(x);
                u ^= (long) x << 20;
                x = seedrand(x);
                u ^= x;
                vec[i] = u ^ start[i];
            }
        }
    }

    /** x(n+1) = 48271 · x(n) mod (2^31 − 1). */
    static int seedrand(int x) {
        return (int) ((48271L * x) % INT32_MAX);
    }

    public long uint64() {
        if (--tap < 0) {
            tap += LEN;
        }
        if (--feed < 0) {
            feed += LEN;
        }
        long x = vec[feed] + vec[tap];
        vec[feed] = x;
        return x;
    }

    public long int63() {
        return uint64() & MASK63;
    }

    public int int31() {
        return (int) (int63() >>> 32);
    }

    /** {@code Rand.Int31n}: uniform in [0, n), rejecting the top of the range as Go does. */
    public int int31n(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("invalid argument to Int31n: " + n);
        }
        if ((n & (n - 1)) == 0) {
            return int31() & (n - 1);
        }
        int max = (int) ((1L << 31) - 1 - (1L << 31) % n);
        int v = int31();
        while (v > max) {
            v = int31();
        }
        return v % n;
    }

    /** {@code Rand.Intn} for n up to 2^31 − 1 (every count a store can hold). */
    public int intn(long n) {
        if (n <= 0 || n > INT32_MAX) {
            throw new IllegalArgumentException("Intn needs 0 < n < 2^31, got " + n);
        }
        return int31n((int) n);
    }

    /** The cooked start register (Go's {@code rngCooked}), computed when first needed. */
    static long[] cooked() {
        return Cooked.TABLE;
    }

    /** Holds the table: the JVM initialises it once, on first use, thread-safely. */
    private static final class Cooked {
        static final long[] TABLE = cook();
    }

    /**
     * Go's generating program: seed with 1 (shifts 20 and 10), run {@link #COOKING_STEPS} steps, print the register.
     * The k-th output is {@code y(k) = y(k−607) + y(k−273)}, with {@code y(j) = v0[(334 − j) mod 607]} for
     * j in [−606, 0], and after N steps slot {@code (334 − k) mod 607} holds {@code y(k)} for k in [N−606, N].
     * {@code y(n)} is the dot product of the start values with the coefficients of {@code x^(n+606) mod P}.
     */
    private static long[] cook() {
        long[] v0 = new long[LEN];
        int x = 1;
        for (int i = -20; i < LEN; i++) {
            x = seedrand(x);
            if (i >= 0) {
                long u = (long) x << 20;
                x = seedrand(x);
                u ^= (long) x << 10;
                x = seedrand(x);
                u ^= x;
                v0[i] = u;
            }
        }
        long[] init = new long[LEN]; // init[i] = y(i − 606)
        for (int i = 0; i < LEN; i++) {
            init[i] = v0[Math.floorMod(334 - (i - 606), LEN)];
        }
        long n = COOKING_STEPS;
        long[] c = power(n); // y(N − 606) ↔ x^((N − 606) + 606)
        long[] out = new long[LEN];
        for (long k = n - 606; k <= n; k++) {
            long y = 0;
            for (int i = 0; i < LEN; i++) {
                y += c[i] * init[i];
            }
            out[Math.floorMod(334 - k, LEN)] = y;
            c = timesX(c);
        }
        return out;
    }

    /** x^e mod P, P = x^607 − x^334 − 1, coefficients mod 2^64. */
    private static long[] power(long e) {
        long[] result = new long[LEN];
        result[0] = 1;
        for (int bit = 63 - Long.numberOfLeadingZeros(Math.max(e, 1)); bit >= 0; bit--) {
            result = times(result, result);
            if (((e >>> bit) & 1) == 1) {
                result = timesX(result);
            }
        }
        return result;
    }

    private static long[] timesX(long[] a) {
        long[] r = new long[LEN];
        System.arraycopy(a, 0, r, 1, LEN - 1);
        long top = a[LEN - 1];
        r[LEN - TAP] += top; // x^607 = x^334 + 1
        r[0] += top;
        return r;
    }

    private static long[] times(long[] a, long[] b) {
        long[] p = new long[2 * LEN - 1];
        for (int i = 0; i < LEN; i++) {
            long ai = a[i];
            if (ai == 0) {
                continue;
            }
            for (int j = 0; j < LEN; j++) {
                p[i + j] += ai * b[j];
            }
        }
        for (int d = 2 * LEN - 2; d >= LEN; d--) {
            long t = p[d];
            if (t != 0) {
                p[d - TAP] += t; // x^d = x^(d−273) + x^(d−607)
                p[d - LEN] += t;
                p[d] = 0;
            }
        }
        long[] r = new long[LEN];
        System.arraycopy(p, 0, r, 0, LEN);
        return r;
    }
}

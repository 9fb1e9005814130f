// The parts of GNU GSL that bystander uses: random number generators, distributions,
// statistics, quasi-random sequences and the cumulative distribution functions.
#include <gsl/gsl_version.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_qrng.h>

// GSL exposes generator types and its version as mutable globals; Swift 6 rejects reading
// mutable C globals from concurrent code, so read them through functions.
static inline const gsl_rng_type *bystander_rng_taus2(void) { return gsl_rng_taus2; }
static inline const char *bystander_gsl_version(void) { return gsl_version; }
static inline const gsl_qrng_type *bystander_qrng_sobol(void) { return gsl_qrng_sobol; }

// GSL's taus2 step (gsl/rng/taus.c, taus_get) inlined, on the generator's own state, so a
// uniform costs a few instructions instead of two indirect calls. Same numbers as
// gsl_rng_uniform and gsl_rng_uniform_int for a taus2 generator (min 0, max 2^32 - 1).
typedef struct { unsigned long int s1, s2, s3; } bystander_taus_state;
static inline unsigned long int bystander_taus_get(const gsl_rng *r) {
    bystander_taus_state *st = (bystander_taus_state *) r->state;
#define BYSTANDER_TAUS(s, a, b, c, d) ((((s) & (c)) << (d)) & 0xffffffffUL) ^ (((((s) << (a)) & 0xffffffffUL) ^ (s)) >> (b))
    st->s1 = BYSTANDER_TAUS(st->s1, 13, 19, 4294967294UL, 12);
    st->s2 = BYSTANDER_TAUS(st->s2, 2, 25, 4294967288UL, 4);
    st->s3 = BYSTANDER_TAUS(st->s3, 3, 11, 4294967280UL, 17);
#undef BYSTANDER_TAUS
    return st->s1 ^ st->s2 ^ st->s3;
}
static inline double bystander_taus_uniform(const gsl_rng *r) { return bystander_taus_get(r) / 4294967296.0; }
static inline unsigned long int bystander_taus_uniform_int(const gsl_rng *r, unsigned long int n) {
    unsigned long int scale = 0xffffffffUL / n, k;
    do { k = bystander_taus_get(r) / scale; } while (k >= n);
    return k;
}

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

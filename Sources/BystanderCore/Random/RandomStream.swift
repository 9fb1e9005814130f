import CGSL

/// A GSL random number generator of one explicit type, owned by one run and one mechanism.
///
/// Type: `gsl_rng_taus2`, L'Ecuyer's maximally equidistributed combined Tausworthe generator
/// (period about 2^88, passes the standard empirical batteries). Chosen over MT19937 because
/// seeding it costs a handful of operations rather than 624 words of state: the model gives
/// every mechanism a fresh substream each week, `derive(runSeed, mechanism, week)`, which keeps
/// a mechanism's draws in week t identical across regimes even when earlier weeks consumed a
/// different number of variates. GSL seeds taus2 from 32 bits of the derived seed.
///
/// All distributions are GSL's. The generator is not shared between threads.
public final class RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>

    public init(seed: UInt64) {
        guard let rng = gsl_rng_alloc(bystander_rng_taus2()) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        self.rng = rng
        reseed(seed)
    }

    deinit { gsl_rng_free(rng) }

    /// Restart the stream from a seed (only the low 32 bits matter to taus2, after mixing).
    @inlinable
    public func reseed(_ seed: UInt64) {
        let mixed = SeedDerivation.splitmix64(seed)
        gsl_rng_set(rng, UInt(truncatingIfNeeded: (mixed >> 32) ^ (mixed & 0xFFFF_FFFF)))
    }

    /// Uniform on [0, 1).
    @inlinable public func uniform() -> Double { bystander_taus_uniform(rng) }

    /// True with probability p (one uniform is consumed whatever p is).
    @inlinable public func bernoulli(_ p: Double) -> Bool { uniform() < p }

    @inlinable public func gaussian(sd: Double) -> Double { gsl_ran_gaussian(rng, sd) }

    /// Lognormal with median exp(zeta) and log-scale sd sigma.
    @inlinable public func lognormal(zeta: Double, sigma: Double) -> Double {
        gsl_ran_lognormal(rng, zeta, sigma)
    }

    @inlinable public func beta(_ a: Double, _ b: Double) -> Double { gsl_ran_beta(rng, a, b) }

    /// Poisson. GSL's sampler counts in `unsigned int` and does not terminate for means
    /// beyond 2^32, so above `largeMean` the count is drawn from its normal limit (GSL
    /// Gaussian), whose relative error there is below 1e-4.
    @inlinable public func poisson(mean: Double) -> Double {
        guard mean > 0, mean.isFinite else { return 0 }
        if mean > Self.largeMean { return max(0, (mean + gsl_ran_gaussian(rng, mean.squareRoot())).rounded()) }
        return Double(gsl_ran_poisson(rng, mean))
    }

    public static let largeMean = 1e9

    /// Negative binomial with the given mean and size (dispersion) k: variance mean + mean^2/k.
    /// Drawn as GSL draws it, a Poisson whose mean is Gamma(k, mean/k) (GSL's gamma), but
    /// through the guarded Poisson above, since a small k makes the mixing mean unbounded.
    @inlinable public func negativeBinomial(mean: Double, size: Double) -> Double {
        guard mean > 0, mean.isFinite else { return 0 }
        return poisson(mean: gsl_ran_gamma(rng, size, mean / size))
    }
}

/// GSL's version string, for manifests.
public var gslVersionString: String { String(cString: bystander_gsl_version()) }

/// GSL aborts the process on a domain error by default; the model validates its inputs
/// and must never abort a whole sweep, so the handler is turned off once at start-up.
public func disableGSLAbortHandler() { _ = gsl_set_error_handler_off() }

extension RandomStream {
    /// GSL's in-place shuffle of `count` elements of `size` bytes.
    public func shuffle(_ base: UnsafeMutableRawPointer, count: Int, size: Int) {
        gsl_ran_shuffle(rng, base, count, size)
    }
}

extension RandomStream {
    /// Uniform integer in 0..<n, n >= 1 (GSL's unbiased `gsl_rng_uniform_int`).
    @inlinable public func uniformInt(_ n: Int) -> Int { Int(bystander_taus_uniform_int(rng, UInt(n))) }
}

/// One GSL generator per mechanism, reseeded every week from the run seed, the mechanism and
/// the week: the same replicate seed gives the same draws of a mechanism under every regime.
struct Streams {
    let seed: UInt64
    private let generators = Mechanism.allCases.map { _ in RandomStream(seed: 0) }
    init(seed: UInt64) { self.seed = seed }

    func stream(_ m: Mechanism, week: Int) -> RandomStream {
        let r = generators[Int(m.rawValue) - 1]
        r.reseed(SeedDerivation.derive(seed, m.rawValue, UInt64(week)))
        return r
    }
}

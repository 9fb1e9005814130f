/// Seeds for runs and for the random streams inside a run.
///
/// Every seed is a pure function of the root seed and small integer coordinates, so a run
/// can be repeated on its own, in any order, on any thread or machine:
///
///     derive(root, a, b, ...) = s_k  where  s_0 = root,  s_{i+1} = splitmix64(s_i XOR part_i)
///
/// `splitmix64` is the output function of Steele, Lea & Flood's SplitMix64 generator
/// (OOPSLA 2014), a bijective 64-bit mixer: nearby coordinates give unrelated seeds.
public enum SeedDerivation {
    /// SplitMix64: add the golden-ratio increment, then the variant-13 finaliser.
    @inlinable
    public static func splitmix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable
    public static func derive(_ root: UInt64, _ parts: UInt64...) -> UInt64 {
        var state = root
        for part in parts { state = splitmix64(state ^ part) }
        return state
    }

    /// The same fold for two parts, without the variadic array (a stack object per call):
    /// every run derives a stream seed this way for each mechanism it uses in each week.
    @inlinable
    public static func derive(_ root: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
        splitmix64(splitmix64(root ^ a) ^ b)
    }

    /// The seed of one run: (root seed, design point, replicate). The regime is deliberately
    /// not a coordinate, so every regime meets the same random numbers (common random numbers).
    @inlinable
    public static func runSeed(root: UInt64, point: Int, replicate: Int) -> UInt64 {
        derive(root, UInt64(point), UInt64(replicate))
    }

    /// The seed of the synthetic world: drawn once from the root seed, so that all points
    /// and replicates of an experiment share one world unless world parameters change.
    @inlinable
    public static func worldSeed(root: UInt64) -> UInt64 {
        derive(root, 0x574F_524C_44) // "WORLD"
    }
}

/// The mechanisms of the model, each with its own random stream (brief section 4: separate
/// random streams per mechanism, so that regimes can be compared with common random numbers).
public enum Mechanism: UInt64, CaseIterable, Sendable {
    case crisis = 1     // onset, escalation, settlement: three uniforms every week
    case deaths = 2     // weekly death counts
    case signals = 3    // early-warning noise
    case decisions = 4  // bystander decisions
    case council = 5    // vote noise, host consent
    case missions = 6   // force generation, casualties, withdrawals
    case holders = 7    // decisions of duty holders that could not act as volunteers
    case holderPledges = 8 // troop pledges of assist-holders not aware of the crisis
    case ranking = 9    // each run's noisy reading of the capacity criterion (capacity_based)
}

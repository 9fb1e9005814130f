import Foundation // exp, log, pow

/// An error in the model's inputs found while building a world; `path` is the config key.
public struct ModelInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(_ path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

/// The states of one world, stored as parallel arrays (one entry per state) because the
/// weekly loop reads each attribute across all states.
public struct World: Sendable, Equatable {
    public var iso: [String] = []
    public var group: [RegionalGroup] = []
    public var military: [Double] = []
    public var economic: [Double] = []
    public var diplomatic: [Double] = []
    public var distanceKm: [Double] = []
    public var contiguous: [Bool] = []
    public var links: [Links] = []
    public var costSensitivity: [Double] = []
    public var troopPropensity: [Double] = []
    /// Index of the territorial state.
    public var territorial = 0
    /// Council seats: permanent members first, then the elected members of each year of the
    /// horizon (`electedByYear[y]` holds seat occupants for year y).
    public var permanent: [Int] = []
    public var electedByYear: [[Int]] = []
    public var pledged: [Bool] = []

    public init() {}
    public var count: Int { iso.count }

    /// Composite capacity: the geometric mean of the three components (median state = 1).
    public func capacity(_ i: Int) -> Double { cbrt(military[i] * economic[i] * diplomatic[i]) }

    public mutating func append(iso: String, group: RegionalGroup) {
        self.iso.append(iso); self.group.append(group)
        military.append(1); economic.append(1); diplomatic.append(1)
        distanceKm.append(0); contiguous.append(false); links.append(Links())
        costSensitivity.append(1); troopPropensity.append(0); pledged.append(false)
    }

    /// Council members sitting in a given week.
    public func councilMembers(week: Int) -> [Int] {
        guard !electedByYear.isEmpty else { return permanent }
        return permanent + electedByYear[min(week / 52, electedByYear.count - 1)]
    }
}

/// Builds the synthetic world from its parameters and one random stream (deterministic in
/// the seed). Named states keep what the config gives them; everything else is drawn.
public enum WorldBuilder {
    public static func synthetic(_ p: ModelParameters, seed: UInt64) throws -> World {
        let w = p.world
        let rng = RandomStream(seed: seed)
        var world = World()
        var seen = Set<String>()
        for s in w.named where !seen.insert(s.iso).inserted {
            throw ModelInputError("world.states.\(s.iso)", "the state is given twice")
        }
        let total = w.stateCount
        guard total >= w.named.count + (w.named.contains { $0.iso == p.crisis.territorialState } ? 0 : 1) else {
            throw ModelInputError("world.states", "\(w.named.count) named states and the territorial state do not fit in world.count = \(total)")
        }
        // 1. Identities and groups: the territorial state first, then named states, then
        // background states allotted to groups in proportion to UN membership.
        var territorialNamed = w.named.first { $0.iso == p.crisis.territorialState }
        if territorialNamed == nil { territorialNamed = NamedState(iso: p.crisis.territorialState) }
        var specs: [NamedState] = [territorialNamed!] + w.named.filter { $0.iso != p.crisis.territorialState }
        specs[0].group = specs[0].group ?? p.crisis.territorialGroup
        var groupCounts = RegionalGroup.allCases.map { Double($0.memberCount) / 193.0 * Double(total) }
        for s in specs { if let g = s.group { groupCounts[g.rawValue] -= 1 } }
        let background = total - specs.count
        let groups = apportion(weights: groupCounts.map { max(0, $0) }, total: background)
        let namedCount = specs.count // specs[0..<namedCount] come from the config (or are the territorial state)
        var serial = 1
        for g in RegionalGroup.allCases {
            for _ in 0..<groups[g.rawValue] {
                var s = NamedState(iso: String(format: "S%03d", serial)); serial += 1
                s.group = g
                specs.append(s)
            }
        }
        // Named states without a group get one uniformly at random (from the world stream).
        for i in specs.indices where specs[i].group == nil {
            specs[i].group = RegionalGroup.allCases[Int(rng.uniform() * 5) % 5]
        }
        let crisisGroup = specs[0].group!
        // 2. Capacities (correlated lognormal components), distances, links.
        let rho = w.capacityCorrelation
        for s in specs {
            world.append(iso: s.iso, group: s.group!)
            let i = world.count - 1
            let common = rng.gaussian(sd: 1)
            func component(_ given: Double?) -> Double {
                let own = rng.gaussian(sd: 1) // always drawn, so named states do not shift the stream
                return given ?? exp(w.capacityLogSD * (rho.squareRoot() * common + (1 - rho).squareRoot() * own))
            }
            world.military[i] = component(s.military)
            world.economic[i] = component(s.economic)
            world.diplomatic[i] = component(s.diplomatic)
            let median = s.group == crisisGroup ? w.sameRegionDistanceKm : w.otherRegionDistanceKm
            let drawnDistance = rng.lognormal(zeta: log(median), sigma: w.distanceLogSD)
            world.distanceKm[i] = i == 0 ? 0 : (s.distanceKm ?? drawnDistance)
            world.contiguous[i] = s.contiguous ?? false
            let m = w.backgroundAlignmentMean, c = w.backgroundAlignmentConcentration
            let drawnAlignment = m > 0 ? rng.beta(m * c, (1 - m) * c) : { _ = rng.uniform(); return 0 }()
            let tieDraw = rng.uniform()
            if i < namedCount {
                world.links[i] = s.links
            } else {
                world.links[i].alignment = drawnAlignment
                if s.group == crisisGroup && tieDraw < w.backgroundTieShare { world.links[i].tie = w.backgroundTieWeight }
            }
            let drawnSensitivity = rng.lognormal(zeta: 0, sigma: w.costSensitivityLogSD) // drawn always: a given value does not shift later draws
            world.costSensitivity[i] = s.costSensitivity ?? drawnSensitivity
            world.troopPropensity[i] = s.troopPropensity ?? -1 // filled below from economic rank
        }
        // 3. Neighbours: the nearest background states of the crisis region become contiguous.
        let candidates = world.iso.indices.filter { $0 != 0 && world.group[$0] == crisisGroup && specs[$0].contiguous == nil }
        for i in candidates.sorted(by: { (world.distanceKm[$0], $0) < (world.distanceKm[$1], $1) }).prefix(w.neighbours) {
            world.contiguous[i] = true
            if specs[i].distanceKm == nil { world.distanceKm[i] = min(world.distanceKm[i], w.neighbourDistanceKm) }
        }
        // 4. Troop propensity falls with economic rank (developed states under-contribute).
        let order = world.economic.indices.sorted { (world.economic[$0], $0) < (world.economic[$1], $1) }
        for (rank, i) in order.enumerated() where world.troopPropensity[i] < 0 {
            let percentile = total > 1 ? Double(rank) / Double(total - 1) : 0
            world.troopPropensity[i] = w.troopPropensityBase * (1 - w.troopDevelopedDiscount * percentile)
        }
        try seatCouncil(&world, p, rng: rng)
        return world
    }

    /// Largest-remainder apportionment of `total` seats by weights.
    static func apportion(weights: [Double], total: Int) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0, total > 0 else { return weights.map { _ in 0 } + [] }
        let quotas = weights.map { $0 / sum * Double(total) }
        var seats = quotas.map { Int($0) }
        let order = quotas.indices.sorted { (quotas[$0] - Double(seats[$0]), -$0) > (quotas[$1] - Double(seats[$1]), -$1) }
        var left = total - seats.reduce(0, +)
        for i in order where left > 0 { seats[i] += 1; left -= 1 }
        return seats
    }

    /// Seats the Council: the permanent members named by the config, elected members either
    /// given or drawn by regional quota, and (with rotation) half the elected seats renewed
    /// each year of the horizon, as in the real two-year staggered terms.
    static func seatCouncil(_ world: inout World, _ p: ModelParameters, rng: RandomStream) throws {
        let c = p.council
        let index = Dictionary(uniqueKeysWithValues: world.iso.enumerated().map { ($1, $0) })
        world.permanent = try c.permanent.enumerated().map { k, iso in
            guard let i = index[iso] else { throw ModelInputError("council.permanent[\(k)]", "\(iso) is not a state of the world (add it under world.states)") }
            return i
        }
        for (k, iso) in c.pledged.enumerated() {
            guard let i = index[iso] else { throw ModelInputError("council.veto_restraint_pledges[\(k)]", "\(iso) is not a state of the world") }
            world.pledged[i] = true
        }
        for (k, iso) in p.missions.initialContributors.enumerated() where index[iso] == nil {
            throw ModelInputError("missions.initial.contributors[\(k)]", "\(iso) is not a state of the world")
        }
        guard c.enabled else { world.electedByYear = []; return }
        let years = max(1, (p.horizonWeeks + 51) / 52)
        let permanentSet = Set(world.permanent)
        func draw(group: RegionalGroup, count: Int, excluding: Set<Int>) throws -> [Int] {
            // The territorial state is not drawn (it can still be listed in council.elected).
            var pool = world.iso.indices.filter { world.group[$0] == group && $0 != world.territorial && !permanentSet.contains($0) && !excluding.contains($0) }
            guard pool.count >= count else {
                throw ModelInputError("council.elected_seats.\(group.key)", "needs \(count) members but the group has only \(pool.count) eligible states")
            }
            var out: [Int] = []
            for _ in 0..<count { out.append(pool.remove(at: Int(rng.uniform() * Double(pool.count)))) }
            return out
        }
        var first: [Int]
        if !c.elected.isEmpty {
            first = try c.elected.enumerated().map { k, iso in
                guard let i = index[iso] else { throw ModelInputError("council.elected[\(k)]", "\(iso) is not a state of the world") }
                if permanentSet.contains(i) { throw ModelInputError("council.elected[\(k)]", "\(iso) is already a permanent member") }
                return i
            }
            guard Set(first).count == first.count else { throw ModelInputError("council.elected", "a state is listed twice") }
        } else {
            first = []
            for g in RegionalGroup.allCases { first += try draw(group: g, count: c.electedSeats[g.rawValue], excluding: []) }
        }
        world.electedByYear = [first]
        for y in 1..<years {
            var seats = world.electedByYear[y - 1]
            guard c.rotateElected else { world.electedByYear.append(seats); continue }
            // Renew every other seat: seats alternate between the two cohorts.
            let sitting = Set(seats)
            for s in seats.indices where s % 2 == y % 2 {
                let g = world.group[seats[s]]
                if let newcomer = try? draw(group: g, count: 1, excluding: sitting.union(seats)).first { seats[s] = newcomer }
            }
            world.electedByYear.append(seats)
        }
    }
}

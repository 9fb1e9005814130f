import Foundation

/// Step 6: peace operations. Force generation from national pledges with a deployment lag,
/// casualties and withdrawals, drawdown when the crisis ends, and the troops' weekly burden.
struct Missions {
    /// A pending or deployed national contingent (state -1: contributors not named).
    struct Contingent { var state: Int; var troops: Double; var arrivalWeek: Int }
    let s: Scenario
    let mp: MissionParameters
    var mandate: Mandate
    var authorised = 0.0
    var contingents: [Contingent] = []
    /// Troops deployed this week.
    var deployed = 0.0
    /// Whether any state pledged troops this week.
    var pledged = false

    init(_ s: Scenario, out: inout RunOutcome) {
        self.s = s
        mp = s.parameters.missions
        mandate = mp.initialMandate
        if mp.initialTroops > 0 && mandate != .none {
            authorised = mp.initialTroops
            let contributors = mp.initialContributors.compactMap { iso in s.world.iso.firstIndex(of: iso) }
            let share = mp.initialTroops / Double(max(1, contributors.count))
            contingents = contributors.isEmpty ? [Contingent(state: -1, troops: mp.initialTroops, arrivalWeek: 0)]
                : contributors.map { Contingent(state: $0, troops: share, arrivalWeek: 0) }
        }
        out.troopsAuthorised = authorised
    }

    /// A mandate adopted by the Council.
    mutating func authorise(_ m: Mandate, troops: Double) {
        mandate = max(mandate, m); authorised = max(authorised, troops)
    }

    /// Whether a contingent is on the ground in week t.
    func anyDeployed(week t: Int) -> Bool { contingents.contains { $0.arrivalWeek <= t } }

    mutating func step(week t: Int, crisis: CrisisDynamics, information info: Information, duties: inout Duties,
                       burden: inout [Double], bound: inout Int, streams: Streams, out: inout RunOutcome) {
        let world = s.world, b = s.parameters.bystanders
        pledged = false
        if mandate >= .protect && crisis.active {
            let rng = streams.stream(.missions, week: t)
            let salience = info.salience
            var gap = authorised - contingents.reduce(0) { $0 + $1.troops }
            if gap > 0 {
                var volunteers = 0
                let cut = mp.contributorMaxAlignment
                for i in s.bystanders where info.aware(attention: s.attention[i]) && world.links[i].alignment < cut { volunteers += 1 }
                // Assist-holders not aware of the crisis draw from their own stream (see Decisions).
                var own: RandomStream? = nil
                for i in s.bystanders where gap > 0 && world.links[i].alignment < cut {
                    let isAware = info.aware(attention: s.attention[i])
                    let holder = duties.held[i].contains(.assist)
                    guard holder || isAware else { continue }
                    let u: Double
                    if isAware { u = rng.uniform() } else {
                        if own == nil { own = streams.stream(.holderPledges, week: t) }
                        u = own!.uniform()
                    }
                    let cost = b.troopWeekCost * mp.contingentSize * mp.expectedDeploymentWeeks / s.costDivisor[i]
                    let benefit = b.benefitScale * salience * s.concern[i]
                    let base = isAware ? world.troopPropensity[i] * VolunteersDilemma.actProbability(cost: cost, benefit: benefit, poolSize: volunteers) : 0
                    var pledge = false
                    if holder {
                        bound += 1
                        pledge = u < duties.compliance(i, base: base, cost: cost)
                        if !pledge { duties.breach(.assist, by: i, out: &out) }
                        duties.observe(i, honoured: pledge)
                    } else { pledge = u < base }
                    if pledge {
                        let troops = min(gap, mp.contingentSize)
                        contingents.append(Contingent(state: i, troops: troops, arrivalWeek: t + mp.deploymentLagWeeks))
                        gap -= troops
                        pledged = true
                    }
                }
            }
            // Casualties fall on deployed contingents; a contributor may withdraw (Rwanda, 1994).
            var withdrawn = Set<Int>()
            for k in contingents.indices where contingents[k].arrivalWeek <= t && contingents[k].state >= 0 {
                let i = contingents[k].state
                let casualties = rng.poisson(mean: mp.casualtyRate * contingents[k].troops * crisis.effectiveStrength)
                if casualties > 0 && rng.uniform() < 1 - exp(-mp.withdrawalSensitivity * world.costSensitivity[i] * casualties) {
                    withdrawn.insert(i)
                }
            }
            if !withdrawn.isEmpty { contingents.removeAll { withdrawn.contains($0.state) } }
        }
        if !crisis.active { contingents.removeAll() } // missions draw down once the crisis has ended
        deployed = 0
        for k in contingents where k.arrivalWeek <= t {
            deployed += k.troops
            if k.state >= 0 { burden[k.state] += b.troopWeekCost * k.troops }
        }
        out.troopsDeployedPeak = max(out.troopsDeployedPeak, deployed)
        out.troopWeeks += deployed
    }
}

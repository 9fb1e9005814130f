/// What the bystanders did this week, summed for the effects step and the record.
struct WeekActions {
    var leverage = 0.0, sanctions = 0.0, force = 0.0, assistance = 0.0
    var acting = 0, aware = 0, bound = 0
}

/// Step 4: each bystander, in index order, decides on each open action in a fixed order: cut
/// support, restrain, sanction, assist, force. States without a duty (and holders of an
/// unbound one) decide as volunteers in the Volunteer's Dilemma of the capable, aware pool.
struct Decisions {
    let s: Scenario
    let b: BystanderParameters
    /// The bystanders that can act: the capable, holders of the duties to protect or assist,
    /// and supporters (who can cut support). Any other state draws nothing.
    let deciders: [Int]
    /// Holders and supporters can act unaware; a capable state with neither acts only when aware.
    let actsUnaware: [Bool]
    /// The restraint effort each holder of the duty to protect owes (from the regime).
    let owed: [Double]
    var supportCut: [Bool]
    var burden: [Double]
    var poolStateWeeks = 0, deferredStateWeeks = 0
    /// Share of the capable, aware states that acted this week (territorial deference).
    var engagedShare = 0.0

    init(_ s: Scenario, duties held: [DutySet], owed: [Double]) {
        self.s = s
        b = s.parameters.bystanders
        let world = s.world
        let holderOrSupporter = { (i: Int) in !held[i].isDisjoint(with: [.protect, .assist]) || world.links[i].support > 0 }
        deciders = s.bystanders.filter { s.capable[$0] || holderOrSupporter($0) }
        actsUnaware = deciders.map(holderOrSupporter)
        self.owed = owed
        supportCut = [Bool](repeating: false, count: world.count)
        burden = [Double](repeating: 0, count: world.count)
    }

    /// `unCounts`: states count the UN as one more volunteer (the Council is seized or a
    /// mission deployed).
    mutating func step(week t: Int, crisis: CrisisDynamics, information info: Information, duties: Duties,
                       unCounts: Bool, forceAuthorised: Bool, streams: Streams, out: inout RunOutcome) -> WeekActions {
        var a = WeekActions()
        let phase = crisis.phase, level = info.level, salience = info.salience
        guard crisis.active && level >= 1 else { engagedShare = 0; return a }
        let world = s.world
        let rng = streams.stream(.decisions, week: t)
        let threshold = info.p.awarenessThreshold
        let counts = s.awareCounts(salience: salience, threshold: threshold)
        a.aware = counts.all
        let capableAware = counts.capable
        let pool = capableAware + (unCounts ? 1 : 0)
        let restrainOpen = level >= 2 && phase != .latent
        let forceOpen = phase == .atrocity && (b.unilateralForce || forceAuthorised)
        for (k, i) in deciders.enumerated() {
            let isAware = salience * s.attention[i] >= threshold
            if !isAware && !actsUnaware[k] { continue }
            let held = duties.held[i]
            let benefit = b.benefitScale * salience * s.concern[i]
            let kappa = s.costDivisor[i]
            var acted = false
            // Cut support (the duty to respect binds supporters once atrocities are signalled).
            let l = world.links[i]
            if l.support > 0 && !supportCut[i] && duties.respect {
                let base = b.supporterCutPropensity * salience * (1 - l.alignment)
                let u = rng.uniform()
                if held.contains(.respect) {
                    a.bound += 1
                    if u < duties.compliance(base: base, salience: salience) { supportCut[i] = true } else { out.breachesRespect += 1 }
                } else if u < base { supportCut[i] = true }
                if supportCut[i] { acted = true }
            }
            // Restrain the perpetrator through leverage.
            if restrainOpen {
                if held.contains(.protect) && duties.protect {
                    a.bound += 1
                    if let effort = duties.holderEffort(rng.uniform(), cost: b.restrainCost, kappa: kappa, benefit: benefit,
                                                        owed: owed[i], capacity: s.capacity[i], salience: salience) {
                        burden[i] += b.restrainCost * effort; acted = true
                        a.leverage += s.leverage[i] * effort
                    } else { out.breachesProtect += 1 }
                } else if s.capable[i] && isAware {
                    poolStateWeeks += 1
                    if VolunteersDilemma.acts(rng.uniform(), cost: b.restrainCost / kappa, benefit: benefit, poolSize: pool) {
                        burden[i] += b.restrainCost; acted = true
                        a.leverage += s.leverage[i]
                    } else { deferredStateWeeks += 1 }
                }
            }
            // Targeted sanctions (unilateral; nobody holds a duty to sanction).
            if restrainOpen && s.capable[i] && isAware
                && VolunteersDilemma.acts(rng.uniform(), cost: b.sanctionCost / kappa, benefit: benefit, poolSize: pool) {
                burden[i] += b.sanctionCost; acted = true
                a.sanctions += world.economic[i]
            }
            // Prevention assistance (before mass killing starts).
            if phase != .atrocity {
                if held.contains(.assist) && duties.assist {
                    a.bound += 1
                    if let effort = duties.holderEffort(rng.uniform(), cost: b.assistCost, kappa: kappa, benefit: benefit, owed: 1,
                                                        capacity: s.capacity[i], salience: salience) {
                        burden[i] += b.assistCost * effort; acted = true
                        a.assistance += s.capacity[i] * effort
                    } else { out.breachesAssist += 1 }
                } else if s.capable[i] && isAware
                    && VolunteersDilemma.acts(rng.uniform(), cost: b.assistCost / kappa, benefit: benefit, poolSize: pool) {
                    burden[i] += b.assistCost; acted = true
                    a.assistance += s.capacity[i]
                }
            }
            // Force: only as a counterfactual switch, or once the Council authorised it.
            if forceOpen && s.capable[i] && isAware
                && VolunteersDilemma.acts(rng.uniform(), cost: b.forceCost / kappa, benefit: benefit, poolSize: pool) {
                burden[i] += b.forceCost; acted = true
                a.force += world.military[i]
            }
            if acted { a.acting += 1 }
        }
        engagedShare = capableAware > 0 ? min(1, Double(a.acting) / Double(capableAware)) : 0
        return a
    }
}

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
    mutating func step(week t: Int, crisis: CrisisDynamics, information info: Information, duties: inout Duties,
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
        // Holders that could not act as volunteers draw from their own stream, so that with no
        // pull a regime's draws on the decisions stream are those of buck-passing.
        var own: RandomStream? = nil
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
                    if u < duties.compliance(i, base: base, cost: 0) { supportCut[i] = true } else { duties.breach(.respect, by: i, out: &out) }
                    duties.observe(i, honoured: supportCut[i])
                } else if u < base { supportCut[i] = true }
                if supportCut[i] { acted = true }
            }
            // Restrain the perpetrator through leverage.
            if restrainOpen {
                if held.contains(.protect) && duties.protect {
                    a.bound += 1
                    let effort = Self.holderEffort(i, cost: b.restrainCost, capacity: s.capacity[i], kappa: kappa, benefit: benefit, owed: owed[i],
                                                   volunteer: s.capable[i] && isAware, pool: pool, duties: &duties, rng: rng,
                                                   own: &own, streams: streams, week: t, out: &out)
                    if effort > 0 {
                        burden[i] += b.restrainCost * effort; acted = true
                        a.leverage += s.leverage[i] * effort
                    } else { duties.breach(.protect, by: i, out: &out) }
                } else if s.capable[i] && isAware {
                    poolStateWeeks += 1
                    if Self.volunteers(rng.uniform(), keeps: duties.volunteerKeeps(i, .protect), cost: b.restrainCost / kappa, benefit: benefit, poolSize: pool) {
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
                    let effort = Self.holderEffort(i, cost: b.assistCost, capacity: s.capacity[i], kappa: kappa, benefit: benefit, owed: 1,
                                                   volunteer: s.capable[i] && isAware, pool: pool, duties: &duties, rng: rng,
                                                   own: &own, streams: streams, week: t, out: &out)
                    if effort > 0 {
                        burden[i] += b.assistCost * effort; acted = true
                        a.assistance += s.capacity[i] * effort
                    } else { duties.breach(.assist, by: i, out: &out) }
                } else if s.capable[i] && isAware
                    && Self.volunteers(rng.uniform(), keeps: duties.volunteerKeeps(i, .assist), cost: b.assistCost / kappa, benefit: benefit, poolSize: pool) {
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

    /// Whether a volunteer that keeps a share `keeps` of its propensity acts on draw u:
    /// u < keeps x p, p the Volunteer's Dilemma probability (exactly `acts` when keeps = 1).
    @inline(__always)
    static func volunteers(_ u: Double, keeps: Double, cost: Double, benefit: Double, poolSize: Int) -> Bool {
        keeps > 0 && VolunteersDilemma.acts(u / keeps, cost: cost, benefit: benefit, poolSize: poolSize)
    }

    /// A bound holder's restraint or assistance: the effort it gives (0: a breach). One draw:
    /// from the decisions stream when it could act as a volunteer (the draw a state without the
    /// duty would make), else from the holders' own stream. Below the volunteer's probability it
    /// acts as a volunteer does (full effort); above it, up to the compliance probability, it
    /// gives what it owes, capped by what it can bear.
    static func holderEffort(_ i: Int, cost: Double, capacity: Double, kappa: Double, benefit: Double, owed: Double, volunteer: Bool, pool: Int,
                             duties: inout Duties, rng: RandomStream, own: inout RandomStream?, streams: Streams, week t: Int,
                             out: inout RunOutcome) -> Double {
        let perceived = cost / kappa
        let u: Double, base: Double
        if volunteer {
            u = rng.uniform()
            base = VolunteersDilemma.actProbability(cost: perceived, benefit: benefit, poolSize: pool)
        } else {
            if own == nil { own = streams.stream(.holders, week: t) }
            u = own!.uniform(); base = 0
        }
        let effort = u < base ? 1 : u < duties.compliance(i, base: base, cost: perceived)
            ? duties.effort(owed: owed, capacity: capacity, cost: cost) : 0
        duties.observe(i, honoured: effort > 0)
        return effort
    }
}

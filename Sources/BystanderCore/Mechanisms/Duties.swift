/// Step 3: which of the duties the regime allotted bind this week, and the decision rule of a
/// bound holder (docs/MODEL.md, "The decision of a duty holder").
///
/// A bound holder complies with probability
///     q = 1 - (1 - base) (1 - s h) (1 - P / (P + I)),
/// `base` the probability it would act anyway (as a state without the duty: 0 when it could
/// not act as a volunteer), `s` its share of the duty's pull (1, or less under a contestable
/// criterion), `h` internalisation (honoured as law with nobody watching; seed 001 L673-683),
/// `P = s (floor + salience) (enforcement (1 + peer x engaged) + reputationWeight x reputation)`
/// the informal pressure of naming and shaming (seed 001 L677-683), `engaged` last week's
/// share of capable, aware states that acted, and `I = cost / kappa + alignmentInterest x
/// alignment + supportInterest x support` its interest against complying. With no pull
/// (h = 0, P = 0) q = base: the holder decides as a state without the duty.
struct Duties {
    let held: [DutySet]
    let parameters: DutyParameters
    let share: [Double]
    /// alignmentInterest x alignment + supportInterest x support, per state.
    let linkInterest: [Double]
    /// The duties some state holds (for the deference of those that do not).
    let heldByAny: DutySet
    /// Reputation for honouring duties, carried across crises (Simulation).
    var reputation: [Double]
    /// Duties each state breached at least once in the run.
    var breached: [DutySet]
    /// Bound decisions and honoured ones this crisis, weighted by salience (what others saw).
    var observedBound: [Double], observedHonoured: [Double]
    /// Whether each duty binds this week.
    var respect = false, protect = false, assist = false
    /// floor + salience, and the enforcement multiplier from peers, this week.
    private var exposure = 0.0, enforcementNow = 0.0, salience = 0.0

    init(_ s: Scenario, allocation a: Allocation) {
        held = a.duties; share = a.pullShare
        heldByAny = a.duties.reduce([]) { $0.union($1) }
        parameters = s.parameters.duties
        let dp = parameters
        linkInterest = s.world.links.map { dp.alignmentInterest * $0.alignment + dp.supportInterest * $0.support }
        reputation = [Double](repeating: dp.reputationInitial, count: s.world.count)
        breached = [DutySet](repeating: [], count: s.world.count)
        observedBound = [Double](repeating: 0, count: s.world.count)
        observedHonoured = observedBound
    }

    /// `engaged`: last week's share of capable, aware states that acted.
    mutating func step(crisis: CrisisDynamics, information: Information, engaged: Double, territorial: Int,
                       territorialDeference: Double, out: inout RunOutcome) {
        let active = crisis.active, level = information.level
        respect = active && level >= 2
        protect = active && level >= 2 && crisis.phase != .latent
        assist = active && level >= 1 && crisis.phase != .atrocity
        salience = information.salience
        exposure = parameters.salienceFloor + salience
        enforcementNow = parameters.enforcement * (1 + parameters.peerPressure * engaged)
        // The primary duty (pillar one): breached in every week of killing by a perpetrating
        // territorial state, and, against a non-state perpetrator, in every such week its
        // protection is lowered because outsiders engage (seed 000 L644-652).
        if held[territorial].contains(.primary) && (crisis.phase == .escalating || crisis.phase == .atrocity)
            && (crisis.territorialIsPerpetrator || (engaged > 0 && territorialDeference > 0)) {
            breach(.primary, by: territorial, out: &out)
        }
    }

    /// The probability a bound holder complies, given what it would do anyway and the
    /// capacity-scaled cost of the act.
    @inline(__always)
    func compliance(_ i: Int, base: Double, cost: Double) -> Double {
        let s = share[i]
        return Self.complianceProbability(base: base, share: s, internalisation: parameters.internalisation,
                                          pressure: s * exposure * (enforcementNow + parameters.reputationWeight * reputation[i]),
                                          interest: cost + linkInterest[i])
    }

    /// q = 1 - (1 - base) (1 - share x internalisation) (1 - P / (P + I)), with P / (P + I) = 0
    /// when P = 0: the duty wins the contest between the pressure on the holder and its
    /// interest against complying with probability P / (P + I).
    @inline(__always)
    static func complianceProbability(base: Double, share: Double, internalisation: Double, pressure: Double, interest: Double) -> Double {
        let contest = pressure > 0 ? pressure / (pressure + interest) : 0
        return 1 - (1 - base) * (1 - share * internalisation) * (1 - contest)
    }

    /// The designated-responder effect (seed 000 L653-655): the share of its volunteer's
    /// propensity to take the act of duty `d` (protect: restrain; assist) that a state keeps.
    /// A state that does not hold `d`, while another holds it bound this week, keeps
    /// 1 - deference; any other state keeps all of it (so nothing changes under buck-passing).
    @inline(__always)
    func volunteerKeeps(_ i: Int, _ d: DutySet) -> Double {
        let bound = d == .protect ? protect : assist
        return bound && heldByAny.contains(d) && !held[i].contains(d) ? 1 - parameters.deference : 1
    }

    /// The weight of the duty not to obstruct in a member's vote (0 with no pull, at most 1).
    @inline(__always)
    func voteWeight(_ i: Int) -> Double { compliance(i, base: 0, cost: 0) }

    /// The effort a holder owes once it complies: what the regime requires, capped by what it
    /// can reasonably bear (seed 001 L421).
    @inline(__always)
    func effort(owed: Double, capacity: Double, cost: Double) -> Double {
        min(owed, parameters.burdenCap * capacity / cost, 1)
    }

    mutating func observe(_ i: Int, honoured: Bool) {
        observedBound[i] += salience
        if honoured { observedHonoured[i] += salience }
    }

    mutating func breach(_ d: DutySet, by i: Int, out: inout RunOutcome) {
        breached[i].insert(d)
        switch d {
        case .respect: out.breachesRespect += 1
        case .protect: out.breachesProtect += 1
        case .notObstruct: out.breachesNotObstruct += 1
        case .assist: out.breachesAssist += 1
        default: out.breachesPrimary += 1
        }
    }

    /// Between crises: each state's reputation moves towards the salience-weighted share of
    /// its bound decisions that others saw it honour.
    mutating func updateReputation() {
        let rate = parameters.reputationLearning
        for i in reputation.indices where observedBound[i] > 0 {
            reputation[i] += rate * (observedHonoured[i] / observedBound[i] - reputation[i])
            observedBound[i] = 0; observedHonoured[i] = 0
        }
    }
}

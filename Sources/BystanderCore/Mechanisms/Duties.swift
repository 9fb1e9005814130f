/// Step 3: which of the duties the regime allotted bind this week, from the warning level and
/// the phase. The holdings themselves depend only on the scenario (`AllocationRegime`).
struct Duties {
    let held: [DutySet]
    let parameters: DutyParameters
    /// Whether each duty binds this week.
    var respect = false, protect = false, assist = false

    init(held: [DutySet], _ p: DutyParameters) { self.held = held; parameters = p }

    mutating func step(crisis: CrisisDynamics, information: Information) {
        let active = crisis.active, level = information.level
        respect = active && level >= 2
        protect = active && level >= 2 && crisis.phase != .latent
        assist = active && level >= 1 && crisis.phase != .atrocity
    }

    /// A bound holder's compliance: what it would do anyway (`base`), raised by enforcement.
    @inline(__always)
    func compliance(base: Double, salience: Double) -> Double {
        dutyCompliance(base: base, enforcement: parameters.enforcement, salience: salience, floor: parameters.salienceFloor)
    }

    /// A bound duty holder's decision: what it would do alone (undiluted, n = 1), lifted by
    /// enforcement; the effort it gives (capped by what it owes and by its capacity), or nil
    /// for a breach.
    @inline(__always)
    func holderEffort(_ u: Double, cost: Double, kappa: Double, benefit: Double, owed: Double, capacity: Double,
                      salience: Double) -> Double? {
        let base = VolunteersDilemma.actProbability(cost: cost / kappa, benefit: benefit, poolSize: 1)
        guard u < compliance(base: base, salience: salience) else { return nil }
        return min(owed, parameters.burdenCap * capacity / cost, 1)
    }
}

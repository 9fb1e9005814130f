import Foundation

/// Step 1: the crisis. Onset and escalation from the risk index, deaths, the perpetrator's
/// strength under last week's effects, and the end of the crisis.
struct CrisisDynamics {
    let c: CrisisParameters
    let enforceErosion: Double
    let initialRisk: Double
    let killRate: Double
    let territorialIsPerpetrator: Bool
    var phase: Phase
    var strength: Double
    var population: Double
    var risk: Double
    /// This week's strength net of restraint (casualties of missions scale with it).
    var effectiveStrength = 0.0
    /// This week's deaths.
    var deaths = 0.0
    var active: Bool { phase != .ended }

    init(_ p: ModelParameters, out: inout RunOutcome) {
        c = p.crisis
        enforceErosion = p.missions.enforceErosion
        phase = c.initialPhase
        strength = min(c.initialStrength, c.maxStrength)
        population = c.populationAtRisk
        initialRisk = c.riskFactors.reduce(0, +) / Double(c.riskFactors.count)
        risk = initialRisk
        killRate = c.effectiveKillRate
        territorialIsPerpetrator = c.perpetrator == .state
        if phase != .latent { out.onsetWeek = 0 }
        if phase == .atrocity { out.atrocityStartWeek = 0 }
    }

    mutating func step(week t: Int, effects e: Effects, streams: Streams, out: inout RunOutcome) {
        let crisisRng = streams.stream(.crisis, week: t)
        let uOnset = crisisRng.uniform(), uEscalate = crisisRng.uniform(), uSettle = crisisRng.uniform()
        risk = max(0, risk * (1 - c.assistanceRiskReduction * e.assistance))
        if phase == .latent, uOnset < c.onsetHazardMax * pow(risk, c.riskExponent) {
            phase = .escalating; out.onsetWeek = t
        } else if phase == .escalating, uEscalate < c.escalationRate * (initialRisk > 0 ? min(1, risk / initialRisk) : 0) {
            phase = .atrocity; out.atrocityStartWeek = t
        }
        deaths = 0
        effectiveStrength = strength * (1 - e.restraint)
        guard phase == .escalating || phase == .atrocity else { return }
        let intensity = phase == .atrocity ? 1.0 : c.escalationIntensity
        // Expected deaths cannot exceed the people still at risk.
        let mean = min(population, intensity * killRate * population * effectiveStrength * (1 - e.protection))
        let rng = streams.stream(.deaths, week: t)
        if mean.isFinite && mean > 0 {
            deaths = c.deathDistribution == .poisson ? rng.poisson(mean: mean)
                : rng.negativeBinomial(mean: mean, size: c.deathDispersion)
        }
        deaths = min(deaths, population.rounded(.down))
        population -= deaths
        if phase == .atrocity { out.deathsAtrocity += deaths; out.atrocityWeeks += 1 } else { out.deathsEscalating += deaths }
        out.deathsTotal += deaths
        let growth = c.strengthDrift + c.supportGrowth * e.supportInflow - c.sanctionErosion * e.sanctionLevel
            - c.forceErosion * e.forceLevel - enforceErosion * e.missionForce
        strength = min(c.maxStrength, strength * exp(growth))
        if strength < c.endStrength { phase = .ended; out.endReason = .defeated }
        else if population < 1 { phase = .ended; out.endReason = .exhausted }
        else if uSettle < c.settlementBase + c.settlementPressure * e.pressure { phase = .ended; out.endReason = .settled }
        if phase == .ended { out.endWeek = t }
    }
}

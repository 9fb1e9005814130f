import Foundation

/// What a run should record besides its outcomes.
public struct RecordingOptions: Sendable {
    public var weeks: Bool
    public var votes: Bool
    public init(weeks: Bool = false, votes: Bool = false) { self.weeks = weeks; self.votes = votes }
}

/// A numerical failure inside a run; the sweep records it and carries on.
public struct SimulationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// One run of the model: one crisis over the horizon under one allocation regime. The weekly
/// order is the brief's section 3: crisis dynamics, information, duties, bystander decisions,
/// Council, missions, effects, record. Effects decided in week t act on the crisis in week t+1.
public struct Simulation {
    let s: Scenario
    let p: ModelParameters
    let regime: any AllocationRegime
    let seed: UInt64
    let recording: RecordingOptions
    let duties: [DutySet]

    /// `duties`, if given, must be `regime.duties(in: scenario)`: a caller running many
    /// replicates of one scenario and regime computes it once instead of in every run.
    public init(scenario: Scenario, regime: any AllocationRegime, seed: UInt64, recording: RecordingOptions = .init(), duties: [DutySet]? = nil) {
        self.s = scenario; self.p = scenario.parameters; self.regime = regime; self.seed = seed; self.recording = recording
        self.duties = duties ?? regime.duties(in: scenario)
    }

    /// A bound duty holder's decision: what it would do alone (undiluted, n = 1), lifted by
    /// enforcement; the effort it gives (capped by what it owes and by its capacity), or nil
    /// for a breach. A pure function, so that the weekly loop captures no mutable state.
    @inline(__always)
    static func holderEffort(_ u: Double, cost: Double, kappa: Double, benefit: Double, owed: Double, capacity: Double,
                             salience: Double, duties dp: DutyParameters) -> Double? {
        let base = VolunteersDilemma.actProbability(cost: cost / kappa, benefit: benefit, poolSize: 1)
        guard u < dutyCompliance(base: base, enforcement: dp.enforcement, salience: salience, floor: dp.salienceFloor) else { return nil }
        return min(owed, dp.burdenCap * capacity / cost, 1)
    }

    /// A pending or deployed national contingent.
    struct Contingent { var state: Int; var troops: Double; var arrivalWeek: Int }

    public func run() throws -> RunResult {
        let world = s.world
        let n = world.count
        let c = p.crisis, info = p.information, b = p.bystanders, cp = p.council, mp = p.missions, dp = p.duties
        let streams = Mechanism.allCases.map { _ in RandomStream(seed: 0) }
        func stream(_ m: Mechanism, week: Int) -> RandomStream {
            let r = streams[Int(m.rawValue) - 1]
            r.reseed(SeedDerivation.derive(seed, m.rawValue, UInt64(week)))
            return r
        }
        var out = RunOutcome()
        var weeks: [WeekRecord] = []
        var votes: [VoteRecord] = []

        // Crisis state.
        var phase = c.initialPhase
        var strength = min(c.initialStrength, c.maxStrength)
        var population = c.populationAtRisk
        let riskWeights = c.riskFactors
        let initialRisk = riskWeights.reduce(0, +) / Double(riskWeights.count)
        var risk = initialRisk
        if phase != .latent { out.onsetWeek = 0 }
        if phase == .atrocity { out.atrocityStartWeek = 0 }
        // Information state.
        var trueDeaths = [Double](repeating: 0, count: p.horizonWeeks)
        var reportedSmoothed = 0.0
        var salience = 0.0
        var level = 0
        var salienceBoost = 0.0
        // Effects carried from one week to the next.
        var supportInflow = 0.0, restraint = 0.0, sanctionLevel = 0.0, forceLevel = 0.0
        var missionForce = 0.0, protection = 0.0, pressure = 0.0, assistance = 0.0
        // Bystander state.
        var supportCut = [Bool](repeating: false, count: n)
        var burden = [Double](repeating: 0, count: n)
        var poolStateWeeks = 0, deferredStateWeeks = 0
        // Council state.
        let rule = VotingRule(seats: world.permanent.count + (cp.enabled ? cp.electedSeats.reduce(0, +) : 0),
                              permanentSeats: Array(0..<world.permanent.count), quota: cp.quota, vetoThreshold: cp.vetoThreshold)
        var onAgenda = false
        var adoptedLevel = 0
        var lastDraftWeek: Int? = nil
        var lastDraftFailed = false
        var lastLevel = 0
        var reportedAtDraft = 0.0
        var councilSanctions = false, embargo = false, forceAuthorised = false
        var consent: Bool? = nil
        var vetoCounts = [Int](repeating: 0, count: world.permanent.count)
        // Mission state.
        var mandate = mp.initialMandate
        var authorised = 0.0
        var contingents: [Contingent] = []
        if mp.initialTroops > 0 && mandate != .none {
            authorised = mp.initialTroops
            let contributors = mp.initialContributors.compactMap { iso in world.iso.firstIndex(of: iso) }
            let share = mp.initialTroops / Double(max(1, contributors.count))
            contingents = contributors.isEmpty ? [Contingent(state: -1, troops: mp.initialTroops, arrivalWeek: 0)]
                : contributors.map { Contingent(state: $0, troops: share, arrivalWeek: 0) }
        }
        out.troopsAuthorised = authorised
        let territorialIsPerpetrator = c.perpetrator == .state
        let killRate = c.effectiveKillRate
        // The bystanders that can act in step 4: the capable, holders of the duties to protect or
        // assist, and supporters (who can cut support). Any other state draws nothing there.
        // Holders and supporters can act unaware; a capable state with neither acts only when aware.
        let holderOrSupporter = { (i: Int) in !duties[i].isDisjoint(with: [.protect, .assist]) || world.links[i].support > 0 }
        let deciders = s.bystanders.filter { s.capable[$0] || holderOrSupporter($0) }
        let actsUnaware = deciders.map(holderOrSupporter)
        var engagedShare = 0.0
        let supporters = s.bystanders.filter { world.links[$0].support > 0 } // the only states the effects step sums

        for t in 0..<p.horizonWeeks {
            // 1. Crisis dynamics.
            let crisisRng = stream(.crisis, week: t)
            let uOnset = crisisRng.uniform(), uEscalate = crisisRng.uniform(), uSettle = crisisRng.uniform()
            risk = max(0, risk * (1 - c.assistanceRiskReduction * assistance))
            if phase == .latent, uOnset < c.onsetHazardMax * pow(risk, c.riskExponent) {
                phase = .escalating; out.onsetWeek = t
            } else if phase == .escalating, uEscalate < c.escalationRate * (initialRisk > 0 ? min(1, risk / initialRisk) : 0) {
                phase = .atrocity; out.atrocityStartWeek = t
            }
            var deaths = 0.0
            let effectiveStrength = strength * (1 - restraint)
            if phase == .escalating || phase == .atrocity {
                let intensity = phase == .atrocity ? 1.0 : c.escalationIntensity
                // Expected deaths cannot exceed the people still at risk.
                let mean = min(population, intensity * killRate * population * effectiveStrength * (1 - protection))
                let rng = stream(.deaths, week: t)
                if mean.isFinite && mean > 0 {
                    deaths = c.deathDistribution == .poisson ? rng.poisson(mean: mean)
                        : rng.negativeBinomial(mean: mean, size: c.deathDispersion)
                }
                deaths = min(deaths, population.rounded(.down))
                population -= deaths
                if phase == .atrocity { out.deathsAtrocity += deaths; out.atrocityWeeks += 1 } else { out.deathsEscalating += deaths }
                out.deathsTotal += deaths
                let growth = c.strengthDrift + c.supportGrowth * supportInflow - c.sanctionErosion * sanctionLevel
                    - c.forceErosion * forceLevel - mp.enforceErosion * missionForce
                strength = min(c.maxStrength, strength * exp(growth))
                if strength < c.endStrength { phase = .ended; out.endReason = .defeated }
                else if population < 1 { phase = .ended; out.endReason = .exhausted }
                else if uSettle < c.settlementBase + c.settlementPressure * pressure { phase = .ended; out.endReason = .settled }
                if phase == .ended { out.endWeek = t }
            }
            trueDeaths[t] = deaths

            // 2. Information: a delayed, noisy signal of the weekly toll; warning levels; salience.
            let signalRng = stream(.signals, week: t)
            let noise = signalRng.lognormal(zeta: 0, sigma: info.signalNoiseSD)
            let reported = t >= info.reportingDelayWeeks ? trueDeaths[t - info.reportingDelayWeeks] * noise : 0
            reportedSmoothed = 0.5 * reportedSmoothed + 0.5 * reported
            level = reportedSmoothed >= info.emergencyDeaths ? 3 : reportedSmoothed >= info.warningDeaths ? 2
                : (reportedSmoothed > 0 || (phase != .ended && risk >= info.watchRisk)) ? 1 : 0
            let target = min(1, info.levelSalience[level] + (1 - exp(-reportedSmoothed / info.salienceScale)) + salienceBoost)
            salience = info.salienceDecay * salience + (1 - info.salienceDecay) * target
            salienceBoost = 0

            // 3. Duties: which held duties bind this week.
            let active = phase != .ended
            let respectBinds = active && level >= 2
            let protectBinds = active && level >= 2 && phase != .latent
            let assistBinds = active && level >= 1 && phase != .atrocity

            // 4. Bystander decisions.
            var leverageSum = 0.0, sanctionSum = 0.0, forceSum = 0.0, assistSum = 0.0
            var acting = 0, aware = 0, bound = 0
            let unCounts = b.unDeference && (onAgenda || contingents.contains { $0.arrivalWeek <= t })
            if active && level >= 1 {
                let rng = stream(.decisions, week: t)
                let threshold = info.awarenessThreshold
                let counts = s.awareCounts(salience: salience, threshold: threshold)
                aware = counts.all
                let capableAware = counts.capable
                let pool = capableAware + (unCounts ? 1 : 0)
                let restrainOpen = level >= 2 && phase != .latent
                let forceOpen = phase == .atrocity && (b.unilateralForce || forceAuthorised)
                for (k, i) in deciders.enumerated() {
                    let isAware = salience * s.attention[i] >= threshold
                    if !isAware && !actsUnaware[k] { continue }
                    let held = duties[i]
                    let benefit = b.benefitScale * salience * s.concern[i]
                    let kappa = s.costDivisor[i]
                    // No local function captures a mutable variable (that would box it and add a
                    // runtime exclusivity check to every access).
                    var acted = false
                    // Cut support (the duty to respect binds supporters once atrocities are signalled).
                    let l = world.links[i]
                    if l.support > 0 && !supportCut[i] && respectBinds {
                        let base = b.supporterCutPropensity * salience * (1 - l.alignment)
                        let u = rng.uniform()
                        if held.contains(.respect) {
                            bound += 1
                            if u < dutyCompliance(base: base, enforcement: dp.enforcement, salience: salience, floor: dp.salienceFloor) { supportCut[i] = true } else { out.breachesRespect += 1 }
                        } else if u < base { supportCut[i] = true }
                        if supportCut[i] { acted = true }
                    }
                    // Restrain the perpetrator through leverage.
                    if restrainOpen {
                        if held.contains(.protect) && protectBinds {
                            bound += 1
                            if let effort = Self.holderEffort(rng.uniform(), cost: b.restrainCost, kappa: kappa, benefit: benefit,
                                                              owed: regime.requiredRestraint(of: i, in: s), capacity: s.capacity[i],
                                                              salience: salience, duties: dp) {
                                burden[i] += b.restrainCost * effort; acted = true
                                leverageSum += s.leverage[i] * effort
                            } else { out.breachesProtect += 1 }
                        } else if s.capable[i] && isAware {
                            poolStateWeeks += 1
                            if VolunteersDilemma.acts(rng.uniform(), cost: b.restrainCost / kappa, benefit: benefit, poolSize: pool) {
                                burden[i] += b.restrainCost; acted = true
                                leverageSum += s.leverage[i]
                            } else { deferredStateWeeks += 1 }
                        }
                    }
                    // Targeted sanctions (unilateral; nobody holds a duty to sanction).
                    if restrainOpen && s.capable[i] && isAware
                        && VolunteersDilemma.acts(rng.uniform(), cost: b.sanctionCost / kappa, benefit: benefit, poolSize: pool) {
                        burden[i] += b.sanctionCost; acted = true
                        sanctionSum += world.economic[i]
                    }
                    // Prevention assistance (before mass killing starts).
                    if phase != .atrocity {
                        if held.contains(.assist) && assistBinds {
                            bound += 1
                            if let effort = Self.holderEffort(rng.uniform(), cost: b.assistCost, kappa: kappa, benefit: benefit, owed: 1,
                                                              capacity: s.capacity[i], salience: salience, duties: dp) {
                                burden[i] += b.assistCost * effort; acted = true
                                assistSum += s.capacity[i] * effort
                            } else { out.breachesAssist += 1 }
                        } else if s.capable[i] && isAware
                            && VolunteersDilemma.acts(rng.uniform(), cost: b.assistCost / kappa, benefit: benefit, poolSize: pool) {
                            burden[i] += b.assistCost; acted = true
                            assistSum += s.capacity[i]
                        }
                    }
                    // Force: only as a counterfactual switch, or once the Council authorised it.
                    if forceOpen && s.capable[i] && isAware
                        && VolunteersDilemma.acts(rng.uniform(), cost: b.forceCost / kappa, benefit: benefit, poolSize: pool) {
                        burden[i] += b.forceCost; acted = true
                        forceSum += world.military[i]
                    }
                    if acted { acting += 1 }
                }
                engagedShare = capableAware > 0 ? min(1, Double(acting) / Double(capableAware)) : 0
            } else {
                engagedShare = 0
            }

            // 5. The Security Council.
            if cp.enabled && !onAgenda && level >= 2 && active { onAgenda = true }
            if cp.enabled && onAgenda && active && adoptedLevel < 4 {
                let due: Bool
                if let last = lastDraftWeek {
                    due = lastDraftFailed ? t - last >= cp.redraftWeeks
                        : t - last >= cp.patienceWeeks && reportedSmoothed >= (1 - cp.requiredDeathDrop) * reportedAtDraft
                } else { due = true }
                if due {
                    let rng = stream(.council, week: t)
                    var draftLevel = lastDraftFailed ? lastLevel : adoptedLevel + 1
                    let uConsent = rng.uniform()
                    if draftLevel == 3 {
                        if consent == nil {
                            consent = uConsent < (territorialIsPerpetrator ? mp.consentStateLed : mp.consentNonState)
                        }
                        if consent == false { draftLevel = 4 }
                    }
                    let members = world.councilMembers(week: t)
                    // Penholder: the member most concerned (net of alignment) and attentive; never the territorial state.
                    let pen = members.filter { $0 != world.territorial }.max { (s.concern[$0] * s.attention[$0], -$0) < (s.concern[$1] * s.attention[$1], -$1) } ?? members[0]
                    if salience * s.concern[pen] >= cp.tablingThreshold {
                        let intrusiveness = cp.levelIntrusiveness[draftLevel - 1]
                        var yes = 0, permanentNo = 0
                        var memberVotes: [Vote] = []
                        for (seat, m) in members.enumerated() {
                            let isPermanent = seat < world.permanent.count
                            let noise = rng.gaussian(sd: cp.voteNoiseSD)
                            let alignment = m == world.territorial && territorialIsPerpetrator ? 1 : world.links[m].alignment
                            let value = cp.voteBenefitWeight * salience * s.concern[m]
                                - cp.voteAlignmentWeight * alignment * intrusiveness
                                - cp.voteCostWeight * intrusiveness * world.costSensitivity[m] + noise
                            let holdsDuty = duties[m].contains(.notObstruct)
                            let pledged = isPermanent && world.pledged[m]
                            var noBar = -cp.abstainBand
                            if holdsDuty { noBar -= dp.enforcement * dp.obstructionCost }
                            if pledged && cp.vetoRestraint == .cost { noBar -= cp.pledgeCost }
                            var vote: Vote = value > cp.abstainBand ? .yes : value < noBar ? .no : .abstain
                            if vote == .no && pledged && cp.vetoRestraint == .strict { vote = .abstain }
                            if vote == .no && holdsDuty { out.breachesNotObstruct += 1 }
                            if vote == .yes { yes += 1 }
                            if vote == .no && isPermanent { permanentNo += 1 }
                            memberVotes.append(vote)
                        }
                        let adopted = rule.adopts(yes: yes, permanentNo: permanentNo)
                        out.draftsTabled += 1
                        if adopted {
                            out.draftsAdopted += 1
                            adoptedLevel = max(adoptedLevel, draftLevel)
                            out.maxLevelAdopted = adoptedLevel
                            if out.firstResolutionWeek == nil { out.firstResolutionWeek = t; out.firstResolutionLevel = draftLevel }
                            switch draftLevel {
                            case 1: salienceBoost = cp.statementSalienceBoost
                            case 2: councilSanctions = true; embargo = true
                            case 3:
                                mandate = max(mandate, .protect); authorised = max(authorised, mp.protectTroops)
                            default:
                                mandate = .enforce; authorised = max(authorised, mp.enforceTroops); forceAuthorised = true
                                councilSanctions = true; embargo = true
                            }
                            out.troopsAuthorised = max(out.troopsAuthorised, authorised)
                        } else if yes >= rule.quota && rule.vetoThreshold > 0 && permanentNo >= rule.vetoThreshold {
                            out.draftsVetoed += 1
                            for seat in 0..<world.permanent.count where memberVotes[seat] == .no { vetoCounts[seat] += 1 }
                        }
                        if recording.votes {
                            for (seat, m) in members.enumerated() {
                                votes.append(VoteRecord(week: t, draft: out.draftsTabled, level: draftLevel, member: world.iso[m],
                                                        permanent: seat < world.permanent.count, vote: memberVotes[seat],
                                                        adopted: adopted, penholder: world.iso[pen]))
                            }
                        }
                        lastDraftWeek = t; lastLevel = draftLevel; lastDraftFailed = !adopted
                        reportedAtDraft = reportedSmoothed
                    }
                }
            }

            // 6. Missions: force generation with a deployment lag, casualties and drawdown.
            var pledgedThisWeek = false
            if mandate >= .protect && active {
                let rng = stream(.missions, week: t)
                var gap = authorised - contingents.reduce(0) { $0 + $1.troops }
                if gap > 0 {
                    var volunteers = 0
                    for i in s.bystanders where salience * s.attention[i] >= info.awarenessThreshold && world.links[i].alignment < 0.5 { volunteers += 1 }
                    for i in s.bystanders where gap > 0 && world.links[i].alignment < 0.5 {
                        let isAware = salience * s.attention[i] >= info.awarenessThreshold
                        let holder = duties[i].contains(.assist)
                        guard holder || isAware else { continue }
                        let u = rng.uniform()
                        let cost = b.troopWeekCost * mp.contingentSize * mp.expectedDeploymentWeeks / s.costDivisor[i]
                        let benefit = b.benefitScale * salience * s.concern[i]
                        let base = world.troopPropensity[i] * VolunteersDilemma.actProbability(cost: cost, benefit: benefit, poolSize: volunteers)
                        var pledge = false
                        if holder {
                            bound += 1
                            pledge = u < dutyCompliance(base: base, enforcement: dp.enforcement, salience: salience, floor: dp.salienceFloor)
                            if !pledge { out.breachesAssist += 1 }
                        } else { pledge = u < base }
                        if pledge {
                            let troops = min(gap, mp.contingentSize)
                            contingents.append(Contingent(state: i, troops: troops, arrivalWeek: t + mp.deploymentLagWeeks))
                            gap -= troops
                            pledgedThisWeek = true
                        }
                    }
                }
                // Casualties fall on deployed contingents; a contributor may withdraw (Rwanda, 1994).
                var withdrawn = Set<Int>()
                for k in contingents.indices where contingents[k].arrivalWeek <= t && contingents[k].state >= 0 {
                    let i = contingents[k].state
                    let casualties = rng.poisson(mean: mp.casualtyRate * contingents[k].troops * effectiveStrength)
                    if casualties > 0 && rng.uniform() < 1 - exp(-mp.withdrawalSensitivity * world.costSensitivity[i] * casualties) {
                        withdrawn.insert(i)
                    }
                }
                if !withdrawn.isEmpty { contingents.removeAll { withdrawn.contains($0.state) } }
            }
            if !active { contingents.removeAll() } // missions draw down once the crisis has ended
            var deployed = 0.0
            for k in contingents where k.arrivalWeek <= t {
                deployed += k.troops
                if k.state >= 0 { burden[k.state] += b.troopWeekCost * k.troops }
            }
            out.troopsDeployedPeak = max(out.troopsDeployedPeak, deployed)
            out.troopWeeks += deployed
            if pledgedThisWeek { acting += 1 }

            // 7. Effects, acting on next week's crisis.
            supportInflow = 0
            for i in supporters where !supportCut[i] {
                supportInflow += world.links[i].support * (embargo ? cp.embargoLeakage : 1)
            }
            restraint = b.maxRestraint * (1 - exp(-leverageSum / b.leverageScale))
            let unilateralSanctions = 1 - exp(-sanctionSum / b.sanctionScale)
            sanctionLevel = 1 - (1 - unilateralSanctions) * (1 - (councilSanctions ? cp.councilSanctions : 0))
            forceLevel = 1 - exp(-forceSum / b.forceScale)
            missionForce = mandate == .enforce ? deployed / (deployed + mp.troopScale) : 0
            let missionProtection = mp.protectionMax * (1 - exp(-deployed / mp.troopScale)) * (mandate == .observe ? mp.observeFactor : 1)
            let territorial = territorialIsPerpetrator ? 0 : c.territorialProtectionMax * (1 - c.territorialDeference * engagedShare)
            protection = 1 - (1 - territorial) * (1 - missionProtection)
            pressure = 1 - (1 - restraint) * (1 - sanctionLevel) * (1 - forceLevel)
            assistance = 1 - exp(-assistSum / b.assistScale)

            // 8. Record.
            if acting > 0 && out.firstActionWeek == nil { out.firstActionWeek = t }
            if acting > 0 && out.responseWeeks == nil, let onset = out.onsetWeek { out.responseWeeks = t - onset }
            if phase == .atrocity && acting == 0 && deployed == 0 { out.responsibilityGapWeeks += 1 }
            if recording.weeks {
                weeks.append(WeekRecord(week: t, phase: phase, deaths: deaths, reported: reported, warningLevel: level,
                                        salience: salience, strength: strength, restraint: restraint, sanctions: sanctionLevel,
                                        protection: protection, troopsDeployed: deployed, awareStates: aware,
                                        actingStates: acting, dutyHoldersBound: bound, councilLevel: adoptedLevel))
            }
        }

        out.vetoesBy = zip(world.permanent, vetoCounts).filter { $0.1 > 0 }
            .map { "\(world.iso[$0.0])=\($0.1)" }.sorted().joined(separator: ";")
        out.burdenTotal = burden.reduce(0, +)
        out.burdenGini = giniCoefficient(burden)
        out.burdenTopShare = out.burdenTotal > 0 ? burden.max()! / out.burdenTotal : 0
        out.buckPassingIndex = poolStateWeeks > 0 ? Double(deferredStateWeeks) / Double(poolStateWeeks) : nil
        out.populationRemaining = population
        guard out.isFinite else { throw SimulationError(description: "a non-finite outcome (check extreme parameters)") }
        return RunResult(outcome: out, weeks: weeks, votes: votes)
    }
}

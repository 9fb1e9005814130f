/// Step 5: the Security Council. Agenda, the next rung of the ladder when a draft is due,
/// the penholder, one vote per member, adoption and its measures.
struct SecurityCouncil {
    let s: Scenario
    let cp: CouncilParameters
    let mp: MissionParameters
    let rule: VotingRule
    var onAgenda = false
    var adoptedLevel = 0
    var lastDraftWeek: Int? = nil
    var lastDraftFailed = false
    var lastLevel = 0
    var reportedAtDraft = 0.0
    /// Measures in force (never lifted).
    var sanctions = false, embargo = false, forceAuthorised = false
    /// Host consent to a protection mission, drawn once when first needed.
    var consent: Bool? = nil
    var vetoCounts: [Int]

    init(_ s: Scenario) {
        self.s = s
        cp = s.parameters.council; mp = s.parameters.missions
        let world = s.world
        rule = VotingRule(seats: world.permanent.count + (cp.enabled ? cp.electedSeats.reduce(0, +) : 0),
                          permanentSeats: Array(0..<world.permanent.count), quota: cp.quota, vetoThreshold: cp.vetoThreshold)
        vetoCounts = [Int](repeating: 0, count: world.permanent.count)
    }

    mutating func step(week t: Int, crisis: CrisisDynamics, information info: inout Information, duties: inout Duties,
                       missions: inout Missions, streams: Streams, votes: inout [VoteRecord]?, out: inout RunOutcome) {
        guard cp.enabled && crisis.active else { return }
        if !onAgenda && info.level >= 2 { onAgenda = true }
        guard onAgenda && adoptedLevel < 4 else { return }
        let due: Bool
        if let last = lastDraftWeek {
            due = lastDraftFailed ? t - last >= cp.redraftWeeks
                : t - last >= cp.patienceWeeks && info.reportedSmoothed >= (1 - cp.requiredDeathDrop) * reportedAtDraft
        } else { due = true }
        guard due else { return }
        let world = s.world, salience = info.salience
        let rng = streams.stream(.council, week: t)
        var draftLevel = lastDraftFailed ? lastLevel : adoptedLevel + 1
        let uConsent = rng.uniform()
        if draftLevel == 3 {
            if consent == nil {
                consent = uConsent < (crisis.territorialIsPerpetrator ? mp.consentStateLed : mp.consentNonState)
            }
            if consent == false { draftLevel = 4 }
        }
        let members = world.councilMembers(week: t)
        // Penholder: the member most concerned (net of alignment) and attentive; never the territorial state.
        let pen = members.filter { $0 != world.territorial }.max { (s.concern[$0] * s.attention[$0], -$0) < (s.concern[$1] * s.attention[$1], -$1) } ?? members[0]
        guard salience * s.concern[pen] >= cp.tablingThreshold else { return }
        let intrusiveness = cp.levelIntrusiveness[draftLevel - 1]
        var yes = 0, permanentNo = 0
        var memberVotes: [Vote] = []
        for (seat, m) in members.enumerated() {
            let isPermanent = seat < world.permanent.count
            let noise = rng.gaussian(sd: cp.voteNoiseSD)
            let alignment = m == world.territorial && crisis.territorialIsPerpetrator ? 1 : world.links[m].alignment
            let value = cp.voteBenefitWeight * salience * s.concern[m]
                - cp.voteAlignmentWeight * alignment * intrusiveness
                - cp.voteCostWeight * intrusiveness * world.costSensitivity[m] + noise
            let holdsDuty = duties.held[m].contains(.notObstruct)
            let pledged = isPermanent && world.pledged[m]
            var noBar = -cp.abstainBand
            if holdsDuty { noBar -= duties.voteWeight(m) * duties.parameters.obstructionCost }
            if pledged && cp.vetoRestraint == .cost { noBar -= cp.pledgeCost }
            var vote: Vote = value > cp.abstainBand ? .yes : value < noBar ? .no : .abstain
            if vote == .no && pledged && cp.vetoRestraint == .strict { vote = .abstain }
            if holdsDuty {
                if vote == .no { duties.breach(.notObstruct, by: m, out: &out) }
                duties.observe(m, honoured: vote != .no)
            }
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
            case 1: info.salienceBoost = cp.statementSalienceBoost
            case 2: sanctions = true; embargo = true
            case 3: missions.authorise(.protect, troops: mp.protectTroops)
            default:
                missions.authorise(.enforce, troops: mp.enforceTroops); forceAuthorised = true
                sanctions = true; embargo = true
            }
            out.troopsAuthorised = max(out.troopsAuthorised, missions.authorised)
        } else if yes >= rule.quota && rule.vetoThreshold > 0 && permanentNo >= rule.vetoThreshold {
            out.draftsVetoed += 1
            for seat in 0..<world.permanent.count where memberVotes[seat] == .no { vetoCounts[seat] += 1 }
        }
        if votes != nil {
            for (seat, m) in members.enumerated() {
                votes!.append(VoteRecord(week: t, draft: out.draftsTabled, level: draftLevel, member: world.iso[m],
                                         permanent: seat < world.permanent.count, vote: memberVotes[seat],
                                         adopted: adopted, penholder: world.iso[pen]))
            }
        }
        lastDraftWeek = t; lastLevel = draftLevel; lastDraftFailed = !adopted
        reportedAtDraft = info.reportedSmoothed
    }
}

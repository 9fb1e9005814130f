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

/// One run of the model: one crisis over the horizon under one allocation regime, or a
/// sequence of `crises` crises in which states carry their reputation for honouring duties
/// from one to the next. Each weekly step is a mechanism with its own state (Mechanisms/):
/// crisis dynamics, information, duties, bystander decisions, Council, missions, effects,
/// then the record (docs/MODEL.md, process overview). Effects decided in week t act on the
/// crisis in week t+1.
public struct Simulation {
    let s: Scenario
    let seed: UInt64
    let recording: RecordingOptions
    let allocation: Allocation

    /// `allocation`, if given, must be `regime.allocation(in: scenario)`: a caller running many
    /// replicates of one scenario and regime computes it once instead of in every run. The
    /// run's own allocation (`RunResult.held`) may differ when the regime designates per run.
    public init(scenario: Scenario, regime: any AllocationRegime, seed: UInt64, recording: RecordingOptions = .init(), allocation: Allocation? = nil) {
        self.s = scenario; self.seed = seed; self.recording = recording
        self.allocation = regime.allocation(allocation ?? regime.allocation(in: scenario), in: scenario, seed: seed)
    }

    /// The seed of crisis k of a sequence of n: the last runs on the run's own seed, so that
    /// its draws are those of a one-crisis run (common random numbers across `crises`).
    static func crisisSeed(_ seed: UInt64, crisis k: Int, of n: Int) -> UInt64 {
        k == n - 1 ? seed : SeedDerivation.derive(seed, 0x4352_4953_4953, UInt64(n - 1 - k)) // "CRISIS"
    }

    /// Runs the sequence; everything returned is of the last crisis.
    public func run() throws -> RunResult {
        let n = max(1, s.parameters.crises)
        var duties = Duties(s, allocation: allocation)
        for k in 0..<(n - 1) {
            _ = try crisis(seed: Self.crisisSeed(seed, crisis: k, of: n), duties: &duties, recording: .init())
            duties.updateReputation()
        }
        return try crisis(seed: seed, duties: &duties, recording: recording)
    }

    func crisis(seed: UInt64, duties: inout Duties, recording: RecordingOptions) throws -> RunResult {
        let p = s.parameters
        let streams = Streams(seed: seed)
        var out = RunOutcome()
        var weeks: [WeekRecord] = []
        var votes: [VoteRecord]? = recording.votes ? [] : nil
        duties.breached = [DutySet](repeating: [], count: s.world.count)

        var crisis = CrisisDynamics(p, out: &out)
        var information = Information(p.information, horizon: p.horizonWeeks)
        var decisions = Decisions(s, duties: allocation.duties, owed: allocation.owed)
        var council = SecurityCouncil(s)
        var missions = Missions(s, out: &out)
        var effects = Effects()

        for t in 0..<p.horizonWeeks {
            crisis.step(week: t, effects: effects, streams: streams, out: &out)
            information.step(week: t, crisis: crisis, streams: streams)
            duties.step(crisis: crisis, information: information, engaged: decisions.engagedShare, territorial: s.world.territorial,
                        territorialDeference: p.crisis.territorialDeference, out: &out)
            let unCounts = p.bystanders.unDeference && (council.onAgenda || missions.anyDeployed(week: t))
            var actions = decisions.step(week: t, crisis: crisis, information: information, duties: &duties, unCounts: unCounts,
                                         forceAuthorised: council.forceAuthorised, streams: streams, out: &out)
            council.step(week: t, crisis: crisis, information: &information, duties: &duties, missions: &missions,
                         streams: streams, votes: &votes, out: &out)
            missions.step(week: t, crisis: crisis, information: information, duties: &duties, burden: &decisions.burden,
                          bound: &actions.bound, streams: streams, out: &out)
            if missions.pledged { actions.acting += 1 }
            effects.step(s, crisis: crisis, actions: actions, decisions: decisions, council: council, missions: missions)
            record(week: t, crisis: crisis, information: information, actions: actions, effects: effects,
                   council: council, missions: missions, recording: recording, weeks: &weeks, out: &out)
        }

        let world = s.world, burden = decisions.burden
        out.vetoesBy = zip(world.permanent, council.vetoCounts).filter { $0.1 > 0 }
            .map { "\(world.iso[$0.0])=\($0.1)" }.sorted().joined(separator: ";")
        out.burdenTotal = burden.reduce(0, +)
        out.burdenGini = giniCoefficient(burden)
        out.burdenTopShare = out.burdenTotal > 0 ? burden.max()! / out.burdenTotal : 0
        out.buckPassingIndex = decisions.poolStateWeeks > 0 ? Double(decisions.deferredStateWeeks) / Double(decisions.poolStateWeeks) : nil
        out.populationRemaining = crisis.population
        guard out.isFinite else { throw SimulationError(description: "a non-finite outcome (check extreme parameters)") }
        return RunResult(outcome: out, weeks: weeks, votes: votes ?? [], burden: burden, breached: duties.breached, held: allocation.duties)
    }

    /// Step 8: the week's outcomes and, if asked for, its row of the time series.
    func record(week t: Int, crisis: CrisisDynamics, information info: Information, actions a: WeekActions, effects e: Effects,
                council: SecurityCouncil, missions: Missions, recording: RecordingOptions, weeks: inout [WeekRecord], out: inout RunOutcome) {
        if a.acting > 0 && out.firstActionWeek == nil { out.firstActionWeek = t }
        if a.acting > 0 && out.responseWeeks == nil, let onset = out.onsetWeek { out.responseWeeks = t - onset }
        if crisis.phase == .atrocity && a.acting == 0 && missions.deployed == 0 { out.responsibilityGapWeeks += 1 }
        if recording.weeks {
            weeks.append(WeekRecord(week: t, phase: crisis.phase, deaths: crisis.deaths, reported: info.reported, warningLevel: info.level,
                                    salience: info.salience, strength: crisis.strength, restraint: e.restraint, sanctions: e.sanctionLevel,
                                    protection: e.protection, troopsDeployed: missions.deployed, awareStates: a.aware,
                                    actingStates: a.acting, dutyHoldersBound: a.bound, councilLevel: council.adoptedLevel))
        }
    }
}

/// How a crisis ended.
public enum EndReason: String, Sendable { case none, defeated, exhausted, settled }

/// The outcomes of one run (brief section 7). Weeks count from 0; a missing week (the event
/// did not happen within the horizon) is nil and is written as an empty CSV field.
public struct RunOutcome: Sendable, Equatable {
    public var onsetWeek: Int?
    public var atrocityStartWeek: Int?
    public var endWeek: Int?
    public var endReason = EndReason.none
    public var deathsTotal = 0.0
    public var deathsEscalating = 0.0
    public var deathsAtrocity = 0.0
    public var atrocityWeeks = 0
    public var firstActionWeek: Int?
    public var responseWeeks: Int?
    public var firstResolutionWeek: Int?
    public var firstResolutionLevel: Int?
    public var maxLevelAdopted = 0
    public var draftsTabled = 0
    public var draftsAdopted = 0
    public var draftsVetoed = 0
    /// Vetoes cast, by permanent member's ISO code, e.g. "CHN=1;RUS=3" (sorted).
    public var vetoesBy = ""
    public var troopsAuthorised = 0.0
    public var troopsDeployedPeak = 0.0
    public var troopWeeks = 0.0
    public var burdenTotal = 0.0
    public var burdenGini = 0.0
    public var burdenTopShare = 0.0
    public var breachesRespect = 0
    public var breachesProtect = 0
    public var breachesNotObstruct = 0
    public var breachesAssist = 0
    public var breachesPrimary = 0
    public var buckPassingIndex: Double?
    public var responsibilityGapWeeks = 0
    public var populationRemaining = 0.0

    public init() {}

    /// Column name, unit and meaning, in output order: the documented schema of runs.csv.
    public static let columns: [(name: String, unit: String, meaning: String)] = [
        ("onset_week", "week", "week the crisis left the latent phase (empty: no onset)"),
        ("atrocity_start_week", "week", "week mass killing began (empty: never)"),
        ("end_week", "week", "week the crisis ended (empty: still going at the horizon)"),
        ("end_reason", "-", "none, defeated (perpetrator below the end strength), exhausted (no one left at risk), settled"),
        ("deaths_total", "people", "deaths over the run"),
        ("deaths_escalating", "people", "deaths during the escalating phase"),
        ("deaths_atrocity", "people", "deaths during the atrocity phase"),
        ("atrocity_weeks", "weeks", "duration of the atrocity phase"),
        ("first_action_week", "week", "first week any bystander took a protective action (empty: never)"),
        ("response_weeks", "weeks", "weeks from onset to the first bystander action at or after onset (empty: no onset, or no action after it)"),
        ("first_resolution_week", "week", "week of the first adopted Council resolution"),
        ("first_resolution_level", "level", "its rung on the ladder: 1 statement, 2 sanctions/embargo/referral, 3 protection mission, 4 all necessary measures"),
        ("max_level_adopted", "level", "highest rung adopted (0: none)"),
        ("drafts_tabled", "drafts", "drafts put to the vote"),
        ("drafts_adopted", "drafts", "drafts adopted"),
        ("drafts_vetoed", "drafts", "drafts that had the votes but were blocked by permanent members' negative votes"),
        ("vetoes_by", "-", "negative votes that blocked drafts, by permanent member: ISO=count;..."),
        ("troops_authorised", "troops", "largest mission strength authorised"),
        ("troops_deployed_peak", "troops", "largest strength deployed in any week"),
        ("troop_weeks", "troop-weeks", "deployed troops summed over weeks"),
        ("burden_total", "burden units", "cost borne by all states (restraint costs 0.3 a week at full effort, by default)"),
        ("burden_gini", "-", "Gini coefficient of burden across all states"),
        ("burden_top_share", "-", "share of the burden borne by the single most burdened state"),
        ("breaches_respect", "state-weeks", "weeks a respect-duty holder kept supporting the perpetrator after the warning"),
        ("breaches_protect", "state-weeks", "weeks a protect-duty holder did not restrain when bound"),
        ("breaches_not_obstruct", "votes", "negative votes by holders of the duty not to obstruct"),
        ("breaches_assist", "state-weeks", "weeks an assist-duty holder did not assist when bound: no prevention assistance before mass killing, or no troop pledge to a mission short of strength"),
        ("breaches_primary", "weeks", "weeks of killing in which the territorial state breached its primary duty to protect: it is the perpetrator, or (non-state perpetrator) it lowered its protection because outsiders engaged"),
        ("buck_passing_index", "-", "share of capable, aware state-weeks of states not bound by a duty to protect in which the state did not restrain"),
        ("responsibility_gap_weeks", "weeks", "atrocity weeks with no bystander action and no troops deployed"),
        ("population_remaining", "people", "population still at risk at the end"),
    ]

    /// The values in column order, formatted reproducibly (shortest round-trip decimals).
    public var fields: [String] {
        func w(_ x: Int?) -> String { x.map(String.init) ?? "" }
        func d(_ x: Double) -> String { formatNumber(x) }
        return [
            w(onsetWeek), w(atrocityStartWeek), w(endWeek), endReason.rawValue,
            d(deathsTotal), d(deathsEscalating), d(deathsAtrocity), String(atrocityWeeks),
            w(firstActionWeek), w(responseWeeks), w(firstResolutionWeek), w(firstResolutionLevel),
            String(maxLevelAdopted), String(draftsTabled), String(draftsAdopted), String(draftsVetoed), vetoesBy,
            d(troopsAuthorised), d(troopsDeployedPeak), d(troopWeeks),
            d(burdenTotal), d(burdenGini), d(burdenTopShare),
            String(breachesRespect), String(breachesProtect), String(breachesNotObstruct), String(breachesAssist), String(breachesPrimary),
            buckPassingIndex.map(d) ?? "", String(responsibilityGapWeeks), d(populationRemaining),
        ]
    }

    /// Numeric values in column order (nil where missing or not numeric), for summaries.
    public var numericValues: [Double?] {
        fields.enumerated().map { k, s in
            Self.columns[k].name == "end_reason" || Self.columns[k].name == "vetoes_by" ? nil : Double(s)
        }
    }

    /// Whether every number is finite (a run that is not is recorded as failed).
    public var isFinite: Bool {
        [deathsTotal, deathsEscalating, deathsAtrocity, troopsAuthorised, troopsDeployedPeak, troopWeeks,
         burdenTotal, burdenGini, burdenTopShare, buckPassingIndex ?? 0, populationRemaining].allSatisfy(\.isFinite)
    }
}

/// Integral values print without a fractional part; others with the shortest decimal that
/// reads back to the same Double, so files are byte-identical across runs and platforms.
public func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}

/// One week of one run, for inspection (`--timeseries`).
public struct WeekRecord: Sendable, Equatable {
    public var week: Int
    public var phase: Phase
    public var deaths: Double
    public var reported: Double
    public var warningLevel: Int
    public var salience: Double
    public var strength: Double
    public var restraint: Double
    public var sanctions: Double
    public var protection: Double
    public var troopsDeployed: Double
    public var awareStates: Int
    public var actingStates: Int
    public var dutyHoldersBound: Int
    public var councilLevel: Int
    public static let columns = ["phase", "deaths", "reported_deaths", "warning_level", "salience", "strength",
                                 "restraint", "sanctions", "protection", "troops_deployed", "aware_states",
                                 "acting_states", "duty_holders_bound", "council_level"]
    public var fields: [String] {
        [phase.key, formatNumber(deaths), formatNumber(reported), String(warningLevel), formatNumber(salience),
         formatNumber(strength), formatNumber(restraint), formatNumber(sanctions), formatNumber(protection),
         formatNumber(troopsDeployed), String(awareStates), String(actingStates), String(dutyHoldersBound), String(councilLevel)]
    }
}

public enum Vote: String, Sendable { case yes, no, abstain }

/// One member's vote on one draft.
public struct VoteRecord: Sendable, Equatable {
    public var week: Int
    public var draft: Int
    public var level: Int
    public var member: String
    public var permanent: Bool
    public var vote: Vote
    public var adopted: Bool
    public var penholder: String
    public static let columns = ["week", "draft", "level", "member", "permanent", "vote", "adopted", "penholder"]
    public var fields: [String] {
        [String(week), String(draft), String(level), member, permanent ? "1" : "0", vote.rawValue, adopted ? "1" : "0", penholder]
    }
}

/// Everything a run produces. With several crises, everything is of the last one.
public struct RunResult: Sendable {
    public var outcome: RunOutcome
    public var weeks: [WeekRecord]
    public var votes: [VoteRecord]
    /// Per state (indexed like the world): the burden it bore and the duties it breached at
    /// least once.
    public var burden: [Double]
    public var breached: [DutySet]
    /// The duties each state held in this run (the regime's allocation for the run).
    public var held: [DutySet]
}

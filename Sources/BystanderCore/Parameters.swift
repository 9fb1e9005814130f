/// Every parameter of the model, with its default. The config reader documents each one
/// (unit, source) where it reads it; `bystander params` prints that table and docs/MODEL.md
/// includes it. Units: weeks, km, people, troops; capacities are relative to the median
/// state (= 1); costs are in "burden units" (1 = one week of full-effort restraint by a
/// median state); link weights and probabilities are in [0, 1].
public struct ModelParameters: Sendable, Equatable {
    public var horizonWeeks = 104
    /// Crises run in sequence in one run, reputation carried from one to the next.
    public var crises = 1
    public var world = WorldParameters()
    public var crisis = CrisisParameters()
    public var information = InformationParameters()
    public var bystanders = BystanderParameters()
    public var council = CouncilParameters()
    public var missions = MissionParameters()
    public var duties = DutyParameters()
    public var capacityRegime = CapacityRegimeParameters()
    public init() {}
}

/// The five UN regional groups (electoral groups for the Council's elected seats).
public enum RegionalGroup: Int, CaseIterable, Sendable, Comparable {
    case africa, asiaPacific, easternEurope, latinAmericaCaribbean, westernEuropeOthers
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var key: String {
        ["africa", "asia_pacific", "eastern_europe", "latin_america_caribbean", "western_europe_others"][rawValue]
    }
    /// UN members by electoral group (193: the US, Israel and Türkiye counted in WEOG,
    /// Kiribati in Asia-Pacific), as in the real-data country table.
    public var memberCount: Int { [54, 54, 23, 33, 29][rawValue] }
}

public struct Links: Sendable, Equatable {
    public var support = 0.0      // arms, money or cover given to the perpetrator
    public var alignment = 0.0    // sympathy with, or interest in, the perpetrator's survival
    public var governance = 0.0   // authority or effective control over territory or perpetrator
    public var tie = 0.0          // historical or colonial relationship with the territorial state
    public var pastSupport = 0.0  // contribution to the risk before the crisis
    public init(support: Double = 0, alignment: Double = 0, governance: Double = 0, tie: Double = 0, pastSupport: Double = 0) {
        self.support = support; self.alignment = alignment; self.governance = governance
        self.tie = tie; self.pastSupport = pastSupport
    }
}

/// A state named in the config; any field left nil is drawn like a background state's.
public struct NamedState: Sendable, Equatable {
    public var iso: String
    public var group: RegionalGroup?
    public var military: Double?
    public var economic: Double?
    public var diplomatic: Double?
    public var distanceKm: Double?
    public var contiguous: Bool?
    public var links = Links()
    public var costSensitivity: Double?
    public var troopPropensity: Double?
    public init(iso: String) { self.iso = iso }
}

public struct WorldParameters: Sendable, Equatable {
    public var stateCount = 193
    /// Log-scale sd of each capacity component (median 1).
    public var capacityLogSD = 2.0
    /// Correlation of the three log capacity components across states.
    public var capacityCorrelation = 0.8
    public var sameRegionDistanceKm = 2500.0
    public var otherRegionDistanceKm = 7500.0
    public var distanceLogSD = 0.4
    public var neighbours = 5
    public var neighbourDistanceKm = 600.0
    /// Background states' alignment with the perpetrator: Beta with this mean and concentration.
    public var backgroundAlignmentMean = 0.05
    public var backgroundAlignmentConcentration = 4.0
    /// Share of same-region background states with a historical tie, and its weight.
    public var backgroundTieShare = 0.0
    public var backgroundTieWeight = 0.5
    public var costSensitivityLogSD = 0.3
    public var troopPropensityBase = 0.6
    /// How much a state's troop propensity falls with its economic rank (developed states
    /// under-contribute).
    public var troopDevelopedDiscount = 0.7
    /// States given explicitly (the permanent members by default, with COW 2016 capacities).
    public var named: [NamedState] = WorldParameters.defaultNamedStates
    /// What the real-data loader reported (states missing from a file, values imputed).
    public var dataNotes: [String] = []
    /// Whether the config starts from `defaultNamedStates` (set by the config reader).
    public var includeDefaultStates = true
    public init() {}

    public static let defaultNamedStates: [NamedState] = [
        ("CHN", RegionalGroup.asiaPacific, 286.0, 649.0, 262.0),
        ("FRA", .westernEuropeOthers, 93.0, 27.0, 15.0),
        ("GBR", .westernEuropeOthers, 103.0, 30.0, 15.0),
        ("RUS", .easternEurope, 92.0, 151.0, 41.0),
        ("USA", .westernEuropeOthers, 1190.0, 377.0, 151.0),
    ].map { iso, group, mil, econ, dip in
        var s = NamedState(iso: iso)
        s.group = group; s.military = mil; s.economic = econ; s.diplomatic = dip
        return s
    }
}

public enum PerpetratorKind: String, CaseIterable, Sendable { case state, nonState = "non_state" }
/// What the killing is for, a fact of each case: `destruction` when the perpetrator means to
/// destroy a protected group in whole or in part (the genocide-specific risk factor of the UN
/// Framework of Analysis, seed 004 L4183-4187), `instrumental` when killing civilians is one
/// means among others (repression, counter-insurgency, war).
public enum PerpetratorIntent: String, CaseIterable, Sendable { case instrumental, destruction }
public enum Phase: Int, CaseIterable, Sendable { case latent, escalating, atrocity, ended
    public var key: String { ["latent", "escalating", "atrocity", "ended"][rawValue] }
}
public enum DeathDistribution: String, CaseIterable, Sendable { case poisson, negativeBinomial = "negative_binomial" }

/// The eight common risk factors of the UN Framework of Analysis for Atrocity Crimes (2014).
public enum RiskFactor: Int, CaseIterable, Sendable {
    case armedConflict, recordOfViolations, weakStateStructures, motives, capacityToCommit,
         absenceOfMitigatingFactors, enablingCircumstances, triggeringFactors
    public var key: String {
        ["armed_conflict", "record_of_violations", "weak_state_structures", "motives_or_incentives",
         "capacity_to_commit", "absence_of_mitigating_factors", "enabling_circumstances", "triggering_factors"][rawValue]
    }
}

public struct CrisisParameters: Sendable, Equatable {
    public var territorialState = "TER"
    public var territorialGroup = RegionalGroup.africa
    public var perpetrator = PerpetratorKind.state
    public var intent = PerpetratorIntent.instrumental
    public var initialPhase = Phase.latent
    public var populationAtRisk = 500_000.0
    public var riskFactors: [Double] = [0.7, 0.6, 0.6, 0.7, 0.7, 0.6, 0.6, 0.5]
    public var onsetHazardMax = 0.05
    public var riskExponent = 3.0
    public var escalationRate = 0.2
    public var escalationIntensity = 0.1
    // Calibrated on the case library: Experiments/calibration/calibrated.yaml, docs/VALIDATION.md.
    public var killRate = 0.00365
    /// Kill rate under intent to destroy, relative to `killRate`.
    public var destructionFactor = 109.0 // calibrated (calibrated.yaml)
    public var deathDistribution = DeathDistribution.negativeBinomial
    public var deathDispersion = 2.0
    public var initialStrength = 1.0
    public var maxStrength = 10.0
    public var strengthDrift = 0.0
    public var supportGrowth = 0.03
    public var sanctionErosion = 0.05
    public var forceErosion = 0.15
    public var endStrength = 0.2
    public var settlementBase = 0.002
    public var settlementPressure = 0.228 // calibrated (calibrated.yaml)
    public var territorialProtectionMax = 0.4
    public var territorialDeference = 0.5
    /// The weekly kill rate at strength 1 for this crisis's intent.
    public var effectiveKillRate: Double { intent == .destruction ? killRate * destructionFactor : killRate }
    public var assistanceRiskReduction = 0.02
    public init() {}
}

public struct InformationParameters: Sendable, Equatable {
    public var reportingDelayWeeks = 2
    public var signalNoiseSD = 0.5
    public var watchRisk = 0.5
    public var warningDeaths = 100.0
    public var emergencyDeaths = 1000.0
    public var salienceDecay = 0.85
    public var salienceScale = 2000.0
    public var levelSalience: [Double] = [0.0, 0.15, 0.25, 0.35] // none, watch, warning, emergency
    public var attentionRangeKm = 5000.0
    public var attentionFloor = 0.3
    public var awarenessThreshold = 0.1
    /// Weight of this week's report in the smoothed signal (exponential smoothing).
    public var signalSmoothing = 0.5
    public init() {}
}

public struct BystanderParameters: Sendable, Equatable {
    public var capableThreshold = 1.0
    public var benefitScale = 1.0
    public var costCapacityExponent = 0.5
    public var restrainCost = 0.3
    public var sanctionCost = 0.5
    public var assistCost = 0.2
    public var forceCost = 2.0
    public var troopWeekCost = 0.0005
    public var leverageCapacityExponent = 0.5
    public var leverageDistanceKm = 5000.0
    public var linkFloor = 0.1
    public var leverageScale = 1.0
    public var maxRestraint = 0.8
    public var sanctionScale = 50.0
    public var forceScale = 500.0
    public var assistScale = 20.0
    public var supporterCutPropensity = 0.05
    /// Concern added by contiguity (a tie adds its weight).
    public var contiguityConcern = 0.5
    /// Leverage is scaled by C_i / (C_i + w C_T) when the territorial state perpetrates.
    public var perpetratorPowerWeight = 1.0
    /// Share of an outsider's leverage lost when the perpetrator or its patron holds a veto.
    public var vetoShield = 0.5
    /// Alignment from which a permanent member shields the perpetrator with its veto.
    public var patronAlignment = 0.5
    public var unDeference = true
    public var unilateralForce = false
    public init() {}
}

public enum VetoRestraintMode: String, CaseIterable, Sendable { case strict, cost }

public struct CouncilParameters: Sendable, Equatable {
    public var enabled = true
    public var permanent = ["CHN", "FRA", "GBR", "RUS", "USA"]
    /// Elected seats by regional group (Africa, Asia-Pacific, Eastern Europe, GRULAC, WEOG).
    public var electedSeats = [3, 2, 1, 2, 2]
    /// Elected members given explicitly (else drawn by the quota from the world stream).
    public var elected: [String] = []
    public var rotateElected = true
    public var quota = 9
    public var vetoThreshold = 1
    public var pledged = ["FRA", "GBR"]
    public var vetoRestraint = VetoRestraintMode.strict
    public var pledgeCost = 1.0
    public var patienceWeeks = 2 // calibrated (calibrated.yaml)
    public var redraftWeeks = 2 // calibrated (calibrated.yaml)
    public var requiredDeathDrop = 0.5
    public var tablingThreshold = 0.05
    public var voteBenefitWeight = 2.0
    public var voteAlignmentWeight = 2.03 // calibrated (calibrated.yaml)
    public var voteCostWeight = 0.3
    public var levelIntrusiveness: [Double] = [0.1, 0.4, 0.7, 1.0]
    public var abstainBand = 0.3
    public var voteNoiseSD = 0.3
    public var statementSalienceBoost = 0.1
    public var councilSanctions = 0.5
    public var embargoLeakage = 0.5
    public init() {}
}

public enum Mandate: Int, CaseIterable, Sendable, Comparable { case none, observe, protect, enforce
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var key: String { ["none", "observe", "protect", "enforce"][rawValue] }
}

public struct MissionParameters: Sendable, Equatable {
    public var protectTroops = 8000.0
    public var enforceTroops = 12000.0
    public var deploymentLagWeeks = 13
    public var expectedDeploymentWeeks = 26.0
    public var contingentSize = 800.0
    public var protectionMax = 0.513 // calibrated (calibrated.yaml)
    public var troopScale = 1700.0
    public var observeFactor = 0.25
    public var enforceErosion = 0.1
    public var consentStateLed = 0.3
    public var consentNonState = 0.9
    public var casualtyRate = 0.00002
    public var withdrawalSensitivity = 0.2
    /// States aligned with the perpetrator at or above this do not contribute troops.
    public var contributorMaxAlignment = 0.5
    public var initialTroops = 0.0
    public var initialMandate = Mandate.none
    public var initialContributors: [String] = []
    public init() {}
}

public struct DutySet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let respect = DutySet(rawValue: 1)
    public static let protect = DutySet(rawValue: 2)
    public static let notObstruct = DutySet(rawValue: 4)
    public static let assist = DutySet(rawValue: 8)
    /// The territorial state's primary duty to protect its own population (pillar one).
    public static let primary = DutySet(rawValue: 16)
    public static let all: DutySet = [.respect, .protect, .notObstruct, .assist, .primary]
    public static let names: [(DutySet, String)] = [(.respect, "respect"), (.protect, "protect"), (.notObstruct, "not_obstruct"), (.assist, "assist"), (.primary, "primary")]
}

public struct DutyParameters: Sendable, Equatable {
    public var enabled: DutySet = .all
    /// The pull of a duty: internalisation (honoured as law, nobody watching) and informal
    /// enforcement (naming and shaming, scaled by salience, peers and reputation).
    public var internalisation = 0.1
    public var enforcement = 1.0
    public var salienceFloor = 0.2
    public var peerPressure = 1.0
    /// A holder's interest against complying: the capacity-scaled cost of the act plus these
    /// weights times its alignment with and support for the perpetrator.
    public var alignmentInterest = 4.0
    public var supportInterest = 1.0
    /// Reputation for honouring duties, carried across the crises of a run.
    public var reputationWeight = 1.0
    public var reputationInitial = 0.5
    public var reputationLearning = 0.5
    /// The designated-responder effect: a state without a duty, aware that another state holds
    /// it bound, lowers its propensity to take that act by this share (seed 000 L653-655).
    public var deference = 0.3
    public var governanceThreshold = 0.5
    public var substantialSupport = 0.3
    public var tieThreshold = 0.5
    public var pastSupportThreshold = 0.1
    public var diligence = 1.0
    public var obstructionCost = 2.0
    public var burdenCap = 0.2
    public init() {}
}

public struct CapacityRegimeParameters: Sendable, Equatable {
    public var k = 5
    public var duties: DutySet = [.protect, .assist]
    /// Log-scale sd of the noise with which states read the leverage criterion.
    public var rankingNoise = 0.5
    public init() {}
}

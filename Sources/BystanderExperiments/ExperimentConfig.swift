import BystanderCore
import Foundation
import Synchronization
import Yams

/// A sweep over model parameters (see Sweep.swift).
public struct SweepSpec: Sendable, Equatable {
    public enum Method: String, CaseIterable, Sendable { case grid, latinHypercube = "latin_hypercube", sobol, saltelli, file }
    public struct Dimension: Sendable, Equatable {
        public var path: String
        public var values: [String]      // grid: YAML scalars as written
        public var lower: Double
        public var upper: Double
        public var integer: Bool
        /// Spread points evenly in log(value) rather than in value (ranges over decades).
        public var logScale = false
    }
    public var method: Method
    public var points: Int
    public var file: String?
    public var dimensions: [Dimension]
    /// Every point uses the seeds of point 0, so differences between points are not blurred
    /// by Monte Carlo noise (common random numbers across points, as across regimes).
    public var commonRandomNumbers = false
}

/// An experiment: what to run (model parameters, regimes, replicates, seed) and where the
/// results go. Built from YAML by `ExperimentConfig.load`.
public struct ExperimentConfig: @unchecked Sendable {
    public var name: String
    public var description: String
    public var seed: UInt64
    public var replicates: Int
    public var output: String
    public var regimes: [String]
    public var model: ModelParameters
    public var sweep: SweepSpec?
    /// Observed outcomes of a historical case (case library), kept verbatim for reports.
    public var observed: [String: ResolvedValue]
    /// Every parameter with its resolved value, in reading order (for the manifest).
    public var resolved: [(String, ResolvedValue)]
    /// The parsed file, kept so that sweep points can be re-read with overrides.
    var root: Node?
    var sourceName: String
    var baseDirectory: String

    /// The largest config file read, in bytes. Configs are written by hand (a few KB; data
    /// and designs go in CSV files): the bound keeps a hostile file from costing minutes and
    /// gigabytes in the YAML parser before its error (70 MB took Yams about a minute).
    public static let maximumFileSize = 1 << 20

    /// Read a config file. Errors name the key path and line.
    public static func load(path: String) throws -> ExperimentConfig { try load(text: readText(path), path: path) }

    /// The text of a config file, read up to the size limit (a FIFO or /dev/zero included).
    static func readText(_ path: String) throws -> String {
        let shown = clip(path, 200)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw ConfigError(path: "", "config file \(shown) does not exist") }
        guard !isDir.boolValue else { throw ConfigError(path: "", "config file \(shown) is a folder") }
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.read(upToCount: maximumFileSize + 1) ?? Data() else {
            throw ConfigError(path: "", "config file \(shown) cannot be read")
        }
        try? handle.close()
        guard data.count <= maximumFileSize else {
            throw ConfigError(path: "", "config file \(shown) is larger than \(maximumFileSize) bytes (1 MiB), the limit for a config; put large designs in a CSV file (sweep.file)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(path: "", "config file \(shown) is not UTF-8 text") }
        return text
    }

    /// A config file's text, read: an empty one (or one of comments only) is a mistake, not a
    /// request for the defaults.
    static func load(text: String, path: String) throws -> ExperimentConfig {
        let root = try parseYAML(text, file: path)
        var empty = root == nil
        if case .mapping(let m)? = root, m.isEmpty { empty = true }
        if empty { throw ConfigError(path: "", "config file \(clip(path, 200)) is empty (write at least a name: and the keys to change; `bystander params` lists them)") }
        let dir = (path as NSString).deletingLastPathComponent
        return try decode(root: root, overrides: [:], sourceName: path, baseDirectory: dir.isEmpty ? "." : dir)
    }

    /// `name` becomes a folder name and a Slurm job name: a safe slug only.
    static func nameProblem(_ name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
        guard allowed, (1...64).contains(name.count), let first = name.unicodeScalars.first, CharacterSet.alphanumerics.contains(first) else {
            return "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names the output folder and the Slurm job), got '\(clip(name, 60))'"
        }
        return nil
    }

    /// An output folder from a config: no control characters and no '..', so a config cannot
    /// send results above the folder it names.
    static func outputProblem(_ output: String) -> String? {
        if output.isEmpty { return "must not be empty" }
        if let problem = pathProblem(output) { return problem }
        if output.split(separator: "/").contains("..") { return "must not contain '..' (got '\(clip(output, 60))')" }
        return nil
    }

    /// A path that is to be printed in messages and written into scripts: no control characters.
    public static func pathProblem(_ path: String) -> String? {
        path.unicodeScalars.contains { $0.properties.generalCategory == .control } ? "must not contain control characters (a newline, a tab...)" : nil
    }

    public static func parse(_ text: String, name: String = "config", baseDirectory: String = ".") throws -> ExperimentConfig {
        let root = try parseYAML(text, file: name)
        return try decode(root: root, overrides: [:], sourceName: name, baseDirectory: baseDirectory)
    }

    /// Keys that describe the experiment rather than the model: set once, never swept.
    static let experimentKeys = ["name", "description", "seed", "replicates", "output", "regimes", "sweep", "observed"]

    /// Why a key path cannot be a sweep parameter, or nil if it can (if it names a model
    /// parameter at all is checked when the design's values are read).
    static func sweepProblem(_ path: String) -> String? {
        let head = path.split(separator: ".", maxSplits: 1).first.map(String.init) ?? path
        guard experimentKeys.contains(head) else { return nil }
        return "not a model parameter: \(experimentKeys.joined(separator: ", ")) describe the whole experiment and cannot be swept"
    }

    /// The documented parameters (all keys with their defaults), read from an empty config.
    public static func schema() -> [ParameterDoc] {
        let context = ReadingContext(overrides: [:])
        _ = try? decodeBody(root: nil, context: context, sourceName: "defaults", baseDirectory: ".")
        return context.docs
    }

    /// This config with some parameters replaced (dotted key paths), re-validated in full.
    public func with(overrides: [String: Node]) throws -> ExperimentConfig {
        try Self.decode(root: root, overrides: overrides, sourceName: sourceName, baseDirectory: baseDirectory)
    }

    static func decode(root: Node?, overrides: [String: Node], sourceName: String, baseDirectory: String) throws -> ExperimentConfig {
        let context = ReadingContext(overrides: overrides)
        var config = try decodeBody(root: root, context: context, sourceName: sourceName, baseDirectory: baseDirectory)
        for path in overrides.keys.sorted() where !context.usedOverrides.contains(path) {
            var message = "no such parameter"
            if let near = nearest(path, in: context.docs.map(\.path)) { message += " (did you mean '\(near)'?)" }
            throw ConfigError(path: "sweep.parameters.\(path)", message)
        }
        config.resolved = context.resolved
        return config
    }

    /// The whole schema: each key, its range, default, unit and source.
    static func decodeBody(root: Node?, context: ReadingContext, sourceName: String, baseDirectory: String) throws -> ExperimentConfig {
        var top = try MappingReader(context: context, path: "", node: root)
        let defaults = ModelParameters()
        var m = ModelParameters()
        let name = try top.string("name", "experiment", "Name of the experiment (used in reports).", validate: nameProblem)
        let description = try top.string("description", "", "Free text: the question the experiment answers.")
        let seed = try top.int("seed", 1, 0...Int.max, "Root seed: every run's seed derives from it, the design point and the replicate.")
        let replicates = try top.int("replicates", 100, 1...10_000_000, unit: "runs", "Replicates per design point and regime.")
        m.horizonWeeks = try top.int("horizon_weeks", defaults.horizonWeeks, 1...5200, unit: "weeks", source: "MODEL-BRIEF section 2", "Length of a run; one step is one week.")
        let output = try top.string("output", "Results/\(name)", "Output folder (the CLI's --output overrides it).", validate: outputProblem)
        let regimes = try top.strings("regimes", Regimes.names, "Allocation regimes to run, each on the same seeds.") { r in
            Regimes.named(r) == nil ? "unknown regime '\(r)'\(nearest(r, in: Regimes.names).map { " (did you mean '\($0)'?)" } ?? ""); choose from \(Regimes.names.joined(separator: ", "))" : nil
        }
        if regimes.isEmpty { throw ConfigError(path: "regimes", line: top.line, "must name at least one regime") }
        if Set(regimes).count != regimes.count { throw ConfigError(path: "regimes", "a regime is listed twice") }

        var world = try top.section("world")
        let data = try readWorld(&world, &m)
        try readCrisis(&top, &m)
        // Named states are read once the territorial state is known: real-data worlds need it.
        try readNamedStates(&world, &m, data: data, baseDirectory: baseDirectory)
        try world.finish()
        try readInformation(&top, &m)
        try readBystanders(&top, &m)
        try readCouncil(&top, &m)
        try readMissions(&top, &m)
        try readDuties(&top, &m)
        var sweepReader = try top.section("sweep")
        let sweep = try SweepSpec.read(&sweepReader, baseDirectory: baseDirectory)
        try sweepReader.finish()
        let observedNode = top.node("observed")
        let observed = try readObserved(observedNode)
        try top.finish()
        try crossCheck(m)
        return ExperimentConfig(name: name, description: description, seed: UInt64(seed), replicates: replicates, output: output,
                                regimes: regimes, model: m, sweep: sweep, observed: observed, resolved: context.resolved,
                                root: root, sourceName: sourceName, baseDirectory: baseDirectory)
    }

    /// Where a real-data world comes from.
    struct DataSource { var capabilities: String; var distances: String; var year: Int; var line: Int? }

    static func readWorld(_ r: inout MappingReader, _ m: inout ModelParameters) throws -> DataSource? {
        let d = WorldParameters()
        let source = try r.choice("source", WorldSource.synthetic, source: "-", "synthetic: states drawn from the distributions below; data: states from the COW and CEPII files below (see README for downloads).")
        let capabilities = try r.string("capabilities", "", source: "Correlates of War NMC 6.0", "source: data: the COW National Material Capabilities CSV, relative to the config.")
        let distances = try r.string("distances", "", source: "CEPII GeoDist (Mayer & Zignago 2011)", "source: data: the CEPII GeoDist CSV (dist_cepii), relative to the config.")
        let year = try r.int("year", 2016, 1816...2100, unit: "year", "source: data: the year whose capabilities and states are used.")
        m.world.includeDefaultStates = try r.bool("default_states", true, source: "COW NMC 6.0, 2016", "synthetic: include the five permanent members (CHN, FRA, GBR, RUS, USA) with their COW 2016 capacities as named states.")
        m.world.stateCount = try r.int("count", d.stateCount, 1...100_000, unit: "states", source: "UN membership (193)", "Number of states, the territorial state included.")
        m.crises = try r.int("crises", ModelParameters().crises, 1...1000, unit: "crises", source: "seed 001 L673-683 (reputation across crises); assumption", "Crises each run goes through in sequence, in the same world; states carry their reputation for honouring duties from one to the next. runs.csv and states.csv record the last one (it runs on the run's seed, paired with a one-crisis run).")
        var cap = try r.section("capacity")
        m.world.capacityLogSD = try cap.double("log_sd", d.capacityLogSD, 0...5, source: "assumption, below the log-sd of CINC across states in COW NMC 6.0, 2016 (2.6)", "Log-scale sd of each capacity component (median 1).")
        m.world.capacityCorrelation = try cap.double("correlation", d.capacityCorrelation, 0...1, "Correlation of the log components (military, economic, diplomatic).")
        try cap.finish()
        var dist = try r.section("distance")
        m.world.sameRegionDistanceKm = try dist.double("same_region_km", d.sameRegionDistanceKm, 0...40_000, unit: "km", "Median distance to the crisis of states in its regional group.")
        m.world.otherRegionDistanceKm = try dist.double("other_region_km", d.otherRegionDistanceKm, 0...40_000, unit: "km", "Median distance of states in other groups.")
        m.world.distanceLogSD = try dist.double("log_sd", d.distanceLogSD, 0...3, "Log-scale sd of distances.")
        try dist.finish()
        var nb = try r.section("neighbours")
        m.world.neighbours = try nb.int("count", d.neighbours, 0...50, unit: "states", "Background states contiguous with the territorial state (nearest of its group).")
        m.world.neighbourDistanceKm = try nb.double("distance_km", d.neighbourDistanceKm, 0...40_000, unit: "km", "Distance cap of contiguous states.")
        try nb.finish()
        var bg = try r.section("background")
        m.world.backgroundAlignmentMean = try bg.double("alignment_mean", d.backgroundAlignmentMean, 0...0.99, "Mean alignment of background states with the perpetrator (Beta).")
        m.world.backgroundAlignmentConcentration = try bg.double("alignment_concentration", d.backgroundAlignmentConcentration, 0.01...1000, "Concentration (alpha + beta) of that Beta.")
        m.world.backgroundTieShare = try bg.double("tie_share", d.backgroundTieShare, 0...1, "Share of same-group background states with a historical tie (weight tie_weight).")
        m.world.backgroundTieWeight = try bg.double("tie_weight", d.backgroundTieWeight, 0...1, source: "assumption", "Weight of the tie such a background state has.")
        m.world.costSensitivityLogSD = try bg.double("cost_sensitivity_log_sd", d.costSensitivityLogSD, 0...3, "Log-scale sd of cost sensitivity (median 1).")
        try bg.finish()
        var tr = try r.section("troops")
        m.world.troopPropensityBase = try tr.double("propensity_base", d.troopPropensityBase, 0...1, "Troop-contribution propensity of the least developed state.")
        m.world.troopDevelopedDiscount = try tr.double("developed_discount", d.troopDevelopedDiscount, 0...1, source: "seed 002 L946-957 (developed states hesitate to send troops)", "Fall of propensity from the least to the most developed state (by economic rank).")
        try tr.finish()
        try r.section("states").keys().forEach { iso in
            if let problem = isoProblem(iso) { throw ConfigError(path: "world.states.\(iso)", line: r.line, problem) }
        }
        guard source == .data else { return nil }
        for (key, value) in [("capabilities", capabilities), ("distances", distances)] where value.isEmpty {
            throw ConfigError(path: "world.\(key)", line: r.line, "source: data needs a file")
        }
        return DataSource(capabilities: capabilities, distances: distances, year: year, line: r.line)
    }

    /// Named states: the defaults (the permanent members with COW capacities) or the states of
    /// a real-data world, with the config's entries read over them.
    static func readNamedStates(_ r: inout MappingReader, _ m: inout ModelParameters, data: DataSource?, baseDirectory: String) throws {
        var statesReader = try r.section("states")
        var named = m.world.includeDefaultStates ? WorldParameters().named : []
        if let data {
            let resolve = { (f: String) in f.hasPrefix("/") ? f : "\(baseDirectory)/\(f)" }
            do {
                let loaded = try RealDataCache.load(capabilities: resolve(data.capabilities), distances: resolve(data.distances), year: data.year, territorial: m.crisis.territorialState)
                named = loaded.states
                m.world.dataNotes = loaded.notes
            } catch let e as RealDataError {
                throw ConfigError(path: "world.source", line: data.line, e.description)
            }
            m.world.stateCount = named.count
        }
        for iso in statesReader.keys() where !named.contains(where: { $0.iso == iso }) {
            if data != nil { throw ConfigError(path: statesReader.full(iso), line: statesReader.line, "\(iso) is not a state of the \(data!.year) data") }
            named.append(NamedState(iso: iso))
        }
        // Real-data worlds have ~195 states: only the entries the config names are read (and
        // documented in the resolved config); the rest keep their data.
        let given = Set(statesReader.keys())
        m.world.named = try named.map { base in
            guard data == nil || given.contains(base.iso) else { return base }
            var e = try statesReader.section(base.iso)
            let s = try readNamedState(&e, base)
            try e.finish()
            return s
        }
        try statesReader.finish()
    }

    static func readNamedState(_ r: inout MappingReader, _ base: NamedState) throws -> NamedState {
        var s = base
        if let g = try r.optionalChoice("group", base.group.map(GroupKey.init), "UN regional group.") { s.group = g.group }
        var cap = try r.section("capacity")
        let cow = base.military != nil ? "COW NMC 6.0, 2016, relative to the median state" : "assumption"
        s.military = try cap.optionalDouble("military", base.military, 0...1e7, unit: "x median", source: cow, "Military capacity (COW milex relative to the median state).")
        s.economic = try cap.optionalDouble("economic", base.economic, 0...1e7, unit: "x median", source: cow, "Economic capacity (COW energy consumption relative to the median).")
        s.diplomatic = try cap.optionalDouble("diplomatic", base.diplomatic, 0...1e7, unit: "x median", source: cow, "Diplomatic capacity (COW CINC relative to the median).")
        try cap.finish()
        s.distanceKm = try r.optionalDouble("distance_km", base.distanceKm, 0...40_000, unit: "km", "Distance to the crisis.")
        s.contiguous = try r.optionalBool("contiguous", base.contiguous, "Shares a border with the territorial state (absent: contiguous only if among the nearest states of the crisis group).")
        var l = try r.section("links")
        s.links.support = try l.double("support", base.links.support, 0...1, "Arms, money or cover given to the perpetrator.")
        s.links.alignment = try l.double("alignment", base.links.alignment, 0...1, "Sympathy with, or interest in, the perpetrator.")
        s.links.governance = try l.double("governance", base.links.governance, 0...1, "Authority or effective control over the territory or perpetrator.")
        s.links.tie = try l.double("tie", base.links.tie, 0...1, "Historical or colonial relationship with the territorial state.")
        s.links.pastSupport = try l.double("past_support", base.links.pastSupport, 0...1, "Contribution to the risk before the crisis.")
        try l.finish()
        s.costSensitivity = try r.optionalDouble("cost_sensitivity", base.costSensitivity, 0.001...1000, "Sensitivity to costs (median 1).")
        s.troopPropensity = try r.optionalDouble("troop_propensity", base.troopPropensity, 0...1, "Propensity to contribute troops.")
        return s
    }

    static func readCrisis(_ top: inout MappingReader, _ m: inout ModelParameters) throws {
        var r = try top.section("crisis")
        let d = CrisisParameters()
        m.crisis.territorialState = try r.string("territorial_state", d.territorialState, "ISO alpha-3 code of the territorial state.") { isoProblem($0) }
        if let g = try r.optionalChoice("territorial_group", GroupKey(d.territorialGroup), "Regional group of the territorial state (if it is not a named state with a group).") { m.crisis.territorialGroup = g.group }
        m.crisis.perpetrator = try r.choice("perpetrator", d.perpetrator, source: "MODEL-BRIEF section 2", "Who perpetrates: the territorial state itself, or a non-state group it cannot or will not stop.")
        m.crisis.intent = try r.choice("intent", d.intent, source: "seed 004 L4183-4187 (Framework of Analysis: signs of an intent to destroy a protected group)", "What the killing is for: instrumental (one means among others: repression, counter-insurgency, war) or destruction (to destroy a protected group in whole or in part). A fact of the case; destruction multiplies the kill rate by crisis.deaths.destruction_factor.")
        m.crisis.initialPhase = try r.choice("initial_phase", PhaseKey(d.initialPhase), "Phase at week 0.").phase
        m.crisis.populationAtRisk = try r.double("population_at_risk", d.populationAtRisk, 0...1e9, unit: "people", "Population at risk at week 0.")
        var rf = try r.section("risk_factors")
        m.crisis.riskFactors = try RiskFactor.allCases.map { f in
            try rf.double(f.key, d.riskFactors[f.rawValue], 0...1, source: "seed 004 L4177-4182 (UN Framework of Analysis, common risk factors)", "Common risk factor, 0 absent to 1 fully present.")
        }
        try rf.finish()
        var on = try r.section("onset")
        m.crisis.onsetHazardMax = try on.double("hazard_max", d.onsetHazardMax, 0...1, unit: "1/week", "Weekly onset hazard when every risk factor is 1; hazard = hazard_max x risk^exponent, risk = mean of the factors.")
        m.crisis.riskExponent = try on.double("risk_exponent", d.riskExponent, 0...20, "Convexity of the hazard in the risk index.")
        m.crisis.escalationRate = try on.double("escalation_rate", d.escalationRate, 0...1, unit: "1/week", "Weekly probability that an escalating crisis turns to mass killing (scaled by current/initial risk).")
        m.crisis.escalationIntensity = try on.double("escalation_intensity", d.escalationIntensity, 0...1, "Killing in the escalating phase relative to the atrocity phase.")
        m.crisis.assistanceRiskReduction = try on.double("assistance_risk_reduction", d.assistanceRiskReduction, 0...1, unit: "1/week", source: "seed 004 L1199-1206 (structural prevention), magnitude an assumption", "Weekly proportional fall of the risk index under full prevention assistance.")
        try on.finish()
        var de = try r.section("deaths")
        m.crisis.killRate = try de.double("kill_rate", d.killRate, 0...1, unit: "1/week", source: "calibrated (Experiments/calibration/calibrated.yaml, docs/VALIDATION.md)", "Share of the remaining population killed per week at strength 1 with no protection, when the killing is instrumental.")
        m.crisis.destructionFactor = try de.double("destruction_factor", d.destructionFactor, 1...1e4, source: "calibrated (Experiments/calibration/calibrated.yaml, docs/VALIDATION.md)", "Kill rate under intent to destroy (crisis.intent: destruction), relative to kill_rate.")
        m.crisis.deathDistribution = try de.choice("distribution", d.deathDistribution, "Weekly count distribution (GSL).")
        m.crisis.deathDispersion = try de.double("dispersion", d.deathDispersion, 0.001...1e6, "Negative binomial size k: variance = mean + mean^2/k.")
        try de.finish()
        var st = try r.section("strength")
        m.crisis.initialStrength = try st.double("initial", d.initialStrength, 0...100, "Perpetrator strength at week 0.")
        m.crisis.maxStrength = try st.double("max", d.maxStrength, 0...1000, "Cap on strength.")
        m.crisis.strengthDrift = try st.double("drift", d.strengthDrift, -1...1, unit: "1/week", "Log-growth of strength per week without outside influence.")
        m.crisis.supportGrowth = try st.double("support_growth", d.supportGrowth, 0...10, unit: "1/week", "Log-growth per unit of support inflow (sum of supporters' support weights).")
        m.crisis.sanctionErosion = try st.double("sanction_erosion", d.sanctionErosion, 0...10, unit: "1/week", source: "seed 004 L4556-4562 (sanctions work best together), magnitude an assumption", "Log-decline per week at full sanctions.")
        m.crisis.forceErosion = try st.double("force_erosion", d.forceErosion, 0...10, unit: "1/week", "Log-decline per week at full force.")
        m.crisis.endStrength = try st.double("end_threshold", d.endStrength, 0...100, "The crisis ends (defeated) when strength falls below this.")
        try st.finish()
        var se = try r.section("settlement")
        m.crisis.settlementBase = try se.double("base", d.settlementBase, 0...1, unit: "1/week", "Weekly settlement probability with no pressure.")
        m.crisis.settlementPressure = try se.double("pressure", d.settlementPressure, 0...1, unit: "1/week", source: "calibrated (Experiments/calibration/calibrated.yaml, docs/VALIDATION.md); seed 004 L7709-7782 (pressure matters)", "Added weekly probability at full pressure (restraint, sanctions, force).")
        try se.finish()
        var te = try r.section("territorial")
        m.crisis.territorialProtectionMax = try te.double("protection_max", d.territorialProtectionMax, 0...1, "Protection the territorial state gives when the perpetrator is a non-state group (0 when it is the perpetrator).")
        m.crisis.territorialDeference = try te.double("deference", d.territorialDeference, 0...1, source: "seed 000 L644-655 (territorial state deems itself relieved once outsiders step in)", "Fall of territorial protection as the share of engaged outsiders rises to 1.")
        try te.finish()
        try r.finish()
    }

    static func readInformation(_ top: inout MappingReader, _ m: inout ModelParameters) throws {
        var r = try top.section("information")
        let d = InformationParameters()
        m.information.reportingDelayWeeks = try r.int("reporting_delay_weeks", d.reportingDelayWeeks, 0...52, unit: "weeks", "Delay before deaths are reported.")
        m.information.signalNoiseSD = try r.double("signal_noise_sd", d.signalNoiseSD, 0...5, "Log-scale sd of the multiplicative reporting error (lognormal, median 1).")
        m.information.watchRisk = try r.double("watch_risk", d.watchRisk, 0...1, source: "seed 004 L3821-3830 (Genocide Watch alert types)", "Risk index at which the level is 'watch' before any killing.")
        m.information.warningDeaths = try r.double("warning_deaths", d.warningDeaths, 0...1e9, unit: "deaths/week", source: "seed 004 L3821-3830 ('warning': single massacres occurring)", "Smoothed reported weekly deaths at which the level is 'warning'.")
        m.information.emergencyDeaths = try r.double("emergency_deaths", d.emergencyDeaths, 0...1e9, unit: "deaths/week", source: "seed 004 L3821-3830 ('emergency': genocide under way)", "Smoothed reported weekly deaths at which the level is 'emergency'.")
        m.information.salienceDecay = try r.double("salience_decay", d.salienceDecay, 0...1, source: "seed 004 L3319-3323 (silent public, silent authorities)", "Weekly persistence of salience.")
        m.information.salienceScale = try r.double("salience_scale", d.salienceScale, 1...1e9, unit: "deaths/week", "Reported weekly deaths that lift salience's target to 63% (1 - 1/e).")
        m.information.levelSalience = try r.doubles("level_salience", d.levelSalience, count: 4, 0...1, "Salience floor of each warning level: none, watch, warning, emergency.")
        m.information.attentionRangeKm = try r.double("attention_range_km", d.attentionRangeKm, 1...1e6, unit: "km", "Distance over which attention decays by 1/e (contiguity or ties give full attention).")
        m.information.attentionFloor = try r.double("attention_floor", d.attentionFloor, 0...1, "Least attention any state pays.")
        m.information.awarenessThreshold = try r.double("awareness_threshold", d.awarenessThreshold, 0...1, "A state is aware when salience x attention reaches this.")
        m.information.signalSmoothing = try r.double("signal_smoothing", d.signalSmoothing, 0...1, source: "assumption (reports accumulate over about two weeks)", "Weight of this week's report in the smoothed signal: smoothed = (1 - w) x last week's + w x this week's report.")
        try r.finish()
    }

    static func readBystanders(_ top: inout MappingReader, _ m: inout ModelParameters) throws {
        var r = try top.section("bystanders")
        let d = BystanderParameters()
        m.bystanders.capableThreshold = try r.double("capable_threshold", d.capableThreshold, 0...1e7, unit: "x median", "Composite capacity from which a state is in the pool of capable states.")
        m.bystanders.benefitScale = try r.double("benefit_scale", d.benefitScale, 0...1e6, unit: "burden units", "Benefit to a state of someone acting, at salience 1 and full concern.")
        m.bystanders.costCapacityExponent = try r.double("cost_capacity_exponent", d.costCapacityExponent, 0...3, "Perceived cost = cost x sensitivity / capacity^this.")
        var cost = try r.section("costs")
        m.bystanders.restrainCost = try cost.double("restrain", d.restrainCost, 0...1e6, unit: "burden units/week", "Cost of a week of restraint at full effort.")
        m.bystanders.sanctionCost = try cost.double("sanction", d.sanctionCost, 0...1e6, unit: "burden units/week", "Cost of a week of unilateral targeted sanctions.")
        m.bystanders.assistCost = try cost.double("assist", d.assistCost, 0...1e6, unit: "burden units/week", "Cost of a week of prevention assistance.")
        m.bystanders.forceCost = try cost.double("force", d.forceCost, 0...1e6, unit: "burden units/week", "Cost of a week of force.")
        m.bystanders.troopWeekCost = try cost.double("troop_week", d.troopWeekCost, 0...1e3, unit: "burden units/troop-week", source: "seed 002 L403-406 (MONUC: 18,700 troops, USD 1.35 bn a year), scaled by assumption", "Cost of one deployed soldier for one week.")
        try cost.finish()
        var lev = try r.section("leverage")
        m.bystanders.perpetratorPowerWeight = try lev.double("perpetrator_power_weight", d.perpetratorPowerWeight, 0...1e3, source: "MODEL-BRIEF section 4 (leverage counts the perpetrator's own power); assumption", "When the territorial state perpetrates, leverage is scaled by C_i / (C_i + this x C_territorial) (0: the perpetrator's power is ignored).")
        m.bystanders.vetoShield = try lev.double("veto_shield", d.vetoShield, 0...1, source: "MODEL-BRIEF section 4 (a veto held by the perpetrator or its patron); assumption", "Share of every other state's leverage lost when the perpetrator, or a permanent member aligned with it, holds a veto.")
        m.bystanders.patronAlignment = try lev.double("patron_alignment", d.patronAlignment, 0...1, source: "assumption", "Alignment from which a permanent member shields the perpetrator with its veto.")
        m.bystanders.leverageCapacityExponent = try lev.double("capacity_exponent", d.leverageCapacityExponent, 0...3, source: "seed 000 L288-290; seed 001 L393-409 (ICJ para. 430: capacity to influence)", "a in leverage = capacity^a x link x exp(-distance/lambda).")
        m.bystanders.leverageDistanceKm = try lev.double("distance_km", d.leverageDistanceKm, 1...1e6, unit: "km", source: "seed 000 L288-290 (geographical distance)", "lambda: distance over which leverage decays by 1/e.")
        m.bystanders.linkFloor = try lev.double("link_floor", d.linkFloor, 0...1, "Link weight of a state with no link (diplomacy alone).")
        m.bystanders.leverageScale = try lev.double("scale", d.leverageScale, 1e-6...1e6, "Restraint = max_restraint x (1 - exp(-sum of leverage x effort / scale)).")
        m.bystanders.maxRestraint = try lev.double("max_restraint", d.maxRestraint, 0...1, "Largest share of perpetrator strength restraint can neutralise.")
        try lev.finish()
        m.bystanders.sanctionScale = try r.double("sanction_scale", d.sanctionScale, 1e-6...1e9, unit: "x median", "Unilateral sanction level = 1 - exp(-sum of sanctioners' economic capacity / scale).")
        m.bystanders.forceScale = try r.double("force_scale", d.forceScale, 1e-6...1e9, unit: "x median", "Force level = 1 - exp(-sum of forcing states' military capacity / scale).")
        m.bystanders.assistScale = try r.double("assist_scale", d.assistScale, 1e-6...1e9, unit: "x median", "Assistance level = 1 - exp(-sum of assisting capacity x effort / scale).")
        m.bystanders.supporterCutPropensity = try r.double("supporter_cut_propensity", d.supporterCutPropensity, 0...1, unit: "1/week", "Weekly probability that a supporter without a duty cuts support, at salience 1 and no alignment.")
        m.bystanders.contiguityConcern = try r.double("contiguity_concern", d.contiguityConcern, 0...10, source: "seed 000 L288-290 (proximity); assumption", "Concern = (1 - alignment) x (1 + tie + this if contiguous).")
        m.bystanders.unDeference = try r.bool("un_deference", d.unDeference, source: "seed 000 L119-134, L678-681 (bystanders hide behind the UN)", "States count the UN as one more volunteer once the Council is seized or troops are deployed.")
        m.bystanders.unilateralForce = try r.bool("unilateral_force", d.unilateralForce, source: "seed 000 L438-450 (unilateral force is unlawful)", "Counterfactual switch: allow force without Council authorisation.")
        try r.finish()
    }

    static func readCouncil(_ top: inout MappingReader, _ m: inout ModelParameters) throws {
        var r = try top.section("council")
        let d = CouncilParameters()
        m.council.enabled = try r.bool("enabled", d.enabled, "Whether the Security Council acts at all.")
        m.council.permanent = try r.strings("permanent", d.permanent, source: "UN Charter Art. 23", "Permanent members (ISO codes; each must be a state of the world).") { isoProblem($0) }
        var seats = try r.section("elected_seats")
        m.council.electedSeats = try RegionalGroup.allCases.map { g in
            try seats.int(g.key, d.electedSeats[g.rawValue], 0...50, unit: "seats", source: "GA Res. 1991 (XVIII): 3, 2, 1, 2, 2", "Elected seats of the group.")
        }
        try seats.finish()
        m.council.elected = try r.strings("elected", d.elected, "Elected members given explicitly (else drawn by regional quota from the world seed).") { isoProblem($0) }
        m.council.rotateElected = try r.bool("rotate_elected", d.rotateElected, source: "UN Charter Art. 23(2): two-year terms", "Renew half the elected seats each 52 weeks.")
        m.council.quota = try r.int("quota", d.quota, 1...200, unit: "votes", source: "UN Charter Art. 27(3)", "Affirmative votes needed to adopt.")
        m.council.vetoThreshold = try r.int("veto_threshold", d.vetoThreshold, 0...50, unit: "votes", source: "UN Charter Art. 27(3) (1); 0 = no veto; 2 = double veto", "Permanent members' negative votes that block a draft.")
        m.council.pledged = try r.strings("veto_restraint_pledges", d.pledged, source: "seed 004 L897-926 (French initiative, ACT code of conduct)", "Permanent members pledged not to vote against atrocity drafts.") { isoProblem($0) }
        m.council.vetoRestraint = try r.choice("veto_restraint_mode", d.vetoRestraint, "strict: pledged members abstain instead of voting no; cost: a no costs them pledge_cost.")
        m.council.pledgeCost = try r.double("pledge_cost", d.pledgeCost, 0...1e6, "Cost of breaking a pledge (mode 'cost').")
        m.council.patienceWeeks = try r.int("patience_weeks", d.patienceWeeks, 1...520, unit: "weeks", source: "calibrated (Experiments/calibration/calibrated.yaml, docs/VALIDATION.md); seed 002 L864-892 (escalating measures if atrocities persist)", "Weeks after an adoption before the next rung is tabled if deaths have not fallen.")
        m.council.redraftWeeks = try r.int("redraft_weeks", d.redraftWeeks, 1...520, unit: "weeks", source: "calibrated (Experiments/calibration/calibrated.yaml, docs/VALIDATION.md)", "Weeks after a failed draft before it is tabled again.")
        m.council.requiredDeathDrop = try r.double("required_death_drop", d.requiredDeathDrop, 0...1, "Fall in reported deaths since the last draft that counts as the measure working.")
        m.council.tablingThreshold = try r.double("tabling_threshold", d.tablingThreshold, 0...10, "Penholder's benefit (salience x concern) needed to table a draft.")
        var vote = try r.section("vote")
        m.council.voteBenefitWeight = try vote.double("benefit_weight", d.voteBenefitWeight, 0...1e3, "Weight of salience x concern in a member's vote.")
        m.council.voteAlignmentWeight = try vote.double("alignment_weight", d.voteAlignmentWeight, 0...1e3, source: "calibrated (Experiments/calibration/calibrated.yaml, docs/VALIDATION.md)", "Weight of alignment with the perpetrator x the draft's intrusiveness.")
        m.council.voteCostWeight = try vote.double("cost_weight", d.voteCostWeight, 0...1e3, "Weight of expected cost (intrusiveness x cost sensitivity).")
        m.council.abstainBand = try vote.double("abstain_band", d.abstainBand, 0...1e3, "Votes with |value| within this band are abstentions.")
        m.council.voteNoiseSD = try vote.double("noise_sd", d.voteNoiseSD, 0...1e3, "Sd of the Gaussian noise in each vote.")
        try vote.finish()
        m.council.levelIntrusiveness = try r.doubles("level_intrusiveness", d.levelIntrusiveness, count: 4, 0...10, source: "seed 002 L249-263, L794-802 (measures ladder)", "Intrusiveness of the four rungs: statement, sanctions/embargo/referral, protection mission, all necessary measures.")
        var eff = try r.section("effects")
        m.council.statementSalienceBoost = try eff.double("statement_salience_boost", d.statementSalienceBoost, 0...1, source: "seed 004 L7756-7765 (condemnation too weak)", "Added to salience's weekly target in the week after a statement.")
        m.council.councilSanctions = try eff.double("sanctions", d.councilSanctions, 0...1, "Sanction level imposed by a rung-2 resolution.")
        m.council.embargoLeakage = try eff.double("embargo_leakage", d.embargoLeakage, 0...1, source: "seed 004 L4777-4783 (arms embargoes leak)", "Share of support that still flows under an embargo.")
        try eff.finish()
        try r.finish()
    }

    static func readMissions(_ top: inout MappingReader, _ m: inout ModelParameters) throws {
        var r = try top.section("missions")
        let d = MissionParameters()
        m.missions.protectTroops = try r.double("protect_troops", d.protectTroops, 0...1e6, unit: "troops", source: "REFERENCES: Hultman et al. 2013 (8,000 troops)", "Strength authorised by a rung-3 (protection of civilians) resolution.")
        m.missions.enforceTroops = try r.double("enforce_troops", d.enforceTroops, 0...1e6, unit: "troops", source: "REFERENCES: UNOCI 11,000; UNAMID 19,555", "Strength authorised by a rung-4 resolution.")
        m.missions.deploymentLagWeeks = try r.int("deployment_lag_weeks", d.deploymentLagWeeks, 0...520, unit: "weeks", source: "seed 002 L923-925 (Brahimi: 90 days), L940-943 (targets missed)", "Weeks from a pledge to deployment.")
        m.missions.expectedDeploymentWeeks = try r.double("expected_deployment_weeks", d.expectedDeploymentWeeks, 0...5200, unit: "weeks", "Deployment length a contributor expects when it weighs a pledge (its cost = troop_week x contingent x this).")
        m.missions.contingentSize = try r.double("contingent_size", d.contingentSize, 1...1e6, unit: "troops", "Size of one national contingent (a battalion).")
        m.missions.protectionMax = try r.double("protection_max", d.protectionMax, 0...1, source: "calibrated (Experiments/calibration/calibrated.yaml, docs/VALIDATION.md); range from REFERENCES: Hultman et al. 2013, Kocher", "Largest share of killing a mission can prevent.")
        m.missions.troopScale = try r.double("troop_scale", d.troopScale, 1...1e7, unit: "troops", source: "REFERENCES: Hultman et al. 2013 (fit: protection(8,000) = 0.98)", "Protection = protection_max x (1 - exp(-troops / scale)).")
        m.missions.observeFactor = try r.double("observe_factor", d.observeFactor, 0...1, "Protection of an observer mission relative to a protection mandate.")
        m.missions.enforceErosion = try r.double("enforce_erosion", d.enforceErosion, 0...10, unit: "1/week", "Log-decline of perpetrator strength per week under an enforcement mission at large strength.")
        var consent = try r.section("host_consent")
        m.missions.consentStateLed = try consent.double("state_perpetrator", d.consentStateLed, 0...1, source: "seed 002 L945-946 (reluctant hosts delay deployment)", "Probability that a perpetrating state consents to a Chapter VI mission.")
        m.missions.consentNonState = try consent.double("non_state_perpetrator", d.consentNonState, 0...1, "Probability of consent when the perpetrator is a non-state group.")
        try consent.finish()
        m.missions.casualtyRate = try r.double("casualty_rate", d.casualtyRate, 0...1, unit: "1/troop-week", "Expected casualties per deployed soldier per week at strength 1.")
        m.missions.withdrawalSensitivity = try r.double("withdrawal_sensitivity", d.withdrawalSensitivity, 0...100, source: "seed 004 L5664-5667 (Belgium withdraws; Res. 912)", "Withdrawal probability = 1 - exp(-this x cost sensitivity x casualties).")
        m.missions.contributorMaxAlignment = try r.double("contributor_max_alignment", d.contributorMaxAlignment, 0...1, source: "assumption (states aligned with the perpetrator do not send troops against it)", "States whose alignment with the perpetrator reaches this do not pledge troops.")
        var initial = try r.section("initial")
        m.missions.initialTroops = try initial.double("troops", d.initialTroops, 0...1e6, unit: "troops", "Troops deployed at week 0.")
        m.missions.initialMandate = try initial.choice("mandate", MandateKey(d.initialMandate), "Mandate of the mission in place at week 0.").mandate
        m.missions.initialContributors = try initial.strings("contributors", d.initialContributors, "States providing the initial troops (split equally).") { isoProblem($0) }
        try initial.finish()
        try r.finish()
    }

    static func readDuties(_ top: inout MappingReader, _ m: inout ModelParameters) throws {
        var r = try top.section("duties")
        let d = DutyParameters()
        let names = DutySet.names.map(\.1)
        let enabled = try r.strings("enabled", names, source: "seed 001 L425 (four bases of duty)", "Duties in force: respect, protect, not_obstruct, assist under individual_duty, and primary, the territorial state's duty to protect its population, under every regime.") { names.contains($0) ? nil : "unknown duty '\($0)'; choose from \(names.joined(separator: ", "))" }
        m.duties.enabled = DutySet(DutySet.names.filter { enabled.contains($0.1) }.map(\.0))
        m.duties.internalisation = try r.double("internalisation", d.internalisation, 0...1, source: "seed 001 L673-683 (law honoured because it is accepted, without a sheriff); assumption: a small share", "h: share of a bound holder's non-compliance that turns to compliance because it accepts the duty as law, whatever its interests and with nobody watching.")
        m.duties.enforcement = try r.double("enforcement", d.enforcement, 0...1e3, source: "seed 001 L673-683 (informal enforcement: naming, shaming)", "Strength of naming and shaming: pressure P = share x (salience_floor + salience) x (enforcement x (1 + peer_pressure x engaged) + reputation_weight x reputation).")
        m.duties.salienceFloor = try r.double("salience_floor", d.salienceFloor, 0...10, "Exposure of a holder even when the crisis is not salient (added to salience in P).")
        m.duties.peerPressure = try r.double("peer_pressure", d.peerPressure, 0...1e3, source: "seed 001 L677-683 (states put pressure on states that deviate); assumption", "Rise of enforcement with the share of capable, aware states that acted last week (they call out breaches).")
        m.duties.alignmentInterest = try r.double("alignment_interest", d.alignmentInterest, 0...1e3, unit: "burden units/week", source: "MODEL-BRIEF section 4 (a patron aligned with the perpetrator mostly breaches); assumption: full alignment outweighs ten weeks of restraint at full perceived cost", "Interest against complying per unit of alignment with the perpetrator: I = cost / kappa + this x alignment + support_interest x support.")
        m.duties.supportInterest = try r.double("support_interest", d.supportInterest, 0...1e3, unit: "burden units/week", source: "seed 001 L511-553 (a supporter has its own stake); assumption", "Interest against complying per unit of support given to the perpetrator.")
        m.duties.reputationWeight = try r.double("reputation_weight", d.reputationWeight, 0...1e3, source: "seed 001 L673-683, fn 189 (a norm must be effectuated enough to sustain belief in it)", "Weight of a holder's reputation in the pressure it feels (0: reputation off).")
        m.duties.reputationInitial = try r.double("reputation_initial", d.reputationInitial, 0...1, source: "assumption (no record either way)", "Every state's reputation for honouring duties at the first crisis.")
        m.duties.reputationLearning = try r.double("reputation_learning", d.reputationLearning, 0...1, source: "assumption", "Between crises, reputation moves this share of the way to the salience-weighted share of the holder's bound decisions others saw it honour.")
        m.duties.deference = try r.double("deference", d.deference, 0...1, source: "seed 000 L653-655 (the primary responsibility of one state induces outside actors to defer to it), L663-665 (allocation invites blame-shifting); seed 001 L409 (designating the capable absolves the others); assumption: a modest share", "Designated-responder effect: a state that does not hold the duty to protect (or to assist), aware that another state holds it bound this week, lowers its volunteer's probability of restraining (or assisting) by this share. No effect under buck_passing, where nobody holds these duties.")
        m.duties.governanceThreshold = try r.double("governance_threshold", d.governanceThreshold, 0...1, source: "seed 001 L463-509 (governance triggers the duty to protect)", "Governance link from which the duty to protect attaches.")
        m.duties.substantialSupport = try r.double("substantial_support", d.substantialSupport, 0...1, source: "seed 001 L511-553 (substantial support)", "Support link from which the duty to protect attaches.")
        m.duties.tieThreshold = try r.double("tie_threshold", d.tieThreshold, 0...1, source: "seed 001 L667 (special relationship)", "Tie from which the duty to assist attaches.")
        m.duties.pastSupportThreshold = try r.double("past_support_threshold", d.pastSupportThreshold, 0...1, source: "seed 001 L667 (contribution to the risk)", "Past support from which the duty to assist attaches.")
        m.duties.diligence = try r.double("diligence", d.diligence, 0...100, source: "assumption (Hakimi, seed 001 L555: diligence depends on circumstances)", "Required restraint effort = diligence x link (capped at 1 and by capacity).")
        m.duties.obstructionCost = try r.double("obstruction_cost", d.obstructionCost, 0...1e3, source: "seed 001 L557-611 (duty not to obstruct)", "Cost a holder of the duty not to obstruct weighs against a no vote, times the duty's weight (its compliance probability with no base and no cost).")
        m.duties.burdenCap = try r.double("burden_cap", d.burdenCap, 0...1e3, source: "seed 001 L409-421 (no more than they can reasonably bear)", "Required effort is at most burden_cap x capacity / cost of the action.")
        try r.finish()
        var c = try top.section("capacity_regime")
        let dc = CapacityRegimeParameters()
        m.capacityRegime.k = try c.int("k", dc.k, 0...100_000, unit: "states", source: "MODEL-BRIEF section 4", "Number of states with the highest leverage that hold duties under capacity_based.")
        let outsiders = names.filter { $0 != "primary" }
        let cd = try c.strings("duties", DutySet.names.filter { dc.duties.contains($0.0) }.map(\.1), "Duties they hold.") { outsiders.contains($0) ? nil : "unknown duty '\($0)'; choose from \(outsiders.joined(separator: ", "))" }
        m.capacityRegime.rankingNoise = try c.double("ranking_noise", dc.rankingNoise, 0...10, source: "seed 000 L663-665 (the capacity criterion is indeterminate and invites blame-shifting); assumption", "Log-scale sd of the lognormal noise with which, in each run, the criterion reads each state's leverage; the k highest readings hold the duties, and each feels k/m of its duty's pull, m the states whose reading is within 2 sqrt(2) x this (in logs) of the k-th highest (0: the true ranking, a crisp list, no diffusion).")
        m.capacityRegime.duties = DutySet(DutySet.names.filter { cd.contains($0.1) }.map(\.0))
        try c.finish()
    }

    /// Checks that involve several keys.
    static func crossCheck(_ m: ModelParameters) throws {
        if m.information.emergencyDeaths < m.information.warningDeaths {
            throw ConfigError(path: "information.emergency_deaths", "must be at least information.warning_deaths (\(formatNumberForDocs(m.information.warningDeaths)))")
        }
        if m.council.enabled && m.council.quota > m.council.permanent.count + m.council.electedSeats.reduce(0, +) {
            throw ConfigError(path: "council.quota", "is larger than the number of seats (\(m.council.permanent.count + m.council.electedSeats.reduce(0, +)))")
        }
        if m.council.enabled && m.council.vetoThreshold > m.council.permanent.count {
            throw ConfigError(path: "council.veto_threshold", "is larger than the number of permanent members (\(m.council.permanent.count))")
        }
        if Set(m.council.permanent).count != m.council.permanent.count { throw ConfigError(path: "council.permanent", "a member is listed twice") }
        if !m.council.elected.isEmpty && m.council.elected.count != m.council.electedSeats.reduce(0, +) {
            throw ConfigError(path: "council.elected", "lists \(m.council.elected.count) members but council.elected_seats has \(m.council.electedSeats.reduce(0, +)) seats")
        }
        if let t = m.world.named.first(where: { $0.iso == m.crisis.territorialState }), t.links != Links() {
            throw ConfigError(path: "world.states.\(t.iso).links", "the territorial state cannot be linked to itself")
        }
        if m.missions.initialTroops > 0 && m.missions.initialMandate == .none {
            throw ConfigError(path: "missions.initial.mandate", "must be observe, protect or enforce when missions.initial.troops > 0")
        }
        if m.world.named.count + (m.world.named.contains { $0.iso == m.crisis.territorialState } ? 0 : 1) > m.world.stateCount {
            throw ConfigError(path: "world.count", "is smaller than the number of named states plus the territorial state")
        }
    }

    static func readObserved(_ node: Node?) throws -> [String: ResolvedValue] {
        guard let node else { return [:] }
        guard case .mapping(let map) = node else { throw ConfigError(path: "observed", line: node.mark?.line, "must be a mapping") }
        var out: [String: ResolvedValue] = [:]
        for (k, v) in map {
            let key = k.string ?? "?"
            switch v {
            case .scalar:
                if let i = v.int { out[key] = .integer(i) } else if let x = v.float, x.isFinite { out[key] = .number(x) }
                else { out[key] = .string(v.string ?? "") }
            case .sequence(let seq):
                out[key] = .list(seq.map { item in item.float.map { .number($0) } ?? .string(item.string ?? "") })
            default: throw ConfigError(path: "observed.\(key)", line: v.mark?.line, "must be a value or a list")
            }
        }
        return out
    }
}

enum WorldSource: String, CaseIterable { case synthetic, data }

/// Real-data worlds are read once per process: a sweep re-reads its config for every design
/// point, and the CEPII file alone holds 50,000 pairs.
enum RealDataCache {
    static let cache = Mutex<[String: RealDataWorld.Loaded]>([:])
    static func load(capabilities: String, distances: String, year: Int, territorial: String) throws -> RealDataWorld.Loaded {
        let key = [capabilities, distances, String(year), territorial].joined(separator: "\u{1F}")
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let loaded = try RealDataWorld.load(capabilities: capabilities, distances: distances, year: year, territorial: territorial)
        cache.withLock { $0[key] = loaded }
        return loaded
    }
}

/// ISO alpha-3: three capital letters (synthetic background states are S001...).
func isoProblem(_ s: String) -> String? {
    s.count == 3 && s.allSatisfy({ $0.isASCII && $0.isUppercase }) ? nil : "'\(s)' is not an ISO alpha-3 code (three capital letters)"
}

struct GroupKey: RawRepresentable, CaseIterable {
    var group: RegionalGroup
    init(_ g: RegionalGroup) { group = g }
    init?(rawValue: String) { guard let g = RegionalGroup.allCases.first(where: { $0.key == rawValue }) else { return nil }; group = g }
    var rawValue: String { group.key }
    static var allCases: [GroupKey] { RegionalGroup.allCases.map(GroupKey.init) }
}

struct PhaseKey: RawRepresentable, CaseIterable {
    var phase: Phase
    init(_ p: Phase) { phase = p }
    init?(rawValue: String) { guard let p = [Phase.latent, .escalating, .atrocity].first(where: { $0.key == rawValue }) else { return nil }; phase = p }
    var rawValue: String { phase.key }
    static var allCases: [PhaseKey] { [.init(.latent), .init(.escalating), .init(.atrocity)] }
}

struct MandateKey: RawRepresentable, CaseIterable {
    var mandate: Mandate
    init(_ m: Mandate) { mandate = m }
    init?(rawValue: String) { guard let m = Mandate.allCases.first(where: { $0.key == rawValue }) else { return nil }; mandate = m }
    var rawValue: String { mandate.key }
    static var allCases: [MandateKey] { Mandate.allCases.map(MandateKey.init) }
}

extension MappingReader {
    /// Optional values: absent means "draw it" (named states) and is recorded as such.
    mutating func optionalDouble(_ key: String, _ def: Double?, _ range: ClosedRange<Double>, unit: String = "-", source: String = "assumption", _ doc: String) throws -> Double? {
        guard node(key) != nil || def != nil else {
            context.docs.append(ParameterDoc(path: full(key), kind: "number in [\(formatBound(range.lowerBound)), \(formatBound(range.upperBound))]", defaultValue: "drawn", unit: unit, source: source, doc: doc))
            return nil
        }
        return try double(key, def ?? 0, range, unit: unit, source: source, doc)
    }

    mutating func optionalBool(_ key: String, _ def: Bool?, _ doc: String) throws -> Bool? {
        guard node(key) != nil || def != nil else {
            context.docs.append(ParameterDoc(path: full(key), kind: "true/false", defaultValue: "drawn", unit: "-", source: "assumption", doc: doc))
            return nil
        }
        return try bool(key, def ?? false, doc)
    }

    mutating func optionalChoice<E: RawRepresentable & CaseIterable>(_ key: String, _ def: E?, _ doc: String) throws -> E? where E.RawValue == String {
        guard node(key) != nil || def != nil else {
            context.docs.append(ParameterDoc(path: full(key), kind: E.allCases.map(\.rawValue).joined(separator: " | "), defaultValue: "drawn", unit: "-", source: "-", doc: doc))
            return nil
        }
        return try choice(key, def ?? E.allCases.first!, doc)
    }
}

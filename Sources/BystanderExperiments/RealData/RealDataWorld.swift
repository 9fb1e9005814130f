import BystanderCore
import Foundation

/// A problem with a real-data file: which file, which line (where one applies), what is wrong.
public struct RealDataError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var problem: String
    public init(file: String, line: Int? = nil, _ problem: String) {
        self.file = file; self.line = line; self.problem = problem
    }
    public var description: String { "\(file)\(line.map { ", line \($0)" } ?? ""): \(problem)" }
}

/// Builds the states of a world from real data: capacities from Correlates of War National
/// Material Capabilities (v6.0), distances, borders and colonial ties from CEPII GeoDist.
///
/// Capacities are relative to the median state of the year (= 1), as the model expects:
/// military = milex (milper where milex is missing), economic = pec (irst where pec is
/// missing), diplomatic = cinc. Every COW state of the year is kept: problems are reported in
/// `notes` rather than dropped silently. States are identified by ISO alpha-3 codes; a COW
/// state with no ISO code (e.g. Bavaria) is kept as "COW:BAV".
public enum RealDataWorld {
    public struct Loaded: Sendable {
        public var states: [NamedState]
        public var notes: [String]
    }

    /// - Parameters:
    ///   - capabilities: path of the COW NMC CSV (stateabb, ccode, year, milex, milper, irst, pec, tpop, upop, cinc).
    ///   - distances: path of the CEPII GeoDist CSV (iso_o, iso_d, contig, colony, col45, dist).
    ///   - year: the COW year whose states and capacities are used.
    ///   - territorial: ISO alpha-3 code of the territorial state (e.g. "RWA").
    public static func load(capabilities: String, distances: String, year: Int, territorial: String) throws -> Loaded {
        var notes: [String] = []
        let rows = try COWReader.rows(path: capabilities, year: year)
        let ids = identify(rows, notes: &notes)
        let target = territorial.trimmingCharacters(in: .whitespaces).uppercased()
        guard ids.contains(target) else { throw territorialMissing(target, year: year, file: capabilities) }
        var states = capacities(rows, ids: ids, notes: &notes)
        let geo = try CEPIIReader.pairs(path: distances, to: target, wanted: Set(ids))
        notes += geo.notes
        placeAll(&states, rows: rows, geo: geo, territorial: target, notes: &notes)
        reportUnused(geo, ids: Set(ids), notes: &notes)
        return Loaded(states: states.sorted { $0.iso < $1.iso }, notes: notes)
    }

    /// The territorial state is given as ISO alpha-3; COW letters are a likely slip (FRN for
    /// FRA, and AUS means Austria in COW but Australia in ISO), so the error says so.
    static func territorialMissing(_ code: String, year: Int, file: String) -> RealDataError {
        var hint = "give the ISO alpha-3 code of a state in the file that year"
        if let iso = CountryCodes.iso(cowAbbreviation: code), iso != code { hint += "; \(code) is the COW code of \(iso)" }
        return RealDataError(file: (file as NSString).lastPathComponent, "territorial state \(code) has no row for \(year) (\(hint))")
    }

    // MARK: identities

    /// ISO codes for the year's rows. Where two COW states share an ISO code in one year (West
    /// Germany and Germany in 1990, the two Yemens in 1990), the one that keeps the code is the
    /// successor; the other is kept under its COW letters so no state silently disappears.
    static func identify(_ rows: [COWRow], notes: inout [String]) -> [String] {
        var used = Set<String>()
        var ids = [String](repeating: "", count: rows.count)
        // Successors first, so they win the shared code.
        let isPredecessor = { (i: Int) in CountryCodes.predecessors.contains(rows[i].abb) }
        let order = rows.indices.filter { !isPredecessor($0) } + rows.indices.filter(isPredecessor)
        for i in order {
            let row = rows[i]
            let entry = CountryCodes.entry(cowAbbreviation: row.abb) ?? CountryCodes.entry(cowCode: row.ccode)
            if let entry, entry.cow != row.abb || entry.ccode != row.ccode {
                notes.append("COW \(row.abb) (\(row.ccode)) does not match the code table (\(entry.cow) = \(entry.ccode)); used \(entry.cow)")
            }
            if let iso = entry?.iso, !used.contains(iso) {
                ids[i] = iso
            } else {
                ids[i] = "COW:\(row.abb)"
                let why = entry == nil ? "is not in the COW code table" : entry?.iso == nil ? "has no ISO code" : "shares ISO \(entry!.iso!) with its successor"
                notes.append("\(label(row.abb)) \(why); kept as \(ids[i])")
            }
            used.insert(ids[i])
        }
        return ids
    }

    static func label(_ abb: String) -> String {
        CountryCodes.entry(cowAbbreviation: abb).map { "\($0.name) (COW \(abb))" } ?? "COW \(abb)"
    }

    // MARK: capacities

    /// One capacity component: a primary COW column, an optional fallback column, and its name.
    struct Component { var name: String; var primary: String; var fallback: String? }
    static let components = [
        Component(name: "military", primary: "milex", fallback: "milper"),
        Component(name: "economic", primary: "pec", fallback: "irst"),
        Component(name: "diplomatic", primary: "cinc", fallback: nil),
    ]

    /// States with their three capacities relative to the year's median state.
    static func capacities(_ rows: [COWRow], ids: [String], notes: inout [String]) -> [NamedState] {
        var states = ids.map { NamedState(iso: $0) }
        for component in components {
            let values = relative(rows, component, names: ids, notes: &notes)
            for i in states.indices {
                switch component.name {
                case "military": states[i].military = values[i]
                case "economic": states[i].economic = values[i]
                default: states[i].diplomatic = values[i]
                }
            }
        }
        return states
    }

    /// Each state's value over the median of the states that report the same column. Missing
    /// values fall back to the second column, then to the median (1); zeros become 1e-6 so
    /// that geometric means of capacities stay defined.
    static func relative(_ rows: [COWRow], _ c: Component, names: [String], notes: inout [String]) -> [Double] {
        let primaryScale = scale(rows, c.primary, notes: &notes)
        let fallbackScale = c.fallback.map { scale(rows, $0, notes: &notes) } ?? nil
        var fellBack: [String] = [], missing: [String] = [], zero: [String] = []
        let out = zip(rows, names).map { row, name -> Double in
            var x: Double
            if let v = row.values[c.primary]!, let s = primaryScale { x = v / s }
            else if let f = c.fallback, let v = row.values[f]!, let s = fallbackScale { x = v / s; fellBack.append(name) }
            else { missing.append(name); return 1 }
            if x <= 0 { zero.append(name); x = 1e-6 }
            return x
        }
        if !fellBack.isEmpty { notes.append("\(c.name): \(c.primary) missing, used \(c.fallback!) relative to its median for \(fellBack.count) state(s): \(fellBack.joined(separator: ", "))") }
        if !missing.isEmpty { notes.append("\(c.name): no data (\([c.primary, c.fallback].compactMap { $0 }.joined(separator: ", ")) missing), set to the median (1) for \(missing.count) state(s): \(missing.joined(separator: ", "))") }
        if !zero.isEmpty { notes.append("\(c.name): zero, set to 1e-6 of the median for \(zero.count) state(s): \(zero.joined(separator: ", "))") }
        return out
    }

    /// The median of one column over the states that report it. When half the states report
    /// zero (iron and steel, for instance) the median of the positive values is used instead,
    /// since dividing by zero would make every capacity infinite.
    static func scale(_ rows: [COWRow], _ column: String, notes: inout [String]) -> Double? {
        let present = rows.compactMap { $0.values[column]! }
        guard let m = median(present) else { return nil }
        if m > 0 { return m }
        let positive = median(present.filter { $0 > 0 })
        notes.append("\(column): median is 0; scaled by the median of the positive values (\(positive.map { "\($0)" } ?? "none"))")
        return positive
    }

    static func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    // MARK: geography

    /// Group, distance, border and tie for every state. States CEPII does not have get the
    /// median distance of their group (computed from the states it does have), with a note.
    static func placeAll(_ states: inout [NamedState], rows: [COWRow], geo: CEPIIReader.Result, territorial: String, notes: inout [String]) {
        var unplaced: [Int] = []
        for i in states.indices {
            states[i].group = group(states[i].iso, rows[i], notes: &notes)
            if states[i].iso == territorial {
                states[i].distanceKm = 0; states[i].contiguous = false
            } else if let pair = geo.pairs[states[i].iso] {
                states[i].distanceKm = pair.dist; states[i].contiguous = pair.contig
                states[i].links.tie = pair.col45 ? 1.0 : pair.colony ? 0.5 : 0.0
            } else {
                unplaced.append(i)
            }
        }
        for i in unplaced { placeByGroup(&states, i, territorial: territorial, geo: geo, notes: &notes) }
    }

    /// The UN group, or (for non-members and historical states) the stand-in group of the
    /// region its COW number encodes, with a note.
    static func group(_ iso: String, _ row: COWRow, notes: inout [String]) -> RegionalGroup {
        if let g = CountryCodes.group(iso: iso) { return g }
        let g = CountryCodes.fallbackGroup(cowCode: row.ccode)
        notes.append("\(iso), \(label(row.abb)), is not in a UN regional group; given \(g.key) from its COW region")
        return g
    }

    static func placeByGroup(_ states: inout [NamedState], _ i: Int, territorial: String, geo: CEPIIReader.Result, notes: inout [String]) {
        let placed = states.filter { $0.iso != territorial && geo.pairs[$0.iso] != nil }
        let sameGroup = placed.filter { $0.group == states[i].group }.compactMap(\.distanceKm)
        let d = median(sameGroup) ?? median(placed.compactMap(\.distanceKm)) ?? 0
        states[i].distanceKm = d; states[i].contiguous = false
        let why = geo.origins.contains(geo.cepiiCode(states[i].iso)) ? "has no pair with \(territorial) in" : "is not in"
        notes.append("\(states[i].iso) \(why) \(geo.fileName); given the median distance of its group (\(states[i].group?.key ?? "?")), \(Int(d.rounded())) km, not contiguous, no tie")
    }

    /// CEPII entities with no COW state this year (territories, Palestine, Hong Kong, ...):
    /// they have no capacities, so they are not states of the world, but they are named.
    static func reportUnused(_ geo: CEPIIReader.Result, ids: Set<String>, notes: inout [String]) {
        let used = Set(ids.map { geo.cepiiCode($0) })
        let unused = geo.origins.subtracting(used).sorted()
        if !unused.isEmpty {
            notes.append("\(unused.count) code(s) in \(geo.fileName) have no COW state this year and are not in the world: \(unused.joined(separator: ", "))")
        }
    }
}

// MARK: - reading

/// One COW row of the requested year; values are nil where COW has -9 (missing).
struct COWRow {
    var abb: String
    var ccode: Int
    var line: Int
    var values: [String: Double?]
}

enum COWReader {
    static let numeric = ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]

    /// The rows of one year, checked for duplicates; the other years are only scanned for
    /// their year (so the error for a missing year can say which years exist).
    static func rows(path: String, year: Int) throws -> [COWRow] {
        let csv = try CSVFile(path: path, required: ["stateabb", "ccode", "year"] + numeric)
        var out: [COWRow] = [], years = Set<Int>(), seen: [String: Int] = [:]
        for (line, fields) in csv.records {
            let y = try csv.int(fields, "year", line)
            years.insert(y)
            guard y == year else { continue }
            let abb = csv.field(fields, "stateabb").trimmingCharacters(in: .whitespaces).uppercased()
            if let first = seen[abb] { throw RealDataError(file: csv.name, line: line, "duplicate row for state \(abb) in \(year) (first at line \(first))") }
            seen[abb] = line
            var values: [String: Double?] = [:]
            for c in numeric {
                let v = try csv.double(fields, c, line)
                values[c] = v == -9 ? nil : v
            }
            out.append(COWRow(abb: abb, ccode: try csv.int(fields, "ccode", line), line: line, values: values))
        }
        guard !out.isEmpty else {
            throw RealDataError(file: csv.name, "no rows for year \(year); years present: \(ranges(years))")
        }
        return out
    }

    /// "1816-1820, 1990" style summary of a set of years.
    static func ranges(_ years: Set<Int>) -> String {
        var parts: [String] = [], start: Int?, prev = 0
        for y in years.sorted() {
            if let s = start, y != prev + 1 { parts.append(s == prev ? "\(s)" : "\(s)-\(prev)"); start = y }
            if start == nil { start = y }
            prev = y
        }
        if let s = start { parts.append(s == prev ? "\(s)" : "\(s)-\(prev)") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}

enum CEPIIReader {
    struct Pair { var contig: Bool; var colony: Bool; var col45: Bool; var dist: Double }
    struct Result {
        var fileName: String
        /// Keyed by the ISO code of the origin (CEPII aliases already undone).
        var pairs: [String: Pair]
        /// Every iso_o in the file, in CEPII's own codes.
        var origins: Set<String>
        var notes: [String]
        var aliasesUsed: [String: String]
        func cepiiCode(_ iso: String) -> String { aliasesUsed[iso] ?? iso }
    }

    /// The pairs whose destination is the territorial state, keyed by the origin's ISO code.
    static func pairs(path: String, to territorial: String, wanted: Set<String>) throws -> Result {
        let csv = try CSVFile(path: path, required: ["iso_o", "iso_d", "contig", "colony", "col45", "dist"])
        let origins = Set(csv.records.map { csv.field($0.1, "iso_o").uppercased() })
        let aliases = resolveAliases(wanted, origins: origins)
        let target = aliases[territorial] ?? territorial
        guard origins.contains(target) else {
            throw RealDataError(file: csv.name, "territorial state \(territorial) is not in the file (no iso_o \(target))")
        }
        var result = Result(fileName: csv.name, pairs: [:], origins: origins, notes: [], aliasesUsed: aliases)
        let isoOf = Dictionary(uniqueKeysWithValues: aliases.map { ($1, $0) })
        var lines: [String: Int] = [:]
        for (line, f) in csv.records where csv.field(f, "iso_d").uppercased() == target {
            let o = csv.field(f, "iso_o").uppercased()
            if let first = lines[o] { throw RealDataError(file: csv.name, line: line, "duplicate row for the pair \(o)-\(target) (first at line \(first))") }
            lines[o] = line
            result.pairs[isoOf[o] ?? o] = Pair(contig: try csv.double(f, "contig", line) == 1, colony: try csv.double(f, "colony", line) == 1,
                                               col45: try csv.double(f, "col45", line) == 1, dist: try csv.double(f, "dist", line))
        }
        guard !result.pairs.isEmpty else {
            throw RealDataError(file: csv.name, "territorial state \(territorial) is not in the file as a destination (no iso_d \(target))")
        }
        if !aliases.isEmpty {
            result.notes.append("\(csv.name) uses its own codes for: " + aliases.sorted { $0.key < $1.key }.map { "\($0.key) as \($0.value)" }.joined(separator: ", "))
        }
        return result
    }

    /// ISO code -> CEPII code, for the wanted states that CEPII lists only under its alias.
    static func resolveAliases(_ wanted: Set<String>, origins: Set<String>) -> [String: String] {
        var out: [String: String] = [:]
        for iso in wanted where !origins.contains(iso) {
            if let alias = CountryCodes.cepiiAliases[iso], origins.contains(alias) { out[iso] = alias }
        }
        return out
    }
}

/// A small CSV reader on plain Foundation: UTF-8 (with or without a byte-order mark), LF or
/// CRLF line ends, double-quoted fields without embedded line breaks, a header line naming
/// the columns. Blank lines are skipped; line numbers count from 1 at the header.
struct CSVFile {
    let name: String
    let columns: [String: Int]
    let records: [(Int, [Substring])]

    init(path: String, required: [String]) throws {
        name = (path as NSString).lastPathComponent
        let text = try CSVFile.text(path: path, name: name)
        // Split on bytes: in Swift "\r\n" is one Character, so a Character split would miss it.
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { Substring($0.last == 0x0D ? $0.dropLast() : $0) }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw RealDataError(file: name, "the file is empty (expected a header line)") }
        let names = CSVFile.split(header).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        columns = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for c in required where columns[c] == nil {
            throw RealDataError(file: name, line: 1, "missing column '\(c)' (columns found: \(names.joined(separator: ", ")))")
        }
        var records: [(Int, [Substring])] = []
        for (k, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = CSVFile.split(line)
            guard fields.count >= names.count else {
                throw RealDataError(file: name, line: k + 1, "expected \(names.count) fields, found \(fields.count)")
            }
            records.append((k + 1, fields))
        }
        self.records = records
    }

    /// The whole file as text. Bytes are checked as UTF-8 so a file saved as UTF-16 or
    /// Latin-1 fails here, with the line, rather than later as garbled codes.
    static func text(path: String, name: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw RealDataError(file: name, "file not found: \(path)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw RealDataError(file: name, "cannot read \(path)") }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw RealDataError(file: name, "unreadable encoding: the file is UTF-16; save it as UTF-8")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            let bad = firstInvalidLine(bytes)
            throw RealDataError(file: name, line: bad, "unreadable encoding: not valid UTF-8; save it as UTF-8")
        }
        return text
    }

    static func firstInvalidLine(_ bytes: [UInt8]) -> Int? {
        for (k, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where String(bytes: line, encoding: .utf8) == nil { return k + 1 }
        return nil
    }

    /// Fields of one line; quotes are only looked for when the line has one (the fast path
    /// matters: CEPII has 50,000 lines).
    static func split(_ line: Substring) -> [Substring] {
        guard line.contains("\"") else { return line.utf8.split(separator: 0x2C, omittingEmptySubsequences: false).map { Substring($0) } }
        var fields: [Substring] = [], current = "", quoted = false, previous: Character = " "
        for ch in line {
            if ch == "\"" { quoted.toggle(); if quoted && previous == "\"" { current.append("\"") } }
            else if ch == ",", !quoted { fields.append(Substring(current)); current = "" }
            else { current.append(ch) }
            previous = ch
        }
        fields.append(Substring(current))
        return fields
    }

    func field(_ fields: [Substring], _ column: String) -> String {
        String(fields[columns[column]!]).trimmingCharacters(in: .whitespaces)
    }

    func double(_ fields: [Substring], _ column: String, _ line: Int) throws -> Double {
        let s = field(fields, column)
        guard let x = Double(s), x.isFinite else {
            throw RealDataError(file: name, line: line, "column '\(column)': '\(s)' is not a number\(s.isEmpty ? " (COW marks missing values as -9)" : "")")
        }
        return x
    }

    func int(_ fields: [Substring], _ column: String, _ line: Int) throws -> Int {
        let s = field(fields, column)
        guard let x = Int(s) else { throw RealDataError(file: name, line: line, "column '\(column)': '\(s)' is not a whole number") }
        return x
    }
}

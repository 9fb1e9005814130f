import BystanderCore
import CGSL
import Foundation
import Yams

/// Bounds on the size of an experiment, checked before anything is allocated or run: a
/// mistyped design (a grid of 30 parameters, a Saltelli design of 10^7 base samples) is
/// refused with its size rather than filling memory. The CLI's --max-points and --max-runs
/// raise them.
public struct DesignLimits: Sendable {
    /// Design points held in memory (about 1 KB each with 20 parameters).
    public var maxPoints = 100_000
    /// Runs (points x replicates x regimes).
    public var maxRuns = 100_000_000
    public init(maxPoints: Int = 100_000, maxRuns: Int = 100_000_000) { self.maxPoints = maxPoints; self.maxRuns = maxRuns }
}

/// One design point: the parameter values it sets (path -> value as written in YAML).
public struct DesignPoint: Sendable, Equatable {
    public var values: [(path: String, value: String)]
    public static func == (a: Self, b: Self) -> Bool { a.values.elementsEqual(b.values) { $0 == $1 } }
    public var overrides: [String: Node] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.path, (try? Yams.compose(yaml: $0.value)).flatMap { $0 } ?? Node($0.value)) })
    }
}

extension SweepSpec {
    static func read(_ r: inout MappingReader, baseDirectory: String) throws -> SweepSpec? {
        guard r.mapping != nil else {
            // Record the schema of the section even when it is absent.
            _ = try r.choice("method", Method.grid, source: "-", "Design: grid (full factorial of 'values'), latin_hypercube, sobol (GSL quasi-random), saltelli (for Sobol indices; SALib's order), or file (CSV design matrix).")
            _ = try r.int("points", 0, 0...10_000_000, unit: "points", "Number of points (latin_hypercube, sobol) or base samples N (saltelli: N x (d + 2) points).")
            _ = try r.string("file", "", "CSV design matrix, one column per parameter path (method: file), relative to the config.")
            _ = try r.bool("common_random_numbers", false, "Seeds from (root, replicate) alone, the same at every point, so points are paired like regimes (default: seeds from root, point and replicate).")
            return nil
        }
        let method = try r.choice("method", Method.grid, source: "-", "Design: grid, latin_hypercube, sobol, saltelli, or file.")
        let points = try r.int("points", 0, 0...10_000_000, unit: "points", "Number of points (latin_hypercube, sobol) or base samples N (saltelli).")
        let file = try r.string("file", "", "CSV design matrix (method: file), relative to the config.")
        let common = try r.bool("common_random_numbers", false, "Seeds from (root, replicate) alone, the same at every point.")
        var dims: [Dimension] = []
        var params = try r.section("parameters")
        for path in params.keys() {
            guard let node = params.node(path) else { continue }
            let at = "sweep.parameters.\(path)"
            if let problem = ExperimentConfig.sweepProblem(path) { throw ConfigError(path: at, line: node.mark?.line, problem) }
            guard case .mapping(let spec) = node else { throw ConfigError(path: at, line: node.mark?.line, "must be a mapping with 'values' (grid) or 'min' and 'max'") }
            let keys = ["values", "min", "max", "integer", "log"]
            for key in spec.keys.compactMap(\.string) where !keys.contains(key) {
                throw ConfigError(path: "\(at).\(key)", line: node.mark?.line, "unknown key\(nearest(key, in: keys).map { " (did you mean '\($0)'?)" } ?? "")")
            }
            for key in ["integer", "log"] {
                if let flag = spec[key], flag.bool == nil { throw ConfigError(path: "\(at).\(key)", line: flag.mark?.line, "must be true or false") }
            }
            var dim = Dimension(path: path, values: [], lower: 0, upper: 0, integer: spec["integer"]?.bool ?? false, logScale: spec["log"]?.bool ?? false)
            if let values = spec["values"] {
                guard case .sequence(let seq) = values, !seq.isEmpty else { throw ConfigError(path: "\(at).values", line: values.mark?.line, "must be a non-empty list") }
                dim.values = try seq.map { item in
                    guard case .scalar(let s) = item else { throw ConfigError(path: "\(at).values", line: item.mark?.line, "entries must be single values") }
                    return s.string
                }
            }
            if let lo = spec["min"], let hi = spec["max"] {
                guard let l = number(lo), let h = number(hi), l.isFinite, h.isFinite else {
                    throw ConfigError(path: at, line: node.mark?.line, "min and max must be finite numbers")
                }
                guard l < h else { throw ConfigError(path: at, line: node.mark?.line, "empty range: min (\(formatNumberForDocs(l))) must be below max (\(formatNumberForDocs(h)))") }
                // Points are min + u (max - min): the width must be a finite number, and whole
                // numbers must be exact in a Double (|x| <= 2^53) to be counted and printed.
                guard (h - l).isFinite else { throw ConfigError(path: at, line: node.mark?.line, "the range min..max is wider than a number can hold") }
                if dim.integer && (abs(l) > 0x1p53 || abs(h) > 0x1p53) {
                    throw ConfigError(path: at, line: node.mark?.line, "an integer range must lie within +-2^53 (9007199254740992)")
                }
                if dim.logScale && l <= 0 { throw ConfigError(path: "\(at).min", line: lo.mark?.line, "a log-scale range needs min > 0") }
                if dim.logScale && dim.integer { throw ConfigError(path: "\(at).log", line: node.mark?.line, "log and integer cannot be combined") }
                dim.lower = l; dim.upper = h
            } else if spec["min"] != nil || spec["max"] != nil {
                throw ConfigError(path: at, line: node.mark?.line, "needs both min and max")
            }
            switch method {
            case .grid where dim.values.isEmpty: throw ConfigError(path: at, line: node.mark?.line, "a grid needs 'values'")
            case .latinHypercube, .sobol, .saltelli:
                if dim.lower == dim.upper { throw ConfigError(path: at, line: node.mark?.line, "\(method.rawValue) needs 'min' and 'max'") }
            default: break
            }
            dims.append(dim)
        }
        try params.finish()
        if method == .file {
            guard !file.isEmpty else { throw ConfigError(path: "sweep.file", line: r.line, "method 'file' needs a file") }
            if !dims.isEmpty { throw ConfigError(path: "sweep.parameters", "method 'file' takes its parameters from the file's header") }
        } else if dims.isEmpty {
            throw ConfigError(path: "sweep.parameters", line: r.line, "an empty design: name at least one parameter")
        }
        if [.latinHypercube, .sobol, .saltelli].contains(method) && points < 1 {
            throw ConfigError(path: "sweep.points", line: r.line, "\(method.rawValue) needs points >= 1")
        }
        if method == .sobol || method == .saltelli {
            let needed = method == .saltelli ? 2 * dims.count : dims.count
            if needed > 40 { throw ConfigError(path: "sweep.parameters", "GSL's Sobol generator has at most 40 dimensions; this design needs \(needed)") }
        }
        let resolvedFile = file.isEmpty ? nil : (file.hasPrefix("/") ? file : "\(baseDirectory)/\(file)")
        return SweepSpec(method: method, points: points, file: resolvedFile, dimensions: dims, commonRandomNumbers: common)
    }

    /// The number of design points, computed without building them (nil: more than Int.max),
    /// so that a design too large to hold is refused before anything is allocated. A design
    /// file's points are counted when it is read.
    public var pointCount: Int? {
        switch method {
        case .grid:
            return dimensions.reduce(Optional(1)) { n, d in
                n.flatMap { n in let (p, o) = n.multipliedReportingOverflow(by: d.values.count); return o ? nil : p }
            }
        case .latinHypercube, .sobol: return points
        case .saltelli:
            let (p, o) = points.multipliedReportingOverflow(by: dimensions.count + 2)
            return o ? nil : p
        case .file: return nil
        }
    }

    /// The design points, in canonical order. Deterministic in the root seed. A design of more
    /// than `limit` points is refused (with its size) before it is built.
    public func designPoints(rootSeed: UInt64, limit: Int = DesignLimits().maxPoints) throws -> [DesignPoint] {
        if method != .file {
            let count = pointCount
            guard let count, count <= limit else {
                throw ConfigError(path: "sweep", "the design has \(count.map { String($0) } ?? "more than \(Int.max)") points, above the limit of \(limit) (raise it with --max-points)")
            }
        }
        switch method {
        case .grid:
            var points: [[(String, String)]] = [[]]
            for d in dimensions { points = points.flatMap { p in d.values.map { p + [(d.path, $0)] } } }
            return points.map { DesignPoint(values: $0.map { (path: $0.0, value: $0.1) }) }
        case .latinHypercube:
            return scaled(latinHypercube(n: points, d: dimensions.count, seed: SeedDerivation.derive(rootSeed, 0x4C4853)))
        case .sobol:
            return scaled(sobol(n: points, d: dimensions.count))
        case .saltelli:
            // Saltelli (2002) without second-order terms, in SALib's row order: for each base
            // sample j, A_j, then AB_j^(i) (A_j with column i taken from B_j) for each i, then B_j.
            let d = dimensions.count
            let base = sobol(n: points, d: 2 * d)
            var rows: [[Double]] = []
            for row in base {
                let a = Array(row[0..<d]), b = Array(row[d..<(2 * d)])
                rows.append(a)
                for i in 0..<d { var ab = a; ab[i] = b[i]; rows.append(ab) }
                rows.append(b)
            }
            return scaled(rows)
        case .file:
            return try readDesignFile(file!, limit: limit)
        }
    }

    func scaled(_ unit: [[Double]]) -> [DesignPoint] {
        unit.map { row in
            DesignPoint(values: zip(dimensions, row).map { d, u in
                let x = d.logScale ? d.lower * pow(d.upper / d.lower, u) : d.lower + u * (d.upper - d.lower)
                guard d.integer else { return (path: d.path, value: formatNumber(x)) }
                // Integer parameters: u spreads evenly over the whole numbers lower...upper
                // (bounds within 2^53, checked when the sweep is read).
                let whole = min(Int((d.lower + u * (d.upper - d.lower + 1)).rounded(.down)), Int(d.upper))
                return (path: d.path, value: String(whole))
            })
        }
    }

    /// Latin hypercube on [0,1)^d: each dimension's n strata in a GSL-shuffled order, a GSL
    /// uniform within each stratum.
    func latinHypercube(n: Int, d: Int, seed: UInt64) -> [[Double]] {
        let rng = RandomStream(seed: seed)
        var rows = [[Double]](repeating: [Double](repeating: 0, count: d), count: n)
        for j in 0..<d {
            var strata = Array(0..<n)
            strata.withUnsafeMutableBufferPointer { buf in
                _ = buf.baseAddress.map { rng.shuffle($0, count: n, size: MemoryLayout<Int>.stride) }
            }
            for i in 0..<n { rows[i][j] = (Double(strata[i]) + rng.uniform()) / Double(n) }
        }
        return rows
    }

    /// The first n points of GSL's Sobol sequence in d dimensions (d <= 40).
    func sobol(n: Int, d: Int) -> [[Double]] {
        guard let q = gsl_qrng_alloc(bystander_qrng_sobol(), UInt32(d)) else { return [] }
        defer { gsl_qrng_free(q) }
        var rows: [[Double]] = []
        var x = [Double](repeating: 0, count: d)
        for _ in 0..<n {
            _ = x.withUnsafeMutableBufferPointer { gsl_qrng_get(q, $0.baseAddress) }
            rows.append(x)
        }
        return rows
    }

    func readDesignFile(_ path: String, limit: Int) throws -> [DesignPoint] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(path: "sweep.file", "design file \(path) does not exist or cannot be read") }
        guard String(data: data, encoding: .utf8) != nil else { throw ConfigError(path: "sweep.file", "design file \(path) is not UTF-8 text") }
        guard let reader = try? CSVText.reader(path), let header = reader.headerRow else { throw ConfigError(path: "sweep.file", "design file \(path) is empty") }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        if columns.contains(where: \.isEmpty) { throw ConfigError(path: "sweep.file", "design file \(path): the header has an empty column name") }
        if Set(columns).count != columns.count { throw ConfigError(path: "sweep.file", "design file \(path): a column is named twice") }
        for c in columns { if let problem = ExperimentConfig.sweepProblem(c) { throw ConfigError(path: "sweep.file", "design file \(path): column '\(clip(c, 60))': \(problem)") } }
        var points: [DesignPoint] = []
        while let row = reader.next() {
            let cells = row.map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.allSatisfy(\.isEmpty) { continue }
            guard cells.count == columns.count else {
                throw ConfigError(path: "sweep.file", line: points.count + 2, "design file \(path): row \(points.count + 1) has \(cells.count) values but the header has \(columns.count) columns (a missing column?)")
            }
            guard points.count < limit else {
                throw ConfigError(path: "sweep.file", "design file \(path) has more than \(limit) points, the limit (raise it with --max-points)")
            }
            points.append(DesignPoint(values: zip(columns, cells).map { (path: $0, value: $1) }))
        }
        guard !points.isEmpty else { throw ConfigError(path: "sweep.file", "design file \(path) has no design points (an empty design)") }
        return points
    }
}

import BystanderCore
import Foundation
import Yams

/// What the explorer in the browser (`bystander serve`, Sources/BystanderServer) asks of the
/// engine beyond `Experiment.run`: a config with some values changed, one run with its weekly
/// record, and the rows of a results folder.
public enum Explorer {
    /// `text` with the values at some dotted key paths replaced (or added), each value a YAML
    /// scalar as typed (e.g. "0.003", "true", "protect"). The result is YAML that
    /// `ExperimentConfig.parse` reads as usual; the reader, not this function, checks the keys
    /// and values, so a wrong one gets the CLI's message. Comments do not survive a change, so
    /// a comment at the top lists what was changed.
    public static func setting(_ values: [(path: String, value: String)], in text: String, name: String = "config") throws -> String {
        guard !values.isEmpty else { return text }
        var root = try parseYAML(text, file: name) ?? Node.mapping(.init([]))
        for (path, value) in values {
            let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
                throw ConfigError(path: path, "is not a key path (keys joined by dots, e.g. crisis.kill_rate)")
            }
            guard !value.contains(where: \.isNewline) else { throw ConfigError(path: path, "must be a single value, got a line break") }
            root = try set(parts[...], to: Node(value), in: root, path: path)
        }
        let body = try Yams.serialize(node: root, sortKeys: false)
        let changes = values.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
        let oneLine = String(name.map { $0.isNewline ? " " : $0 })
        return "# \(oneLine) with changes from the explorer: \(changes)\n" + body
    }

    private static func set(_ parts: ArraySlice<String>, to value: Node, in node: Node, path: String) throws -> Node {
        guard let head = parts.first else { return value }
        var mapping: Node.Mapping
        switch node {
        case .mapping(let m): mapping = m
        case .scalar(let s) where s.string.isEmpty || s.string == "~" || s.string == "null": mapping = .init([])
        default: throw ConfigError(path: path, line: node.mark?.line, "\(parts.dropLast().joined(separator: ".")) is not a mapping, so it has no key \(head)")
        }
        let child = mapping[head] ?? Node("")
        mapping[head] = parts.count == 1 ? value : try set(parts.dropFirst(), to: value, in: child, path: path)
        return .mapping(mapping)
    }

    /// Some columns of a results file, row by row, as written (the numbers `bystander compare`
    /// and the notebooks read). The explorer reads a votes.csv of ~76,000 rows per request: a
    /// file without quotes (fields are quoted only when they hold a comma, quote or line break)
    /// is scanned byte by byte and only the wanted fields become strings; others go through
    /// the general CSV reader.
    public static func readColumns(_ path: String, _ names: [String]) throws -> [[String]] {
        guard let data = FileManager.default.contents(atPath: path) else { throw OutputError("cannot read \(path)") }
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        if data.contains(UInt8(ascii: "\"")) || data.contains(UInt8(ascii: "\r")) {
            let reader = try CSVText.reader(path)
            let index = try columnIndices(reader.headerRow ?? [], names, path)
            var rows: [[String]] = []
            while let row = reader.next() { rows.append(index.map { row[$0] }) }
            return rows
        }
        return try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> [[String]] in
            guard let headerEnd = bytes.firstIndex(of: newline) else { return [] }
            let header = bytes[..<headerEnd].split(separator: comma, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            let index = try columnIndices(header, names, path)
            let slot = Dictionary(uniqueKeysWithValues: index.enumerated().map { ($1, $0) })   // column -> position in the row
            var rows: [[String]] = []
            var row = [String](repeating: "", count: names.count)
            var field = 0, start = headerEnd + 1
            for i in (headerEnd + 1)...bytes.count where i == bytes.count || bytes[i] == comma || bytes[i] == newline {
                if i == bytes.count && start == i { break }   // the file ends with its last line's newline
                if let k = slot[field] { row[k] = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self) }
                field += 1; start = i + 1
                if i == bytes.count || bytes[i] == newline { rows.append(row); field = 0 }
            }
            return rows
        }
    }

    static func columnIndices(_ header: [String], _ names: [String], _ path: String) throws -> [Int] {
        try names.map { name in
            guard let k = header.firstIndex(of: name) else { throw OutputError("\(path) has no column \(name)") }
            return k
        }
    }
}

extension Experiment {
    /// One run with its weekly record and every Council vote: the rows `--timeseries` and
    /// votes.csv hold for this point, regime and replicate (same scenario, same seed).
    public func singleRun(point: Int = 0, regime: String, replicate: Int) throws -> RunResult {
        guard points.indices.contains(point) else { throw ConfigError(path: "point", "must be in [0, \(points.count - 1)], got \(point)") }
        guard let r = config.regimes.contains(regime) ? Regimes.named(regime) : nil else {
            throw ConfigError(path: "regime", "must be one of the config's regimes (\(config.regimes.joined(separator: ", "))), got '\(regime)'")
        }
        guard (0..<config.replicates).contains(replicate) else {
            throw ConfigError(path: "replicate", "must be in [0, \(config.replicates - 1)], got \(replicate)")
        }
        let s = try scenario(point: point)
        return try Simulation(scenario: s, regime: r, seed: runSeed(point: point, replicate: replicate),
                              recording: RecordingOptions(weeks: true, votes: true)).run()
    }
}

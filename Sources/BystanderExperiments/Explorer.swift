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
        return "# \(name) with changes from the explorer: \(changes)\n" + body
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

    /// A results file as a header and rows of text fields (as written: the numbers are the
    /// ones `bystander compare` and the notebooks read).
    public static func readCSV(_ path: String) throws -> (header: [String], rows: [[String]]) {
        // A file without a quote has no quoted field: split it directly, many times faster than
        // the general reader on the ~100,000 rows of a votes.csv (the explorer reads it per request).
        if let data = FileManager.default.contents(atPath: path), !data.contains(UInt8(ascii: "\"")), !data.contains(UInt8(ascii: "\r")) {
            var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map {
                $0.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            }
            guard !lines.isEmpty else { return ([], []) }
            let header = lines.removeFirst()
            return (header, lines)
        }
        let reader = try CSVText.reader(path)
        guard let header = reader.headerRow else { return ([], []) }
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return (header, rows)
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

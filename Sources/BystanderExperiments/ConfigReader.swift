import Foundation
import Yams

/// A config problem, named by key path and (where the YAML parser gives one) line.
public struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    public var path: String
    public var line: Int?
    public var message: String
    public init(path: String, line: Int? = nil, _ message: String) {
        self.path = path; self.line = line; self.message = message
    }
    public var description: String {
        let at = line.map { "line \($0): " } ?? ""
        // A hostile key or value can be megabytes long: messages quote at most a few hundred
        // characters of each.
        return oneLine(path.isEmpty ? "\(at)\(clip(message, 600))" : "\(at)\(clip(path, 200)): \(clip(message, 600))")
    }
}

/// Control characters (a newline in a hostile value) shown escaped: a message is one line.
func oneLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
    return String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined())
}

/// `text` cut to at most `limit` characters, with the number of characters left out.
func clip(_ text: String, _ limit: Int) -> String {
    guard text.utf8.count > limit else { return text }
    let count = text.count
    guard count > limit else { return text }
    return "\(text.prefix(limit))... (\(count - limit) more characters)"
}

/// One documented parameter, as the reader met it: the schema that `bystander params`
/// prints and docs/MODEL.md includes.
public struct ParameterDoc: Sendable {
    public var path: String
    public var kind: String
    public var defaultValue: String
    public var unit: String
    public var source: String
    public var doc: String
}

/// Values are resolved into this JSON-like tree for the manifest and the config hash.
public indirect enum ResolvedValue: Sendable, Equatable {
    case number(Double), integer(Int), bool(Bool), string(String), list([ResolvedValue])
    var json: Any {
        switch self {
        case .number(let x): return x
        case .integer(let x): return x
        case .bool(let x): return x
        case .string(let x): return x
        case .list(let xs): return xs.map(\.json)
        }
    }
}

/// Shared state of one reading: the schema recorded so far, the resolved values, and the
/// sweep overrides (path -> YAML node) that take precedence over the file.
final class ReadingContext {
    var docs: [ParameterDoc] = []
    var resolved: [(String, ResolvedValue)] = []
    var overrides: [String: Node]
    var usedOverrides = Set<String>()
    init(overrides: [String: Node]) { self.overrides = overrides }
}

/// Reads one YAML mapping, keeping track of the keys it was asked for so that any other key
/// is reported as unknown (with the nearest known key as a suggestion).
struct MappingReader {
    let context: ReadingContext
    let path: String
    let mapping: Node.Mapping?
    let line: Int?
    private(set) var known: [String] = []

    init(context: ReadingContext, path: String, node: Node?) throws {
        self.context = context
        self.path = path
        self.line = node?.mark?.line
        switch node {
        case nil: mapping = nil
        case .mapping(let m)?: mapping = m
        case .scalar(let s)? where s.string.isEmpty || s.string == "~" || s.string == "null": mapping = nil
        case let other?: throw ConfigError(path: path, line: other.mark?.line, "must be a mapping of keys to values, got \(describe(other))")
        }
    }

    func full(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The node for a key: a sweep override first, then the file.
    mutating func node(_ key: String) -> Node? {
        known.append(key)
        let p = full(key)
        if let o = context.overrides[p] { context.usedOverrides.insert(p); return o }
        return mapping?[key]
    }

    func keys() -> [String] { mapping?.keys.compactMap(\.string) ?? [] }

    /// Reject keys that nothing asked for.
    func finish() throws {
        guard let mapping else { return }
        for key in mapping.keys {
            let k = key.string ?? "?"
            if !known.contains(k) {
                var message = "unknown key"
                if let near = nearest(k, in: known) { message += " (did you mean '\(near)'?)" }
                throw ConfigError(path: full(k), line: key.mark?.line, message)
            }
        }
    }

    mutating func section(_ key: String) throws -> MappingReader {
        try MappingReader(context: context, path: full(key), node: node(key))
    }

    private func record(_ key: String, kind: String, _ def: String, _ unit: String, _ source: String, _ doc: String, _ value: ResolvedValue) {
        context.docs.append(ParameterDoc(path: full(key), kind: kind, defaultValue: def, unit: unit, source: source, doc: doc))
        context.resolved.append((full(key), value))
    }

    mutating func double(_ key: String, _ def: Double, _ range: ClosedRange<Double>, unit: String = "-", source: String = "assumption", _ doc: String) throws -> Double {
        let value: Double
        if let n = node(key) {
            guard let x = number(n) else {
                throw ConfigError(path: full(key), line: n.mark?.line, "must be a number, got \(describe(n))")
            }
            guard x.isFinite else { throw ConfigError(path: full(key), line: n.mark?.line, "must be a finite number, got \(n.string ?? "?")") }
            guard range.contains(x) else {
                throw ConfigError(path: full(key), line: n.mark?.line, "must be in [\(formatBound(range.lowerBound)), \(formatBound(range.upperBound))], got \(n.string ?? "\(x)")")
            }
            value = x
        } else { value = def }
        record(key, kind: "number in [\(formatBound(range.lowerBound)), \(formatBound(range.upperBound))]", formatBound(def), unit, source, doc, .number(value))
        return value
    }

    mutating func int(_ key: String, _ def: Int, _ range: ClosedRange<Int>, unit: String = "-", source: String = "assumption", _ doc: String) throws -> Int {
        let value: Int
        if let n = node(key) {
            guard isNumeric(n), let x = n.int else {
                if isNumeric(n), let f = n.float, f.isFinite, f == f.rounded(), abs(f) < 1e15, range.contains(Int(f)) { return try recordInt(key, Int(f), def, range, unit, source, doc) }
                throw ConfigError(path: full(key), line: n.mark?.line, "must be a whole number, got \(describe(n))")
            }
            guard range.contains(x) else {
                throw ConfigError(path: full(key), line: n.mark?.line, "must be in [\(range.lowerBound), \(range.upperBound)], got \(x)")
            }
            value = x
        } else { value = def }
        return try recordInt(key, value, def, range, unit, source, doc)
    }

    private mutating func recordInt(_ key: String, _ value: Int, _ def: Int, _ range: ClosedRange<Int>, _ unit: String, _ source: String, _ doc: String) throws -> Int {
        record(key, kind: "integer in [\(range.lowerBound), \(range.upperBound)]", String(def), unit, source, doc, .integer(value))
        return value
    }

    mutating func bool(_ key: String, _ def: Bool, source: String = "assumption", _ doc: String) throws -> Bool {
        var value = def
        if let n = node(key) {
            guard isPlain(n, tagged: [.bool]), let x = n.bool else { throw ConfigError(path: full(key), line: n.mark?.line, "must be true or false, got \(describe(n))") }
            value = x
        }
        record(key, kind: "true/false", String(def), "-", source, doc, .bool(value))
        return value
    }

    mutating func string(_ key: String, _ def: String, source: String = "-", _ doc: String, validate: ((String) -> String?)? = nil) throws -> String {
        var value = def
        if let n = node(key) {
            guard case .scalar = n, let x = n.string else { throw ConfigError(path: full(key), line: n.mark?.line, "must be a string, got \(describe(n))") }
            if let problem = validate?(x) { throw ConfigError(path: full(key), line: n.mark?.line, problem) }
            value = x
        }
        record(key, kind: "string", def.isEmpty ? "\"\"" : def, "-", source, doc, .string(value))
        return value
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ def: E, source: String = "assumption", _ doc: String) throws -> E where E.RawValue == String {
        var value = def
        let options = E.allCases.map(\.rawValue)
        if let n = node(key) {
            guard case .scalar = n, let x = n.string, let e = E(rawValue: x) else {
                var message = "must be one of \(options.joined(separator: ", ")), got \(describe(n))"
                if let s = n.string, let near = nearest(s, in: options) { message += " (did you mean '\(near)'?)" }
                throw ConfigError(path: full(key), line: n.mark?.line, message)
            }
            value = e
        }
        record(key, kind: options.joined(separator: " | "), def.rawValue, "-", source, doc, .string(value.rawValue))
        return value
    }

    mutating func doubles(_ key: String, _ def: [Double], count: Int, _ range: ClosedRange<Double>, unit: String = "-", source: String = "assumption", _ doc: String) throws -> [Double] {
        var value = def
        if let n = node(key) {
            guard case .sequence(let seq) = n else { throw ConfigError(path: full(key), line: n.mark?.line, "must be a list of \(count) numbers, got \(describe(n))") }
            guard seq.count == count else { throw ConfigError(path: full(key), line: n.mark?.line, "must have \(count) entries, got \(seq.count)") }
            value = try seq.enumerated().map { k, item in
                guard let x = number(item), x.isFinite else {
                    throw ConfigError(path: "\(full(key))[\(k)]", line: item.mark?.line, "must be a finite number, got \(describe(item))")
                }
                guard range.contains(x) else { throw ConfigError(path: "\(full(key))[\(k)]", line: item.mark?.line, "must be in [\(formatBound(range.lowerBound)), \(formatBound(range.upperBound))], got \(x)") }
                return x
            }
        }
        record(key, kind: "\(count) numbers in [\(formatBound(range.lowerBound)), \(formatBound(range.upperBound))]",
               "[" + def.map(formatBound).joined(separator: ", ") + "]", unit, source, doc, .list(value.map { .number($0) }))
        return value
    }

    mutating func strings(_ key: String, _ def: [String], source: String = "assumption", _ doc: String, validate: (String) -> String? = { _ in nil }) throws -> [String] {
        var value = def
        if let n = node(key) {
            if case .scalar(let s) = n, s.string.isEmpty || s.string == "[]" { value = [] } else {
                guard case .sequence(let seq) = n else { throw ConfigError(path: full(key), line: n.mark?.line, "must be a list of strings, got \(describe(n))") }
                value = try seq.enumerated().map { k, item in
                    guard case .scalar = item, let x = item.string else { throw ConfigError(path: "\(full(key))[\(k)]", line: item.mark?.line, "must be a string, got \(describe(item))") }
                    if let problem = validate(x) { throw ConfigError(path: "\(full(key))[\(k)]", line: item.mark?.line, problem) }
                    return x
                }
            }
        }
        record(key, kind: "list of strings", "[" + def.joined(separator: ", ") + "]", "-", source, doc, .list(value.map { .string($0) }))
        return value
    }
}

/// Whether a node may be read as a number: a plain scalar without a tag, or tagged !!int or
/// !!float. A quoted "20" or a `!!str 20` is a string, never a number (YAML's own rule).
func isNumeric(_ node: Node) -> Bool { isPlain(node, tagged: [.int, .float]) }

/// A plain (unquoted) scalar, untagged or with one of `tags`.
func isPlain(_ node: Node, tagged tags: [Tag.Name]) -> Bool {
    guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return false }
    let tag = s.tag.description
    return tag.isEmpty || tags.contains { $0.rawValue == tag }
}

/// The node as a number, under the strict rule of `isNumeric`.
func number(_ node: Node) -> Double? {
    guard isNumeric(node) else { return nil }
    return node.float ?? node.int.map(Double.init)
}

func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let s) where !isPlain(node, tagged: [.int, .float, .bool, .null]):
        return "the string '\(clip(s.string, 60))' (quoted or tagged: a string, not a number or true/false)"
    case .scalar(let s): return s.string.isEmpty ? "an empty value" : "'\(clip(s.string, 60))'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
}

func formatBound(_ x: Double) -> String {
    if x == .infinity { return "inf" }
    if x == -.infinity { return "-inf" }
    return formatNumberForDocs(x)
}

func formatNumberForDocs(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}

/// The closest candidate within edit distance 2 (or a third of the word), for "did you mean".
func nearest(_ word: String, in candidates: [String]) -> String? {
    // No key is this long: a suggestion would cost time quadratic in a hostile key's length.
    guard word.utf8.count <= 100 else { return nil }
    let limit = max(2, word.count / 3)
    let scored = candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= limit }
    return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

/// Parse YAML text into a node, turning parser errors into one-line messages with the line.
func parseYAML(_ text: String, file: String) throws -> Node? {
    do {
        return try Yams.compose(yaml: text)
    } catch let error as YamlError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            throw ConfigError(path: "", line: mark.line, "\(file) is not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            throw ConfigError(path: duplicates.joined(separator: ", "), line: context.mark.line, "key given twice")
        case .reader(let problem, _, _, _):
            throw ConfigError(path: "", "\(file) cannot be read as text: \(problem)")
        default:
            throw ConfigError(path: "", "\(file) is not valid YAML: \(error)")
        }
    } catch {
        throw ConfigError(path: "", "\(file) is not valid YAML: \(error)")
    }
}

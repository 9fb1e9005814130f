import CSV
import Crypto
import Foundation

/// CSV as RFC 4180 has it: fields with commas, quotes or line breaks are quoted. Reading
/// goes through CSV.swift, which also handles byte-order marks and CRLF.
enum CSVText {
    static func field(_ s: String) -> String {
        // Almost no field holds one of these bytes, and scanning UTF-8 is far cheaper than
        // breaking graphemes; the Character test then decides exactly as it always has (it
        // does not quote the one-Character "\r\n" or a comma carrying a combining mark).
        guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }),
              s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Lines are built as UTF-8 bytes: appending to a [UInt8] costs a fraction of a String
    /// append (about 350 instructions each here).
    static func row(_ fields: [String]) -> String {
        var line: [UInt8] = []
        for (k, f) in fields.enumerated() {
            if k > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: field(f).utf8)
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// `prefix,field,...` and a newline for each record, the fields unquoted (numbers and codes).
    static func lines<R>(_ records: [R], prefix: String, _ fields: (R) -> [String]) -> String {
        var text: [UInt8] = []
        for r in records {
            text.append(contentsOf: prefix.utf8)
            for f in fields(r) { text.append(UInt8(ascii: ",")); text.append(contentsOf: f.utf8) }
            text.append(UInt8(ascii: "\n"))
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A streaming reader with a header row.
    static func reader(_ path: String) throws -> CSVReader {
        guard let stream = InputStream(fileAtPath: path), FileManager.default.fileExists(atPath: path) else {
            throw OutputError("cannot read \(path)")
        }
        do { return try CSVReader(stream: stream, hasHeaderRow: true) } catch { throw OutputError("\(path) is not readable CSV: \(error)") }
    }
}

/// A failure to read or write results: reported with the path, exit status 2.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = oneLine(description) }
}

enum Files {
    /// Write a whole file atomically: a temporary file in the same folder, flushed, then
    /// renamed over the target, so a reader never sees half a file.
    static func writeAtomically(_ path: String, _ data: Data) throws {
        let tmp = path + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: nil) else { throw OutputError("cannot write \(tmp): is the folder writable?") }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: tmp))
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch { throw OutputError("cannot write \(tmp): \(error.localizedDescription)") }
        guard rename(tmp, path) == 0 else { throw OutputError("cannot rename \(tmp) to \(path): \(String(cString: strerror(errno)))") }
    }

    static func writeAtomically(_ path: String, _ text: String) throws { try writeAtomically(path, Data(text.utf8)) }

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// SHA-256 of a file, read in chunks: results files grow with the number of runs and
    /// must not be held in memory whole.
    static func sha256(file path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Append `source` to `target` in chunks, optionally skipping its first line (a header).
    static func append(_ source: String, to target: FileHandle, skippingHeader: Bool) throws {
        guard let input = FileHandle(forReadingAtPath: source) else { throw OutputError("cannot read \(source)") }
        defer { try? input.close() }
        var skipping = skippingHeader
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            var data = chunk
            if skipping {
                guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { continue }
                data = data[data.index(after: newline)...]
                skipping = false
            }
            try target.write(contentsOf: data)
        }
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}

/// A file written in pieces to `path.tmp`, then flushed and renamed over `path`.
final class StreamingFile {
    let path: String
    let handle: FileHandle
    init(_ path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path + ".tmp", contents: nil), let h = FileHandle(forWritingAtPath: path + ".tmp") else {
            throw OutputError("cannot write \(path).tmp: is the folder writable?")
        }
        handle = h
    }
    func write(_ text: String) throws {
        do { try handle.write(contentsOf: Data(text.utf8)) } catch { throw OutputError("cannot write \(path).tmp: \(error.localizedDescription)") }
    }
    func commit() throws {
        do { try handle.synchronize(); try handle.close() } catch { throw OutputError("cannot flush \(path).tmp: \(error.localizedDescription)") }
        guard rename(path + ".tmp", path) == 0 else { throw OutputError("cannot rename \(path).tmp to \(path): \(String(cString: strerror(errno)))") }
    }
}

/// An append-only text file whose committed length is recorded in the checkpoint: on resume
/// the file is cut back to that length, so rows written after the last checkpoint (by a run
/// that was killed) are dropped rather than duplicated.
final class AppendFile {
    let path: String
    let handle: FileHandle
    private(set) var committedBytes: UInt64

    init(path: String, header: String, resumeAt offset: UInt64?) throws {
        self.path = path
        if offset == nil || !Files.exists(path) {
            guard FileManager.default.createFile(atPath: path, contents: Data((header + "\n").utf8)) else {
                throw OutputError("cannot create \(path): is the output folder writable?")
            }
        }
        do { handle = try FileHandle(forUpdating: URL(fileURLWithPath: path)) } catch { throw OutputError("cannot open \(path): \(error.localizedDescription)") }
        let start = offset ?? UInt64(header.utf8.count + 1)
        try handle.truncate(atOffset: start)
        try handle.seekToEnd()
        committedBytes = start
    }

    func append(_ text: String) throws {
        guard !text.isEmpty else { return }
        do { try handle.write(contentsOf: Data(text.utf8)) } catch { throw OutputError("cannot write \(path): \(error.localizedDescription)") }
    }

    /// Flush to disk and return the new committed length.
    func commit() throws -> UInt64 {
        do { try handle.synchronize(); committedBytes = try handle.offset() } catch { throw OutputError("cannot flush \(path): \(error.localizedDescription)") }
        return committedBytes
    }

    deinit { try? handle.close() }
}

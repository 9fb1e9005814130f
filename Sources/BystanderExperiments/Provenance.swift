import BystanderCore
import Foundation

/// What the manifest records about the code and the machine.
public enum Provenance {
    public static let packageVersion = "0.1.0"

    /// The Swift compiler the binary was built with (compile-time).
    public static var swiftVersion: String {
        #if compiler(>=6.3)
        return "6.3 or later"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// The source tree this binary was built from (the package root, found from this file's
    /// compile-time path), so the manifest can name the git commit and whether it was dirty.
    static let sourceRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static func git() -> (commit: String, dirty: Bool)? {
        guard let commit = run(["git", "-C", sourceRoot, "rev-parse", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines), !commit.isEmpty else { return nil }
        let status = run(["git", "-C", sourceRoot, "status", "--porcelain", "--untracked-files=no"]) ?? ""
        return (commit, !status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    static func run(_ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        // Not waitUntilExit: it polls the run loop in 50 ms steps, which is most of a small run's time.
        let exited = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in exited.signal() }
        do { try p.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        exited.wait()
        return p.terminationStatus == 0 ? String(data: data, encoding: .utf8) : nil
    }

    public static var host: String { ProcessInfo.processInfo.hostName }
    public static var os: String { ProcessInfo.processInfo.operatingSystemVersionString }

    static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

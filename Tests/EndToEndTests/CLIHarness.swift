import Foundation
import XCTest

/// Runs the built `bystander` executable, as a user would, and captures what it prints.
enum CLI {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// The products folder: the test bundle sits next to the executable (.build/<config>/).
    static var executable: URL {
        var dir = Bundle.main.bundleURL
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let exe = candidate.appendingPathComponent("bystander")
            if FileManager.default.isExecutableFile(atPath: exe.path) { return exe }
        }
        dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return dir.appendingPathComponent(".build/debug/bystander")
    }

    /// The package root (for Experiments/ and Tests/Fixtures/).
    static var root: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
    static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures") }

    @discardableResult
    static func run(_ args: [String], environment: [String: String] = [:], timeout: TimeInterval = 300) throws -> Result {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SLURM_ARRAY_TASK_ID"); env.removeValue(forKey: "SLURM_ARRAY_TASK_COUNT")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        // Read both pipes concurrently so a chatty process cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter(); DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter(); DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut { p.terminate(); throw NSError(domain: "CLI", code: 1, userInfo: [NSLocalizedDescriptionKey: "timed out: bystander \(args.joined(separator: " "))"]) }
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder, removed at the end of the test.
    static func temporaryFolder(_ test: XCTestCase) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bystander-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    static func write(_ text: String, to url: URL) throws { try text.write(to: url, atomically: true, encoding: .utf8) }
}

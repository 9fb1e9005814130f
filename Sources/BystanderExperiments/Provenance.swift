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

    /// Folders of generated outputs: changes there do not make the source tree dirty (the
    /// results being written, and the reports generated from them, would otherwise mark every
    /// manifest written into the tracked tree, e.g. by `make figures`, as dirty).
    static let generatedFolders = ["Results", "docs"]

    /// The commit checked out at the source root and whether a tracked file outside the generated
    /// folders differs from it (sources, configs, tests, scripts).
    public static func git() -> (commit: String, dirty: Bool)? { git(at: sourceRoot) }

    static func git(at root: String) -> (commit: String, dirty: Bool)? {
        guard let commit = run(["git", "-C", root, "rev-parse", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines), !commit.isEmpty else { return nil }
        let status = run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no", "--", "."] + generatedFolders.map { ":(exclude,top)\($0)" }) ?? ""
        return (commit, !status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    /// The standard output of `/usr/bin/env args...`, or nil unless it exits with status 0.
    /// posix_spawn and waitpid, not Foundation's Process: its waitUntilExit polls the run loop
    /// in 50 ms steps, and its run() adds a close action for every possible descriptor (20,000
    /// here, about 4.7 M instructions a call). Both pipe ends are close-on-exec: the child gets
    /// the write end only as its standard output, so the read sees end-of-file when it exits.
    static func run(_ args: [String]) -> String? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        let argv = (["/usr/bin/env"] + args).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv + [nil], environ)
        close(fds[1])
        guard spawned == 0 else { return nil }
        let data = output.readDataToEndOfFile()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status == 0 ? String(data: data, encoding: .utf8) : nil  // 0: exited, with status 0
    }

    public static var host: String { ProcessInfo.processInfo.hostName }
    public static var os: String { ProcessInfo.processInfo.operatingSystemVersionString }

    static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

import ArgumentParser
import BystanderExperiments
import BystanderServer
import Foundation

/// `bystander serve`: the explorer in the browser (Sources/BystanderServer).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the explorer: a page to change parameters and see the regimes diverge, and its JSON API.",
        discussion: "Listens on the loopback interface (127.0.0.1) unless --host says otherwise, and prints the address to open. The page offers CONFIG (default Experiments/default.yaml) and the case configs in Experiments/cases. See docs/EXPERIMENTS.md for the API.")
    @Argument(help: "The experiment the page opens with (default: Experiments/default.yaml).")
    var config: String?
    @Option(help: "Port (0: any free port; the address printed says which).")
    var port = 8080
    @Option(help: "Address to listen on. The default, 127.0.0.1, accepts connections from this machine only.")
    var host = "127.0.0.1"
    @Option(help: "Folder of shipped experiments (default.yaml and cases/*.yaml).")
    var experiments = "Experiments"
    @Option(help: "Where the page's Save writes results folders.")
    var saveTo = "Results/explorer"
    @Option(name: .shortAndLong, help: "Worker threads per computation (default: all cores). Results do not depend on it.")
    var jobs: Int?

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be in [0, 65535]") }
        try checkJobs(jobs)
    }

    func run() throws {
        if let config { _ = try ExperimentConfig.load(path: config) }   // a bad config fails here, as `run` would
        let service = ExplorerService(defaultConfig: config, experimentsDirectory: experiments, saveDirectory: saveTo,
                                      jobs: jobs ?? defaultJobs())
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host)
        let failure = ServeFailure()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await ExplorerServer.run(service: service, host: host, port: port) { host, port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    // Straight to the file descriptor: a script reading the address must not wait for a buffer.
                    let text = (loopback ? "listening on loopback only (this machine): --host 0.0.0.0 to accept other machines\n"
                                         : "listening on \(host): reachable from other machines; the explorer has no authentication\n")
                        + "open http://\(shown):\(port)/   (Ctrl-C stops)\n"
                    FileHandle.standardOutput.write(Data(text.utf8))
                }
            } catch { failure.set(error) }
            done.signal()
        }
        done.wait()
        if let e = failure.error { throw OutputError("cannot serve on \(host):\(port): \(String(describing: e).replacingOccurrences(of: "\n", with: " "))") }
    }
}

private final class ServeFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    func set(_ e: any Error) { lock.lock(); stored = e; lock.unlock() }
    var error: (any Error)? { lock.lock(); defer { lock.unlock() }; return stored }
}

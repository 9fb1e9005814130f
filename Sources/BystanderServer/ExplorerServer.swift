import BystanderExperiments
import Foundation
import Hummingbird

/// `bystander serve`: the explorer page and its JSON API over HTTP (Hummingbird).
///
///   GET  /                      the page (and /explorer.js, /explorer.css: no other origin)
///   GET  /api/params            parameter metadata, as `bystander params` prints it
///   GET  /api/experiments       the shipped experiments; /api/experiments/ID its YAML
///   POST /api/check             config -> its resolved values, or 400 with the CLI's message
///   POST /api/run               config -> per regime the numbers of summary.csv and comparison.csv
///   POST /api/timeline?regime=R&replicate=K   config -> one run, week by week, with its votes
///   POST /api/save              config -> a results folder with its manifest (`bystander reproduce` reruns it)
///
/// A config is the request body as YAML, or JSON {"config": YAML, "set": {path: value},
/// "experiment": ID, "name": FILE}: `set` changes values (as the sliders do) and the YAML that
/// ran comes back as "config_yaml"; `experiment` says where relative paths are read from.
public enum ExplorerServer {
    public static func run(service: ExplorerService, host: String, port: Int, announce: @escaping @Sendable (String, Int) -> Void) async throws {
        let router = Router()
        router.middlewares.add(SecurityHeaders())
        for (path, type) in [("index.html", "text/html; charset=utf-8"), ("explorer.js", "text/javascript; charset=utf-8"), ("explorer.css", "text/css; charset=utf-8")] {
            let body = try WebAssets.file(path)
            let route = path == "index.html" ? "/" : "/\(path)"
            router.get(RouterPath(stringLiteral: route)) { _, _ in
                Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }
        }
        router.get("/api/params") { _, _ in json(["parameters": ExplorerService.parameters(), "limits": limitsJSON(service.limits)]) }
        router.get("/api/experiments") { _, _ in json(["experiments": service.experimentList()]) }
        router.get("/api/experiments/**") { request, context in
            await handle {
                let id = context.parameters.getCatchAll().joined(separator: "/")
                let c = try service.experiment(id: id)
                return ["id": id, "file": c.name, "config_yaml": c.text]
            }
        }
        router.post("/api/check") { request, _ in
            await handle { try service.check(try await config(request, service)) }
        }
        router.post("/api/run") { request, _ in
            await handle { try await service.run(try await config(request, service)) }
        }
        router.post("/api/timeline") { request, _ in
            await handle {
                let q = request.uri.queryParameters
                guard let regime = q.get("regime") else { throw ExplorerError(400, "error: the query needs regime=NAME") }
                guard let text = q.get("replicate"), let replicate = Int(text) else { throw ExplorerError(400, "error: the query needs replicate=K (a whole number)") }
                return try await service.timeline(try await config(request, service), regime: regime, replicate: replicate)
            }
        }
        router.post("/api/save") { request, _ in
            await handle { try await service.save(try await config(request, service)) }
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
                              onServerRunning: { channel in announce(host, channel.localAddress?.port ?? port) })
        try await app.runService()
    }

    static func limitsJSON(_ l: ExplorerLimits) -> [String: Any] {
        ["max_body_bytes": l.maxBodyBytes, "max_replicates": l.maxReplicates, "max_runs": l.maxRuns, "max_states": l.maxStates, "max_seconds": l.maxSeconds]
    }

    /// The config of a request: YAML, or JSON with "config", "set", "experiment" and "name".
    static func config(_ request: Request, _ service: ExplorerService) async throws -> ExplorerConfig {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: service.limits.maxBodyBytes) } catch {
            throw ExplorerError(413, "error: the request body is larger than \(service.limits.maxBodyBytes) bytes")
        }
        let data = Data(buffer.readableBytesView)
        let cwd = FileManager.default.currentDirectoryPath
        guard request.headers[.contentType]?.hasPrefix("application/json") == true else {
            guard let text = String(data: data, encoding: .utf8) else { throw ExplorerError(400, "config error: the config is not UTF-8 text") }
            return ExplorerConfig(text: text, name: "config", baseDirectory: cwd)
        }
        guard let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ExplorerError(400, "error: the body is not a JSON object")
        }
        var c: ExplorerConfig
        if let id = body["experiment"] as? String { c = try service.experiment(id: id) } else { c = ExplorerConfig(text: "", name: "config", baseDirectory: cwd) }
        if let text = body["config"] as? String { c.text = text } else if body["config"] != nil { throw ExplorerError(400, "error: \"config\" must be YAML text") }
        if let name = body["name"] as? String, !name.isEmpty { c.name = String(name.prefix(200)) }
        if let set = body["set"] {
            guard let set = set as? [String: Any] else { throw ExplorerError(400, "error: \"set\" must map key paths to values") }
            let values = try set.keys.sorted().map { path -> (path: String, value: String) in
                switch set[path] {
                case let s as String: return (path, s)
                case let n as NSNumber: return (path, formatJSONNumber(n.doubleValue))
                default: throw ExplorerError(400, "config error: \(path): must be a single value")
                }
            }
            do { c.text = try Explorer.setting(values, in: c.text, name: c.name) } catch { throw ExplorerError.from(error) }
        }
        return c
    }

    static func formatJSONNumber(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)" }

    /// Run a handler; errors become JSON {"error": one line} with their status.
    static func handle(_ body: () async throws -> [String: Any]) async -> Response {
        do { return json(try await body()) } catch {
            let e = ExplorerError.from(error)
            return json(["error": e.description], status: .init(code: e.status))
        }
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{\"error\": \"error: the result cannot be written as JSON\"}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The page may load nothing from another origin (no CDN, no network), and may not be framed.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}

/// The page's files, shipped as resources of this module.
enum WebAssets {
    static func file(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Web"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw ExplorerError(500, "error: the explorer's \(name) is missing from the build (Sources/BystanderServer/Web)")
        }
        return Array(data)
    }
}

import Foundation

/// One writer per output folder: an advisory lock (flock) on `FOLDER/.lock`, held for as long
/// as this object lives (the whole run). The holder writes its pid into the file, so that a
/// second process can name it. The lock goes with the process: a killed run leaves no stale
/// lock behind. The file itself stays (removing it would let two processes lock two files).
final class OutputLock {
    let fd: Int32

    static func path(_ folder: String) -> String { "\(folder)/.lock" }

    init(folder: String) throws {
        let path = Self.path(folder)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError("cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            guard reason == EWOULDBLOCK else { throw OutputError("cannot lock \(path): \(String(cString: strerror(reason)))") }
            let pid = n > 0 ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "unknown"
            throw OutputError("output \(folder) is in use by another bystander process (pid \(pid.isEmpty ? "unknown" : pid)); wait for it to finish or stop it, then run the command again")
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, text, text.count, 0)
    }

    deinit { close(fd) }   // closing the descriptor releases the lock
}

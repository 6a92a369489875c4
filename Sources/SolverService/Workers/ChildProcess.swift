import Foundation

/// A child process started with posix_spawn, its stdout delivered line by line, its exit
/// observed with waitpid.
///
/// The supervisor does not use Foundation's `Process` for workers: on Linux its exit tracking
/// was seen to miss a child that died (the child stayed a zombie and `isRunning` stayed true),
/// which would turn a crash into a bogus hard-deadline timeout. waitpid on our own pid is exact.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments` and `environment`; `onLine` gets each stdout line, in
    /// order, on a reader thread, and `onEnd` runs once the child's stdout is closed (it exited).
    /// stderr is inherited (worker logs go straight to the supervisor's stderr).
    init(
        executable: String, arguments: [String], environment: [String: String],
        onLine: @escaping @Sendable (String) -> Void, onEnd: @escaping @Sendable () -> Void = {}
    ) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ChildProcessError.pipe(errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        close(fds[1])
        guard status == 0 else {
            close(fds[0])
            throw ChildProcessError.spawn(status)
        }
        self.pid = pid
        let readFD = fds[0]
        let thread = Thread {
            var buffer = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(readFD, &chunk, chunk.count)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                buffer.append(contentsOf: chunk[0..<count])
                while let newline = buffer.firstIndex(of: 10) {
                    onLine(String(decoding: buffer[0..<newline], as: UTF8.self))
                    buffer.removeSubrange(0...newline)
                }
            }
            close(readFD)
            onEnd()
        }
        thread.start()
    }

    /// The exit status once the child has exited (128 + signal when killed), else nil.
    func poll() -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            let signal = status & 0x7f
            exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        } else if result == -1, errno == ECHILD {
            exitStatus = -1
        }
        return exitStatus
    }

    func signal(_ signal: Int32) {
        if poll() == nil { kill(pid, signal) }
    }
}

enum ChildProcessError: Error {
    case pipe(Int32)
    case spawn(Int32)
}

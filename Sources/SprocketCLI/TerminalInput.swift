import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a secret from standard input: one line with echo off on a terminal, every byte otherwise.
enum TerminalInput {
    /// On a terminal: prompts, reads one line without echoing it (``TerminalPrompt``) and strips its newline. From a
    /// pipe or file: the bytes exactly as given (a trailing newline is kept, since it may be part of the value).
    static func readSecret(prompt: String) -> [UInt8] {
        guard isatty(STDIN_FILENO) == 1 else {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        return Array((TerminalPrompt.readSecret(prompt) ?? "").utf8)
    }
}

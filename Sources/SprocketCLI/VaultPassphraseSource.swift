import Foundation
import SprocketCore
import Vault
#if canImport(Glibc)
import Glibc
#endif

/// Where `vault` commands get passphrases and shares: a prompt with echo off on the controlling terminal when
/// stdin is a terminal, else the environment (`SPROCKET_VAULT_PASSPHRASE`; `SPROCKET_VAULT_SHARE_PASSPHRASE_<i>`
/// for the i-th share file). Nothing read here is ever printed.
struct VaultPassphraseSource: Sendable {
    let environment: [String: String]

    /// Whether prompts can be shown: stdin is a terminal (a daemon or a test has none, and must not block).
    var canPrompt: Bool { isatty(STDIN_FILENO) == 1 }

    /// The provider the bootstrap and the commands call.
    var provider: VaultPassphraseProvider {
        let source = self
        return { request in try source.passphrase(for: request) }
    }

    /// The passphrase `request` asks for, registered for redaction as soon as it is known (typed or read).
    func passphrase(for request: VaultPassphraseRequest) throws -> String {
        let passphrase = try lookUp(request)
        SecretRedactor.shared.register(passphrase, name: "vault-passphrase")
        return passphrase
    }

    private func lookUp(_ request: VaultPassphraseRequest) throws -> String {
        switch request {
        case .keyFile(let path, let isNew):
            if canPrompt {
                return try Self.ask(isNew ? "New passphrase for \(path): " : "Passphrase for \(path): ", confirm: isNew)
            }
            guard let value = environment["SPROCKET_VAULT_PASSPHRASE"], !value.isEmpty else { throw VaultCustodyError.noPassphrase }
            return value
        case .share(let path, let index, let count):
            if canPrompt {
                return try Self.ask("Passphrase of share \(index) of \(count) (\(path)): ", confirm: true)
            }
            let name = "SPROCKET_VAULT_SHARE_PASSPHRASE_\(index)"
            guard let value = environment[name], !value.isEmpty else { throw VaultInputError.noSharePassphrase(variable: name) }
            return value
        }
    }

    /// Asks on the terminal; with `confirm`, twice (a mistyped new passphrase would lock the keys away).
    static func ask(_ prompt: String, confirm: Bool) throws -> String {
        guard let first = TerminalPrompt.readSecret(prompt) else { throw VaultCustodyError.noPassphrase }
        guard confirm else { return first }
        guard let second = TerminalPrompt.readSecret("Again: "), second == first else { throw VaultInputError.passphrasesDiffer }
        return first
    }
}

/// Reads a line from the controlling terminal (`/dev/tty`) with echo turned off, so a passphrase or an unseal key
/// is neither shown nor left in the scrollback.
enum TerminalPrompt {
    static func readSecret(_ prompt: String) -> String? {
        let descriptor = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var original = termios()
        let hasAttributes = tcgetattr(descriptor, &original) == 0
        if hasAttributes {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(descriptor, TCSAFLUSH, &silent)
        }
        defer {
            if hasAttributes { _ = tcsetattr(descriptor, TCSAFLUSH, &original) }
        }
        write(descriptor, prompt)
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(descriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        write(descriptor, "\n")
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        return text
    }

    private static func write(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }
}

/// Input the `vault` commands could not get, or will not use.
enum VaultInputError: Error, CustomStringConvertible {
    case passphrasesDiffer
    case noSharePassphrase(variable: String)
    case needsTerminal(what: String)
    case showNeedsTerminal
    case badInterval(String)
    case unreadablePassphraseFile(path: String)

    var description: String {
        switch self {
        case .passphrasesDiffer: "the two passphrases differ; nothing was changed: run the command again"
        case .noSharePassphrase(let variable): "a passphrase is needed for a share file: run on a terminal to be asked, or set \(variable)"
        case .needsTerminal(let what): "\(what) needs a terminal to type into (stdin is not one)"
        case .showNeedsTerminal:
            "--show prints the unseal keys and the root token only to a terminal, and stdout is not one (a pipe, a file "
                + "or a log would keep them); nothing was done. Run it on a terminal, or leave out --show"
        case .badInterval(let text): "\"\(text)\" is not an interval: use e.g. 2s, 500ms or 1m"
        case .unreadablePassphraseFile(let path):
            "the passphrase file \(path) cannot be read or is empty: check the path (for the unsealer service, the Docker secret "
                + "vault-unsealer-passphrase, which `sprocketctl up` creates)"
        }
    }
}

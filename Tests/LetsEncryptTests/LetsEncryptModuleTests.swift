import Testing
@testable import LetsEncrypt

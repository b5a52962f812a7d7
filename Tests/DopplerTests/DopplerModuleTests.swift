import Testing
@testable import Doppler

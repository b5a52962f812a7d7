import Testing
@testable import Traefik

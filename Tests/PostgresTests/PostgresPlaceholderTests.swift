import Testing
@testable import Postgres

@Suite struct PostgresPlaceholderTests {}

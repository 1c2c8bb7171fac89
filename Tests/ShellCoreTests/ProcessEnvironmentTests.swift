import Foundation
import ShellCore
import Testing

@Suite struct ProcessEnvironmentTests {
    /// Read from `environ` by hand, the variables are the ones Foundation reads, names and
    /// values alike.
    @Test func theVariablesAreTheOnesFoundationReads() {
        let variables = ProcessEnvironment.variables
        #expect(variables == ProcessInfo.processInfo.environment)
        #expect(variables["PATH"] != nil)
        #expect(variables.count > 1)
    }
}

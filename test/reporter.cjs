'use strict'
// mocha's spec reporter plus the closing lines CI reads: one "FAILED: <test>: <error>" line per failed test (so
// the end of a long log says what failed; .ci/run repeats them after every Node's run), then "N passed, N failed".
const { reporters, Runner } = require('mocha')

/** The first lines of an error's message, on one line. */
function summary(err) {
  const text = err && err.message ? String(err.message) : String(err)
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' | ').slice(0, 400)
}

class SpecWithTotals extends reporters.Spec {
  constructor(runner, options) {
    super(runner, options)
    let passed = 0
    const failures = []
    runner.on(Runner.constants.EVENT_TEST_PASS, () => passed++)
    runner.on(Runner.constants.EVENT_TEST_FAIL, (test, err) => failures.push(`FAILED: ${test.fullTitle()}: ${summary(err)}`))
    runner.once(Runner.constants.EVENT_RUN_END, () => {
      // after the spec reporter's own epilogue, which is also written on 'end'
      setImmediate(() => process.stdout.write(`\n${failures.map((f) => `${f}\n`).join('')}${passed} passed, ${failures.length} failed\n`))
    })
  }
}

module.exports = SpecWithTotals

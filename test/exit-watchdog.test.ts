import { spawnSync } from 'node:child_process'
import { expect } from 'chai'

/** Runs `body` in a child Node process that has armed the watchdog, and returns how it ended. */
function runLeaking(body: string, env: Record<string, string> = {}): { status: number | null; stderr: string } {
  const script = `const { armExitWatchdog } = require('./test/exit-watchdog'); ${body}`
  const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    env: { ...process.env, KAFKA_PIPE_TEST_EXIT_GRACE_MS: '300', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  })
  return { status: child.status, stderr: child.stderr }
}

describe('test run exit watchdog', () => {
  it('ends a run that a forgotten timer keeps alive, naming where the timer was made, with the exit code the run had set', () => {
    const { status, stderr } = runLeaking(
      `process.exitCode = 3; function forgottenTimer() { setTimeout(() => {}, 600_000) } forgottenTimer(); armExitWatchdog()`,
      { KAFKA_PIPE_TEST_TRACE_TIMERS: '1' },
    )
    expect(status).to.equal(3)
    expect(stderr).to.match(/the tests are done, and the process was still alive 300 ms later; open resources: .*Timeout/)
    expect(stderr).to.match(/Timeout made at:\n\s+at forgottenTimer/)
  })

  it('names a child process left running, by its command line', () => {
    const { status, stderr } = runLeaking(
      `require('node:child_process').spawn('sleep', ['600'], { stdio: 'ignore' }); armExitWatchdog()`,
    )
    expect(status).to.equal(0)
    expect(stderr).to.match(/child \d+: sleep 600/)
  })

  it('never keeps a run alive itself: one that ends by itself ends at once (before the 30 s kill of spawnSync)', () => {
    const { status, stderr } = runLeaking(`setTimeout(() => {}, 50); armExitWatchdog(60_000)`)
    expect(status).to.equal(0)
    expect(stderr).to.equal('')
  })
})

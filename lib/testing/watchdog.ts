import { spawn, type ChildProcess } from 'node:child_process'

/*
 * A separate, detached Node process that outlives us for one reason: if this process dies without calling
 * stop() (SIGKILL, a crash, Ctrl-C), its end of the stdin pipe closes, and the watchdog kills the JVMs it was
 * told about and removes the cluster's data. A normal stop() says "done" first and the watchdog just exits.
 */
const SCRIPT = `
const { rmSync } = require('node:fs')
const dataDir = process.argv[1]
const pids = new Set()
let done = false
let buffered = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  buffered += chunk
  const lines = buffered.split('\\n')
  buffered = lines.pop()
  for (const line of lines) {
    const [word, pid] = line.split(' ')
    if (word === 'add') pids.add(Number(pid))
    else if (word === 'remove') pids.delete(Number(pid))
    else if (word === 'done') done = true
  }
})
process.stdin.on('close', () => {
  if (done) process.exit(0)
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL') } catch {} }
  setTimeout(() => { try { rmSync(dataDir, { recursive: true, force: true }) } catch {} process.exit(0) }, 500)
})
`

export class Watchdog {
  readonly #child: ChildProcess

  constructor(dataDir: string) {
    this.#child = spawn(process.execPath, ['-e', SCRIPT, dataDir], { stdio: ['pipe', 'ignore', 'ignore'], detached: true })
    this.#child.unref()
    // Neither the watchdog nor our pipe to it may keep this process alive.
    ;(this.#child.stdin as unknown as { unref?: () => void }).unref?.()
  }

  watch(pid: number): void {
    this.#child.stdin?.write(`add ${pid}\n`)
  }

  forget(pid: number): void {
    this.#child.stdin?.write(`remove ${pid}\n`)
  }

  /** Everything was cleaned up by us: let the watchdog go without killing anything. */
  release(): void {
    this.#child.stdin?.end('done\n')
  }
}

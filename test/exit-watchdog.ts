/*
 * Mocha (without --exit) ends when nothing is left on the event loop. A handle that a test or the library leaves
 * open (a socket, a child process, a timer) therefore keeps a finished run alive as long as it stays open, and CI,
 * which has a time limit, then reports a timeout without saying why. The watchdog, armed once the last test and the
 * root hook are done, waits a grace period (unref'd: it never keeps the run alive itself), and if the run is still
 * there, prints what is keeping it (the kind of every active resource, and what each handle is: a child's command
 * line, a socket's addresses) and ends the process. Mocha's own exit code (the number of failed tests) stands:
 * mocha sets it in a process 'exit' listener, which process.exit() runs too.
 *
 * Not --exit instead: that would hide the leak; this names it in the log and still lets the run end.
 */
import { createHook } from 'node:async_hooks'
import type { ChildProcess } from 'node:child_process'
import type { Socket } from 'node:net'

export const EXIT_GRACE_MS = Number(process.env.KAFKA_PIPE_TEST_EXIT_GRACE_MS ?? 15_000)

/**
 * With KAFKA_PIPE_TEST_TRACE_TIMERS=1, where each timer still keeping the run alive was made (timers are not
 * handles: without this, all one can say is "Timeout"). Off by default: a stack per timer costs time.
 */
const timerOrigins = new Map<number, { timer: { hasRef?(): boolean; _destroyed?: boolean }; stack: string }>()
if (process.env.KAFKA_PIPE_TEST_TRACE_TIMERS === '1') {
  createHook({
    init(asyncId, type, _trigger, resource) {
      if (type !== 'Timeout') return
      const stack = (new Error().stack ?? '')
        .split('\n')
        .slice(1)
        .filter((frame) => !/node:internal\/(async_hooks|timers)|\(node:timers:|exit-watchdog/.test(frame))
        .slice(0, 10)
        .join('\n')
      timerOrigins.set(asyncId, { timer: resource as { hasRef?(): boolean }, stack })
    },
    destroy(asyncId) {
      timerOrigins.delete(asyncId)
    },
  }).enable()
}

export function armExitWatchdog(grace = EXIT_GRACE_MS): void {
  setTimeout(() => {
    process.stderr.write(
      `test run: the tests are done, and the process was still alive ${grace} ms later; open resources: ${describeOpenResources()}\n` +
        'test run: ending the process (mocha\'s exit code stands)\n',
    )
    process.exit()
  }, grace).unref()
}

/** One line naming what keeps the event loop alive. */
export function describeOpenResources(): string {
  const kinds = process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap')
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles()
  const details = handles.map(describeHandle).filter((d): d is string => d !== undefined)
  const timers = [...timerOrigins.values()]
    .filter(({ timer }) => !timer._destroyed && timer.hasRef?.() !== false)
    .map(({ stack }) => `\nTimeout made at:\n${stack}`)
  return `${kinds.join(', ') || 'none'}${details.length ? ` (${details.join('; ')})` : ''}${timers.join('')}`
}

function describeHandle(handle: unknown): string | undefined {
  if (typeof handle !== 'object' || handle === null) return undefined
  const name = handle.constructor?.name ?? 'Object'
  if (name === 'ChildProcess') {
    const child = handle as ChildProcess
    return `child ${child.pid}: ${child.spawnargs.join(' ').slice(0, 200)}`
  }
  if (name === 'Socket' || name === 'TLSSocket') {
    const socket = handle as Socket
    if (socket.remotePort === undefined && (socket as unknown as { fd?: number }).fd !== undefined) return undefined // stdio
    return `${name} ${socket.localAddress ?? '?'}:${socket.localPort ?? '?'} -> ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}${socket.destroyed ? ' (destroyed)' : ''}`
  }
  if (name === 'Server') return `Server ${JSON.stringify((handle as { address(): unknown }).address())}`
  return name
}

/**
 * `--delivery-timeout`, for the commands that write: the writer's deliveryTimeout (how long a record may take to be
 * stored, retries included; it also bounds connecting at start). The library's default (2 minutes, the Java
 * client's) rides through a rolling restart; a script that would rather fail fast on an unreachable cluster sets less.
 */
import { wholeNumber, type FlagSchema } from './args'
import { INT32_MAX } from '../options/fields'

export const deliveryTimeoutFlags = {
  'delivery-timeout': {
    type: 'string',
    value: '<ms>',
    description: 'how long a record may take to be stored, retries and connecting included (default 120000)',
  },
} as const satisfies FlagSchema

/** The writer option the flag gives, or nothing (the writer's default). */
export function deliveryTimeoutFrom(command: string, value: string | undefined): { deliveryTimeout?: number } {
  const ms = wholeNumber(command, 'delivery-timeout', value, 1, INT32_MAX)
  return ms === undefined ? {} : { deliveryTimeout: ms }
}

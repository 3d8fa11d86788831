import {HoloError, isHoloError} from '../errors.js'
import type {HoloErrorCode} from '../errors.js'

/** An error as it crosses from a worker thread: coded errors keep their code, path and data. */
export interface WireError {
  message: string
  holo?: {code: HoloErrorCode; path?: string; data?: Record<string, unknown>}
  errno?: string
  path?: string
}

export function serializeError(error: unknown): WireError {
  if (isHoloError(error)) return {message: error.message, holo: {code: error.code, path: error.path, data: error.data}}
  const e = error as NodeJS.ErrnoException
  return {message: e?.message ?? String(error), errno: e?.code, path: e?.path}
}

export function deserializeError(wire: WireError): Error {
  if (wire.holo) return new HoloError(wire.holo.code, wire.message, {path: wire.holo.path, data: wire.holo.data})
  if (wire.errno === 'ENOSPC') return new HoloError('ENOSPC', `No space left on device while restoring ${wire.path ?? ''}`.trim(), {path: wire.path})
  return Object.assign(new Error(wire.message), {code: wire.errno, path: wire.path})
}

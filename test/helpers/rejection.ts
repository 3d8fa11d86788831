import type {HoloError} from '../../src/engine/errors.js'

/** The error `promise` rejects with; throws when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<HoloError> {
  try {
    await promise
  } catch (error) {
    return error as HoloError
  }

  throw new Error('expected a rejection')
}

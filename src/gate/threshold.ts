/** Parsing of the gate's fraction flags: `10%` and `0.1` both mean a tenth. */
import {HoloError} from '../engine/errors.js'

export function parseFraction(text: string, flag: string): number {
  const trimmed = text.trim()
  const percent = trimmed.endsWith('%')
  const number = Number(percent ? trimmed.slice(0, -1) : trimmed)
  if (trimmed === '' || trimmed === '%' || !Number.isFinite(number) || number < 0) {
    throw new HoloError('EUSAGE', `--${flag} ${JSON.stringify(text)} is not a fraction: write 10% or 0.1`)
  }
  if (percent) return number / 100
  // A bare "10" is more likely a percentage typed without its sign than a 1000% threshold.
  if (number >= 1) throw new HoloError('EUSAGE', `--${flag} ${text} is ambiguous: write ${number}% or ${number / 100}`)
  return number
}

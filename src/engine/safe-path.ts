import {HoloError} from './errors.js'

/**
 * A catalog name must be one plain path component: anything else (`..`, `/`, a NUL, an empty
 * name) could make a restore write outside its target.
 */
export function assertSafeName(name: string, where: string, catalog: string): void {
  const bad =
    name === '' ||
    name === '.' ||
    name === '..' ||
    name.includes('/') ||
    name.includes('\0') ||
    (process.platform === 'win32' && (name.includes('\\') || name.includes(':')))
  if (bad) {
    throw new HoloError('ETRAVERSAL', `Catalog ${catalog}: unsafe name ${JSON.stringify(name)} at ${where}: it would write outside the target`, {path: catalog, data: {where, name}})
  }
}

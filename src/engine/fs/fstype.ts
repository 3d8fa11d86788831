import {promises as fsp} from 'node:fs'

// statfs(2) f_type magic numbers for the filesystems users meet (linux/magic.h).
const FS_TYPES: Record<number, string> = {
  0xef53: 'ext4',
  0x01021994: 'tmpfs',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x794c7630: 'overlayfs',
  0x6969: 'nfs',
  0x2fc12fc1: 'zfs',
  0x65735546: 'fuse',
  0x5346544e: 'ntfs',
  0x4d44: 'vfat',
  0xf2f52010: 'f2fs',
  0x858458f6: 'ramfs',
  0x73717368: 'squashfs',
  0x01021997: '9p',
  0xca451a4e: 'bcachefs',
  0x7461636f: 'ocfs2',
  0xff534d42: 'cifs',
}

/** The filesystem type name of the filesystem holding `path` (e.g. ext4, tmpfs, xfs), or `unknown:<hex>`. */
export async function filesystemType(path: string): Promise<string> {
  try {
    const stats = await fsp.statfs(path)
    const type = Number(stats.type)
    return FS_TYPES[type] ?? `unknown:0x${type.toString(16)}`
  } catch {
    return 'unknown'
  }
}

/**
 * Build a pack (restore/pack.ts) from a catalog and its hololib: the unrelocated files' contents,
 * each distinct one once, in catalog order, in independent zstd frames of FRAME_RAW_BYTES raw
 * each (a content may span frames; a frame starts at a content where it can). Memory stays
 * bounded: one frame plus one library file (files above the stream threshold are streamed).
 */
import {createReadStream, promises as fsp} from 'node:fs'
import {pipeline} from 'node:stream/promises'

import {readCatalogFile, catalogFiles} from '../../engine/catalog.js'
import {STREAM_THRESHOLD_BYTES, compressBuffer, createDecompressStream, decompressBuffer} from '../../engine/codec/index.js'
import {writeFileAtomic} from '../../engine/fs/atomic.js'
import {libraryFilePath} from '../../engine/library.js'
import {PACK_INDEX_FORMAT} from '../../engine/restore/pack.js'
import type {PackIndex} from '../../engine/restore/pack.js'

/** Raw bytes per frame: the zstd stream's frame size, so a decoded frame is one bounded buffer. */
export const FRAME_RAW_BYTES = 4 * 1024 * 1024

export interface BuiltPack {
  pack: string
  index: PackIndex
  packBytes: number
  indexBytes: number
  /** Stored bytes of the library files the pack does not replace (relocated files), each once. */
  unpackedStoredBytes: number
  seconds: number
}

/** Write `pack` and `<pack>.json` for `catalog` of the hololib `root`, frames at zstd `level`. */
export async function buildPack(options: {catalog: string; root: string; pack: string; level: number}): Promise<BuiltPack> {
  const started = performance.now()
  const {catalog} = await readCatalogFile(options.catalog)
  const index: PackIndex = {format: PACK_INDEX_FORMAT, version: 1, level: options.level, frames: [], entries: []}
  const packed = new Set<string>()
  const unpacked = new Set<string>()
  const handle = await fsp.open(options.pack, 'wx')
  let packBytes = 0
  let frame: Buffer[] = []
  let frameRaw = 0
  // Frames compress two at a time on libuv's pool (level 19 is slow) and are written in order.
  const compressing: Array<Promise<{stored: Buffer; raw: number}>> = []
  const writeOldest = async () => {
    const {stored, raw} = await (compressing.shift() as Promise<{stored: Buffer; raw: number}>)
    await handle.write(stored)
    index.frames.push({stored: stored.length, raw})
    packBytes += stored.length
  }

  const flush = async () => {
    if (frameRaw === 0) return
    const raw = Buffer.concat(frame, frameRaw)
    compressing.push(compressBuffer('zstd', raw, {level: options.level}).then((stored) => ({stored, raw: raw.length})))
    frame = []
    frameRaw = 0
    if (compressing.length >= 2) await writeOldest()
  }

  const append = async (chunk: Buffer) => {
    let at = 0
    while (at < chunk.length) {
      const piece = chunk.subarray(at, at + FRAME_RAW_BYTES - frameRaw)
      frame.push(piece)
      frameRaw += piece.length
      at += piece.length
      if (frameRaw === FRAME_RAW_BYTES) await flush()
    }
  }

  try {
    for (const {rel, file} of catalogFiles(catalog.tree)) {
      if (file.symlink) continue
      if (file.rewrite.length > 0) {
        unpacked.add(file.digest)
        continue
      }

      if (packed.has(file.digest)) continue
      packed.add(file.digest)
      index.entries.push({digest: file.digest, size: file.size})
      // A content that fits starts a new frame rather than spanning two.
      if (frameRaw > 0 && frameRaw + file.size > FRAME_RAW_BYTES) await flush()
      const source = libraryFilePath(options.root, file.digest)
      const options_ = {path: source, entry: rel, expectedSize: file.size}
      if (file.size <= STREAM_THRESHOLD_BYTES) await append(await decompressBuffer(await fsp.readFile(source), options_))
      else {
        await pipeline(createReadStream(source), createDecompressStream(options_), async (chunks: AsyncIterable<Buffer>) => {
          for await (const chunk of chunks) await append(chunk)
        })
      }
    }

    await flush()
    while (compressing.length > 0) await writeOldest()
  } finally {
    // After a failure, frames still compressing are dropped, not left to reject unhandled.
    for (const pending of compressing) pending.catch(() => undefined)
    await handle.close()
  }

  const indexText = `${JSON.stringify(index)}\n`
  await writeFileAtomic(`${options.pack}.json`, indexText)
  let unpackedStoredBytes = 0
  for (const digest of unpacked) if (!packed.has(digest)) unpackedStoredBytes += (await fsp.stat(libraryFilePath(options.root, digest))).size
  return {pack: options.pack, index, packBytes, indexBytes: Buffer.byteLength(indexText), unpackedStoredBytes, seconds: (performance.now() - started) / 1000}
}

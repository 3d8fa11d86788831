/**
 * One decoder behind createDecompressStream, chosen from the stream's first bytes. write() and
 * end() may await the emit callback they were built with, which waits for the reader.
 */
export interface StreamDecoder {
  write(chunk: Uint8Array): Promise<void> | void
  end(): Promise<void> | void
  /** Releases what the decoder holds (a child process) when the stream is abandoned. */
  destroy?(): void
}

export type Emit = (out: Uint8Array) => Promise<void>

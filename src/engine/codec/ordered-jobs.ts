/**
 * Async jobs that run a few at a time and deliver results in submission order: whole zstd frames
 * are compressed or decoded on libuv's pool in parallel, yet the stream's output stays in order
 * and only `limit` frames are held in memory.
 */
export class OrderedJobs<T> {
  private readonly queue: Array<Promise<T>> = []

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.queue.length
  }

  /** Starts tracking a job; delivers older results while `limit` jobs are in flight. */
  async add(job: Promise<T>, deliver: (result: T) => Promise<void> | void): Promise<void> {
    job.catch(() => {}) // failures surface in order, from the await below
    this.queue.push(job)
    while (this.queue.length >= this.limit) await deliver(await this.queue.shift()!)
  }

  /** Delivers every remaining result in order. */
  async drain(deliver: (result: T) => Promise<void> | void): Promise<void> {
    while (this.queue.length > 0) await deliver(await this.queue.shift()!)
  }
}

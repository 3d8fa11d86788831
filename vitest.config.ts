import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests do real I/O on a 2-core machine: two workers keep them from starving each other.
    maxWorkers: 2,
    reporters: ['default'],
  },
})

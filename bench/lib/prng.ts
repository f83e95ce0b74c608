/**
 * A small seeded generator (mulberry32) so every sampled benchmark query is reproducible from its seed,
 * independent of Node's Math.random.
 */
export type Random = () => number

/** Uniform floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A uniform integer in [0, n). */
export function randomBelow(random: Random, n: number): number {
  return Math.floor(random() * n)
}

/** `count` distinct items drawn without replacement (all of them, shuffled, when count ≥ items.length). */
export function sampleWithoutReplacement<T>(items: readonly T[], count: number, random: Random): T[] {
  const pool = [...items]
  const take = Math.min(count, pool.length)
  // Partial Fisher–Yates: only the first `take` slots need shuffling.
  for (let i = 0; i < take; i++) {
    const j = i + randomBelow(random, pool.length - i)
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  return pool.slice(0, take)
}

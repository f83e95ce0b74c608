/**
 * A growable list of numbers in one typed array, for the tables a build collects a number at a time
 * (millions of checkpoints at 100,000 posts). A number[] takes 8 bytes a number, on the heap, and
 * leaves its outgrown copies to the collector; this takes the array's width, and the part of a doubled
 * buffer not yet written is never touched, so it costs no memory.
 */
export class NumberList<T extends Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer>> {
  length = 0

  constructor(
    private values: T,
    private readonly make: (size: number) => T,
  ) {}

  push(value: number): void {
    if (this.length === this.values.length) this.grow()
    this.values[this.length++] = value
  }

  /** The last number pushed (undefined when none). */
  get last(): number | undefined {
    return this.length > 0 ? this.values[this.length - 1] : undefined
  }

  set last(value: number) {
    this.values[this.length - 1] = value
  }

  /**
   * The numbers pushed: a view of the list's own array, not a copy (the grams' checkpoints are tens
   * of megabytes). The list must not be pushed to afterwards.
   */
  finish(): T {
    return this.values.subarray(0, this.length) as T
  }

  private grow(): void {
    const grown = this.make(Math.max(16, this.values.length * 2))
    grown.set(this.values)
    this.values = grown
  }
}

/** A list of unsigned 32-bit integers. */
export function u32List(): NumberList<Uint32Array<ArrayBuffer>> {
  return new NumberList(new Uint32Array(0), (size) => new Uint32Array(size))
}

/** A list of float64s. */
export function f64List(): NumberList<Float64Array<ArrayBuffer>> {
  return new NumberList(new Float64Array(0), (size) => new Float64Array(size))
}

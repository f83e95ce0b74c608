/**
 * The k best items seen so far, where `before(a, b) < 0` means a ranks above b. A bounded heap whose
 * root is the worst item kept: offering n items costs O(n log k), so a query matching most of the archive
 * costs no full sort for a page of ten, and a walk can ask whether anything could still get in.
 */
export class BoundedHeap {
  private readonly heap: number[] = []

  constructor(
    readonly k: number,
    private readonly before: (a: number, b: number) => number,
  ) {}

  /** Whether k items are kept: from then on an item must beat `worst` to get in. */
  get full(): boolean {
    return this.heap.length >= this.k
  }

  /** The worst item kept (only meaningful once the heap is not empty). */
  get worst(): number {
    return this.heap[0]!
  }

  /** Keeps `item` if fewer than k are kept or it ranks above the worst, which then leaves. */
  offer(item: number): void {
    const heap = this.heap
    if (heap.length < this.k) {
      heap.push(item)
      this.siftUp(heap.length - 1)
    } else if (this.k > 0 && this.before(item, heap[0]!) < 0) {
      heap[0] = item
      this.siftDown(0)
    }
  }

  /** The kept items, best first. */
  sorted(): number[] {
    return [...this.heap].sort(this.before)
  }

  private worse(a: number, b: number): boolean {
    return this.before(a, b) > 0
  }

  // Plain moves and indexed loops: a destructuring swap or an iterator allocates on every step.
  private swap(i: number, j: number): void {
    const heap = this.heap
    const t = heap[i]!
    heap[i] = heap[j]!
    heap[j] = t
  }

  private siftUp(i: number): void {
    const heap = this.heap
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.worse(heap[i]!, heap[parent]!)) break
      this.swap(i, parent)
      i = parent
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < heap.length && this.worse(heap[l]!, heap[m]!)) m = l
      if (r < heap.length && this.worse(heap[r]!, heap[m]!)) m = r
      if (m === i) return
      this.swap(i, m)
      i = m
    }
  }
}

/** The k best of `items` in order (see BoundedHeap). */
export function topK(items: ArrayLike<number>, k: number, before: (a: number, b: number) => number): number[] {
  if (k <= 0) return []
  if (items.length <= k) return Array.from(items).sort(before)
  const heap = new BoundedHeap(k, before)
  for (let n = 0; n < items.length; n++) heap.offer(items[n]!)
  return heap.sorted()
}

/**
 * The k best of `items` in order, where `before(a, b) < 0` means a ranks above b. A bounded heap keeps
 * this O(n log k): a query matching most of the archive costs no full sort for a page of ten.
 */
export function topK(items: ArrayLike<number>, k: number, before: (a: number, b: number) => number): number[] {
  if (k <= 0) return []
  if (items.length <= k) return Array.from(items).sort(before)
  // A heap whose root is the worst of the kept items.
  const heap: number[] = []
  const worse = (a: number, b: number) => before(a, b) > 0
  // Plain moves and indexed loops: a destructuring swap or an iterator allocates on every step.
  const swap = (i: number, j: number) => {
    const t = heap[i]!
    heap[i] = heap[j]!
    heap[j] = t
  }
  const siftUp = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!worse(heap[i]!, heap[parent]!)) break
      swap(i, parent)
      i = parent
    }
  }
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r
      if (m === i) return
      swap(i, m)
      i = m
    }
  }
  for (let n = 0; n < items.length; n++) {
    const item = items[n]!
    if (heap.length < k) {
      heap.push(item)
      siftUp(heap.length - 1)
    } else if (before(item, heap[0]!) < 0) {
      heap[0] = item
      siftDown(0)
    }
  }
  return heap.sort(before)
}

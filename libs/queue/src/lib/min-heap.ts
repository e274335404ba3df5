/** A binary min-heap of small integers (indices) under a comparator. Internal to the library. */
export class MinHeap {
  private readonly items: number[];

  /** A heap of `items` (taken over, not copied), built in linear time. */
  constructor(
    private readonly less: (a: number, b: number) => boolean,
    items: number[] = [],
  ) {
    this.items = items;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i, items[i]);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): number | undefined {
    return this.items[0];
  }

  push(item: number): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(item, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (last !== undefined && items.length > 0) this.siftDown(0, last);
    return top;
  }

  /** Puts `item` at `start` or below it, moving smaller children up. */
  private siftDown(start: number, item: number): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.less(items[right], items[left]) ? right : left;
      if (!this.less(items[child], item)) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = item;
  }
}

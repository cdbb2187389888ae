import { DevWorkspace } from '../../model/types';

const keyOf = (dw: DevWorkspace) => `${dw.metadata.namespace ?? ''}/${dw.metadata.name}`;

/**
 * The informer's cached DevWorkspaces grouped by the value of one label (e.g. the owner hash),
 * kept up to date on every add, update and delete, so that a list selecting on that label reads
 * only the objects carrying the value instead of the whole cache.
 */
export class LabelIndex {
  private readonly byValue = new Map<string, Map<string, DevWorkspace>>();
  /** The value each object is indexed under, to move or drop it when its labels change. */
  private readonly valueOf = new Map<string, string>();

  constructor(readonly label: string) {}

  put(dw: DevWorkspace): void {
    const key = keyOf(dw);
    const value = dw.metadata.labels?.[this.label];
    const previous = this.valueOf.get(key);
    if (previous !== undefined && previous !== value) this.removeKey(key, previous);
    if (value === undefined) return;
    let bucket = this.byValue.get(value);
    if (!bucket) {
      bucket = new Map();
      this.byValue.set(value, bucket);
    }
    bucket.set(key, dw);
    this.valueOf.set(key, value);
  }

  remove(dw: DevWorkspace): void {
    const key = keyOf(dw);
    const previous = this.valueOf.get(key);
    if (previous !== undefined) this.removeKey(key, previous);
  }

  /** The cached objects whose label has exactly this value. */
  get(value: string): DevWorkspace[] {
    const bucket = this.byValue.get(value);
    return bucket ? [...bucket.values()] : [];
  }

  private removeKey(key: string, value: string): void {
    const bucket = this.byValue.get(value);
    bucket?.delete(key);
    if (bucket?.size === 0) this.byValue.delete(value);
    this.valueOf.delete(key);
  }
}

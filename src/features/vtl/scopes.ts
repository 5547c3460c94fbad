// $foreach (Velocity 1.7's ForeachScope) and the value a #define block leaves behind.
import { HostObject, NO_METHOD, type Value } from './values.js';

export class ForeachScope extends HostObject {
  index = 0;

  constructor(
    readonly parent: ForeachScope | null,
    private readonly size: number,
  ) {
    super();
  }

  get hasNext(): boolean {
    return this.index < this.size - 1;
  }

  private topmost(): ForeachScope {
    return this.parent ? this.parent.topmost() : this;
  }

  property(name: string): Value {
    switch (name) {
      case 'index':
        return this.index;
      case 'count':
        return this.index + 1;
      case 'hasNext':
        return this.hasNext;
      case 'first':
        return this.index === 0;
      case 'last':
        return !this.hasNext;
      case 'parent':
        return this.parent;
      case 'topmost':
        return this.topmost();
      default:
        return null;
    }
  }

  call(name: string, args: readonly Value[]): Value | typeof NO_METHOD {
    if (args.length !== 0) return NO_METHOD;
    switch (name) {
      case 'getIndex':
        return this.index;
      case 'getCount':
        return this.index + 1;
      case 'hasNext':
      case 'getHasNext':
        return this.hasNext;
      case 'isFirst':
      case 'getFirst':
        return this.index === 0;
      case 'isLast':
      case 'getLast':
        return !this.hasNext;
      case 'getParent':
        return this.parent;
      case 'getTopmost':
        return this.topmost();
      default:
        return NO_METHOD;
    }
  }
}

/** `#define($name)`: referencing `$name` renders the block at that moment. */
export class DefineBlock extends HostObject {
  constructor(private readonly renderBlock: () => string) {
    super();
  }

  property(): Value {
    return null;
  }

  call(): typeof NO_METHOD {
    return NO_METHOD;
  }

  override text(): string {
    return this.renderBlock();
  }
}

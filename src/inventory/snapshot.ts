import type { Inventory } from './load.js';
import type { InventoryWarning, Lab, LabNode } from './types.js';

/**
 * The last inventory read, and what callers read of it. The lab-file registry and the agents'
 * fleet inventory each decide how and when to read; both answer from here.
 */
export abstract class InventorySnapshot {
  protected current: Inventory = { labs: [], nodes: [], warnings: [] };

  inventory(): Inventory {
    return this.current;
  }

  labs(): readonly Lab[] {
    return this.current.labs;
  }

  nodes(): readonly LabNode[] {
    return this.current.nodes;
  }

  warnings(): readonly InventoryWarning[] {
    return this.current.warnings;
  }
}

import type { NewTestBankRecord, TestBankRecord, TestBankStore } from '../../src/funding/providers/test-provider/store.js';

/**
 * The test bank's books in memory, for unit tests and throw-away demos. Share one instance between two
 * providers to simulate a restart. Records are copied in and out, as a database would.
 */
export function createMemoryTestBankStore(): TestBankStore & { readonly size: number } {
  const byId = new Map<string, TestBankRecord>();
  const byKey = new Map<string, string>();
  const copy = (r: TestBankRecord): TestBankRecord => structuredClone(r);
  return {
    get size() {
      return byId.size;
    },
    async insert(record: NewTestBankRecord) {
      const key = record.idempotencyKey === null ? undefined : `${record.kind}\u0000${record.idempotencyKey}`;
      const existingId = key === undefined ? undefined : byKey.get(key);
      if (existingId !== undefined) return { record: copy(byId.get(existingId)!), created: false };
      if (byId.has(record.id)) throw new Error(`duplicate test bank record id ${record.id}`);
      const stored: TestBankRecord = { ...structuredClone(record), version: 0 };
      byId.set(record.id, stored);
      if (key !== undefined) byKey.set(key, record.id);
      return { record: copy(stored), created: true };
    },
    async get(id) {
      const record = byId.get(id);
      return record && copy(record);
    },
    async update(id, expectedVersion, data) {
      const record = byId.get(id);
      if (!record || record.version !== expectedVersion) return false;
      byId.set(id, { ...record, data: structuredClone(data), version: record.version + 1 });
      return true;
    },
  };
}

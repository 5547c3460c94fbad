// The API key index: keys joined to the API stages of their usage plans, swapped whole.
import { describe, expect, it } from 'vitest';
import {
  ApiKeyIndex,
  ApiKeyState,
  buildApiKeyIndex,
  stageKeyOf,
  type ApiKeySource,
} from '../../../src/features/api-keys/index.js';
import type { ApiKey, UsagePlan, UsagePlanKey } from '../../../src/model/usage-plans.js';
import { apiKey, usagePlan } from '../../store/fixtures.js';

describe('buildApiKeyIndex', () => {
  it('finds each key by its value, with its id, state and the stages of all its plans', () => {
    const key = apiKey();
    const disabled = apiKey({ enabled: false });
    const gold = usagePlan({
      apiStages: [
        { apiId: 'api1', stage: 'prod' },
        { apiId: 'api2', stage: 'prod' },
      ],
    });
    const free = usagePlan({ apiStages: [{ apiId: 'api1', stage: 'beta' }] });
    const index = buildApiKeyIndex(
      [key, disabled],
      [gold, free],
      [
        { usagePlanId: gold.id, keyId: key.id },
        { usagePlanId: free.id, keyId: key.id },
        { usagePlanId: free.id, keyId: disabled.id },
      ],
    );

    expect(index.size).toBe(2);
    const entry = index.get(key.value);
    expect(entry).toMatchObject({ id: key.id, enabled: true, identity: { id: key.id, value: key.value } });
    expect([...(entry?.stages ?? [])].sort()).toEqual(['api1/beta', 'api1/prod', 'api2/prod']);
    expect(index.get(disabled.value)).toMatchObject({ id: disabled.id, enabled: false });
    expect([...(index.get(disabled.value)?.stages ?? [])]).toEqual(['api1/beta']);
    expect(index.get(key.id)).toBeUndefined();
  });

  it('gives a key in no plan, or only in plans without stages, no stages', () => {
    const lonely = apiKey();
    const empty = apiKey();
    const stageless = usagePlan({ apiStages: [] });
    const index = buildApiKeyIndex(
      [lonely, empty],
      [stageless],
      [{ usagePlanId: stageless.id, keyId: empty.id }],
    );

    expect(index.get(lonely.value)?.stages.size).toBe(0);
    expect(index.get(empty.value)?.stages.size).toBe(0);
  });

  it('ignores memberships naming a plan or a key it was not given', () => {
    const key = apiKey();
    const plan = usagePlan({ apiStages: [{ apiId: 'api1', stage: 'prod' }] });
    const links: UsagePlanKey[] = [
      { usagePlanId: 'goneplan', keyId: key.id },
      { usagePlanId: plan.id, keyId: 'gonekey' },
    ];

    const index = buildApiKeyIndex([key], [plan], links);

    expect(index.size).toBe(1);
    expect(index.get(key.value)?.stages.size).toBe(0);
  });

  it('hands out frozen entries', () => {
    const key = apiKey();
    const entry = buildApiKeyIndex([key], [], []).get(key.value);

    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry?.identity)).toBe(true);
  });

  it('names stages as apiId/stageName', () => {
    expect(stageKeyOf('a1b2c3', 'prod')).toBe('a1b2c3/prod');
    expect(ApiKeyIndex.EMPTY.size).toBe(0);
  });
});

describe('ApiKeyState', () => {
  /** A source whose reads finish when the test says so. */
  function slowSource(keys: ApiKey[], plans: UsagePlan[] = [], links: UsagePlanKey[] = []) {
    let finish!: () => void;
    const ready = new Promise<void>((resolve) => (finish = resolve));
    const source: ApiKeySource = {
      listApiKeys: () => ready.then(() => keys),
      listUsagePlans: () => ready.then(() => plans),
      listUsagePlanKeys: () => ready.then(() => links),
    };
    return { source, finish };
  }

  it('starts empty and swaps in the index read from its source', async () => {
    const key = apiKey();
    const state = new ApiKeyState();
    expect(state.current.size).toBe(0);
    const before = state.current;

    const { source, finish } = slowSource([key]);
    const refreshing = state.refresh(source);
    expect(state.current).toBe(before);
    finish();
    await refreshing;

    expect(state.current.get(key.value)?.id).toBe(key.id);
  });

  it('never lets an older read replace the index of a newer one', async () => {
    const older = apiKey();
    const newer = apiKey();
    const state = new ApiKeyState();
    const first = slowSource([older]);
    const second = slowSource([newer]);

    const firstRefresh = state.refresh(first.source);
    const secondRefresh = state.refresh(second.source);
    second.finish();
    await secondRefresh;
    first.finish();
    await firstRefresh;

    expect(state.current.get(newer.value)).toBeDefined();
    expect(state.current.get(older.value)).toBeUndefined();
  });

  it('keeps the index it has when a read fails', async () => {
    const key = apiKey();
    const state = new ApiKeyState(buildApiKeyIndex([key], [], []));
    const failing: ApiKeySource = {
      listApiKeys: () => Promise.reject(new Error('store closed')),
      listUsagePlans: () => Promise.resolve([]),
      listUsagePlanKeys: () => Promise.resolve([]),
    };

    await expect(state.refresh(failing)).rejects.toThrow('store closed');

    expect(state.current.get(key.value)?.id).toBe(key.id);
  });
});

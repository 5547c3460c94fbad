// The behaviour every ConfigStore must have, whatever holds the data. Each implementation
// runs this suite from its own test file; nothing here may depend on how a store is built.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiIdOf, type Api, type Deployment, type Stage } from '../../src/model/api.js';
import type { ApiMapping, DomainName } from '../../src/model/domain-names.js';
import type { ApiKey, UsagePlan, UsagePlanKey } from '../../src/model/usage-plans.js';
import { ConflictError, NotFoundError, type ConfigStore } from '../../src/store/config-store.js';
import {
  apiKey,
  apiMapping,
  deploymentOf,
  domainName,
  httpApi,
  restApi,
  stageOf,
  usagePlan,
} from './fixtures.js';
import { settle, waitFor } from './wait-for.js';

export interface ContractSubject {
  /** A store on empty storage. */
  store: ConfigStore;
  /** Opens another store on the same storage; the suite closes `store` before calling it. */
  reopen?: () => Promise<ConfigStore>;
  /** Closes every store opened for this subject (closing twice must be harmless) and removes the storage. */
  cleanup: () => Promise<void>;
}

/** A copy of `value` without `key`, as a caller would send it when clearing an optional field. */
function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  delete copy[key];
  return copy as Omit<T, K>;
}

const byApiId = (a: Api, b: Api): number => apiIdOf(a).localeCompare(apiIdOf(b));
const byStageKey = (a: Stage, b: Stage): number =>
  a.apiId.localeCompare(b.apiId) || a.stageName.localeCompare(b.stageName);
const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
const byLink = (a: UsagePlanKey, b: UsagePlanKey): number =>
  a.usagePlanId.localeCompare(b.usagePlanId) || a.keyId.localeCompare(b.keyId);
const sortedById = <T extends { id: string }>(items: T[]): T[] => [...items].sort(byId);
const sortedLinks = (links: UsagePlanKey[]): UsagePlanKey[] => [...links].sort(byLink);
const byDomain = (a: DomainName, b: DomainName): number => a.domainName.localeCompare(b.domainName);
const sortedDomains = (domains: DomainName[]): DomainName[] => [...domains].sort(byDomain);
const byMapping = (a: ApiMapping, b: ApiMapping): number =>
  a.domainName.localeCompare(b.domainName) || a.apiMappingId.localeCompare(b.apiMappingId);
const sortedMappings = (mappings: ApiMapping[]): ApiMapping[] => [...mappings].sort(byMapping);

export function configStoreContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`ConfigStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: ConfigStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    /** An API with one deployment, for tests about what hangs off an API. */
    async function deployedApi(api: Api = restApi()): Promise<{ api: Api; deployment: Deployment }> {
      await store.createApi(api);
      const deployment = deploymentOf(api);
      await store.createDeployment(deployment);
      return { api, deployment };
    }

    describe('APIs', () => {
      it('stores REST and HTTP APIs and returns them as they were given', async () => {
        const rest = restApi();
        const http = httpApi();
        await store.createApi(rest);
        await store.createApi(http);

        expect(await store.getApi(rest.id)).toEqual(rest);
        expect(await store.getApi(http.apiId)).toEqual(http);
      });

      it('returns undefined for an API that does not exist', async () => {
        expect(await store.getApi('nosuchapi')).toBeUndefined();
      });

      it('lists every API', async () => {
        expect(await store.listApis()).toEqual([]);
        const apis = [restApi(), httpApi(), restApi({ name: 'Third' })];
        for (const api of apis) await store.createApi(api);

        expect((await store.listApis()).sort(byApiId)).toEqual([...apis].sort(byApiId));
      });

      it('rejects creating an API whose id exists with ConflictError and keeps the original', async () => {
        const original = restApi();
        await store.createApi(original);

        await expect(store.createApi({ ...original, name: 'Impostor' })).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect(await store.getApi(original.id)).toEqual(original);
      });

      it('shares one id space between REST and HTTP APIs', async () => {
        const rest = restApi();
        await store.createApi(rest);

        await expect(store.createApi(httpApi({ apiId: rest.id }))).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getApi(rest.id)).toEqual(rest);
      });

      it('replaces an API on update', async () => {
        const api = restApi();
        await store.createApi(api);
        const updated: Api = {
          ...api,
          name: 'Pet Store v2',
          binaryMediaTypes: [],
          resources: api.resources.slice(0, 1),
        };

        await store.updateApi(updated);

        expect(await store.getApi(api.id)).toEqual(updated);
        expect(await store.listApis()).toEqual([updated]);
      });

      it('drops optional fields that an update leaves out', async () => {
        const api = restApi({ description: 'to be removed' });
        await store.createApi(api);
        const withoutDescription = without(api, 'description');

        await store.updateApi(withoutDescription);

        const stored = await store.getApi(api.id);
        expect(stored).toEqual(withoutDescription);
        expect(stored).not.toHaveProperty('description');
      });

      it('rejects updating an API that does not exist with NotFoundError and creates nothing', async () => {
        const api = httpApi();

        await expect(store.updateApi(api)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getApi(api.apiId)).toBeUndefined();
      });

      it('deletes an API', async () => {
        const kept = httpApi();
        const removed = restApi();
        await store.createApi(kept);
        await store.createApi(removed);

        await store.deleteApi(removed.id);

        expect(await store.getApi(removed.id)).toBeUndefined();
        expect(await store.listApis()).toEqual([kept]);
      });

      it('rejects deleting an API that does not exist with NotFoundError', async () => {
        await expect(store.deleteApi('nosuchapi')).rejects.toBeInstanceOf(NotFoundError);
        const api = restApi();
        await store.createApi(api);
        await store.deleteApi(api.id);
        await expect(store.deleteApi(api.id)).rejects.toBeInstanceOf(NotFoundError);
      });

      it('accepts a deleted API id again, with nothing left over from before', async () => {
        const { api } = await deployedApi();
        await store.putStage(stageOf(api, 'prod'));
        await store.deleteApi(apiIdOf(api));

        await store.createApi(api);

        expect(await store.getApi(apiIdOf(api))).toEqual(api);
        expect(await store.listDeployments(apiIdOf(api))).toEqual([]);
        expect(await store.listStages(apiIdOf(api))).toEqual([]);
      });
    });

    describe('deployments', () => {
      it('stores a deployment with its API snapshot', async () => {
        const { api, deployment } = await deployedApi(httpApi());

        expect(await store.getDeployment(apiIdOf(api), deployment.id)).toEqual(deployment);
      });

      it('keeps the snapshot as deployed when the API changes later', async () => {
        const { api, deployment } = await deployedApi();
        await store.updateApi({ ...api, name: 'Renamed after deploy' });

        expect((await store.getDeployment(apiIdOf(api), deployment.id))?.api).toEqual(api);
      });

      it('returns undefined for a deployment that does not exist, or belongs to another API', async () => {
        const { api, deployment } = await deployedApi();
        const other = restApi();
        await store.createApi(other);

        expect(await store.getDeployment(apiIdOf(api), 'nosuch')).toBeUndefined();
        expect(await store.getDeployment(other.id, deployment.id)).toBeUndefined();
        expect(await store.getDeployment('nosuchapi', deployment.id)).toBeUndefined();
      });

      it('rejects a deployment of an API that does not exist with NotFoundError', async () => {
        const orphan = deploymentOf(restApi());

        await expect(store.createDeployment(orphan)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getDeployment(orphan.apiId, orphan.id)).toBeUndefined();
      });

      it('rejects a deployment id already taken in the API with ConflictError and keeps the original', async () => {
        const { api, deployment } = await deployedApi();
        const duplicate = deploymentOf(api, { id: deployment.id, description: 'second try' });

        await expect(store.createDeployment(duplicate)).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getDeployment(apiIdOf(api), deployment.id)).toEqual(deployment);
        expect(await store.listDeployments(apiIdOf(api))).toHaveLength(1);
      });

      it('allows the same deployment id in two APIs', async () => {
        const first = await deployedApi();
        const otherApi = httpApi();
        await store.createApi(otherApi);
        const second = deploymentOf(otherApi, { id: first.deployment.id });

        await store.createDeployment(second);

        expect(await store.getDeployment(apiIdOf(first.api), first.deployment.id)).toEqual(first.deployment);
        expect(await store.getDeployment(otherApi.apiId, first.deployment.id)).toEqual(second);
      });

      it('lists an API’s deployments oldest first', async () => {
        const api = restApi();
        await store.createApi(api);
        const middle = deploymentOf(api, { id: 'bbbbbb', createdDate: 2_000 });
        const oldest = deploymentOf(api, { id: 'cccccc', createdDate: 1_000 });
        const newest = deploymentOf(api, { id: 'aaaaaa', createdDate: 3_000 });
        for (const deployment of [middle, oldest, newest]) await store.createDeployment(deployment);

        expect(await store.listDeployments(api.id)).toEqual([oldest, middle, newest]);
      });

      it('lists deployments created at the same moment in the order they were stored', async () => {
        const api = restApi();
        await store.createApi(api);
        const ids = ['zzzzzz', 'mmmmmm', 'aaaaaa', 'pppppp'];
        for (const id of ids) await store.createDeployment(deploymentOf(api, { id, createdDate: 5_000 }));

        expect((await store.listDeployments(api.id)).map((d) => d.id)).toEqual(ids);
      });

      it('lists only the given API’s deployments, and none for an unknown API', async () => {
        const first = await deployedApi();
        const second = await deployedApi(httpApi());

        expect(await store.listDeployments(apiIdOf(first.api))).toEqual([first.deployment]);
        expect(await store.listDeployments(apiIdOf(second.api))).toEqual([second.deployment]);
        expect(await store.listDeployments('nosuchapi')).toEqual([]);
      });

      it('changes only the description of a deployment', async () => {
        const { api, deployment } = await deployedApi();

        const described = await store.describeDeployment(apiIdOf(api), deployment.id, 'first release');

        expect(described).toEqual({ ...deployment, description: 'first release' });
        expect(await store.getDeployment(apiIdOf(api), deployment.id)).toEqual(described);
        const cleared = await store.describeDeployment(apiIdOf(api), deployment.id, undefined);
        expect(cleared.description).toBeUndefined();
        expect(cleared.api).toEqual(deployment.api);
        await expect(store.describeDeployment(apiIdOf(api), 'nosuch', 'x')).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });

      it('deletes a deployment', async () => {
        const { api, deployment } = await deployedApi();
        const kept = deploymentOf(api, { createdDate: deployment.createdDate + 1 });
        await store.createDeployment(kept);

        await store.deleteDeployment(apiIdOf(api), deployment.id);

        expect(await store.getDeployment(apiIdOf(api), deployment.id)).toBeUndefined();
        expect(await store.listDeployments(apiIdOf(api))).toEqual([kept]);
      });

      it('rejects deleting a deployment that does not exist with NotFoundError', async () => {
        const { api, deployment } = await deployedApi();

        await expect(store.deleteDeployment(apiIdOf(api), 'nosuch')).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.deleteDeployment('nosuchapi', deployment.id)).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });

      it('refuses to delete a deployment a stage points at, with ConflictError', async () => {
        const { api, deployment } = await deployedApi();
        await store.putStage(stageOf(api, 'prod', { deploymentId: deployment.id }));

        const attempt = store.deleteDeployment(apiIdOf(api), deployment.id);

        await expect(attempt).rejects.toBeInstanceOf(ConflictError);
        await expect(attempt).rejects.toThrow(
          /Active stages pointing to this deployment must be moved or deleted/,
        );
        expect(await store.getDeployment(apiIdOf(api), deployment.id)).toEqual(deployment);
      });

      it('deletes a deployment once its stages have moved to another one or been deleted', async () => {
        const { api, deployment } = await deployedApi();
        const next = deploymentOf(api, { createdDate: deployment.createdDate + 1 });
        await store.createDeployment(next);
        const prod = stageOf(api, 'prod', { deploymentId: deployment.id });
        await store.putStage(prod);
        await store.putStage(stageOf(api, 'beta', { deploymentId: deployment.id }));

        await store.putStage({ ...prod, deploymentId: next.id });
        await expect(store.deleteDeployment(apiIdOf(api), deployment.id)).rejects.toBeInstanceOf(
          ConflictError,
        );
        await store.deleteStage(apiIdOf(api), 'beta');
        await store.deleteDeployment(apiIdOf(api), deployment.id);

        expect(await store.listDeployments(apiIdOf(api))).toEqual([next]);
        expect((await store.getStage(apiIdOf(api), 'prod'))?.deploymentId).toBe(next.id);
      });

      it('is not blocked by a stage of another API that uses the same deployment id', async () => {
        const first = await deployedApi();
        const otherApi = restApi();
        await store.createApi(otherApi);
        await store.createDeployment(deploymentOf(otherApi, { id: first.deployment.id }));
        await store.putStage(stageOf(otherApi, 'prod', { deploymentId: first.deployment.id }));

        await store.deleteDeployment(apiIdOf(first.api), first.deployment.id);

        expect(await store.getDeployment(apiIdOf(first.api), first.deployment.id)).toBeUndefined();
        expect(await store.getDeployment(otherApi.id, first.deployment.id)).toBeDefined();
      });
    });

    describe('stages', () => {
      it('creates a stage on a deployment', async () => {
        const { api, deployment } = await deployedApi();
        const prod = stageOf(api, 'prod', { deploymentId: deployment.id, description: 'production' });

        await store.putStage(prod);

        expect(await store.getStage(apiIdOf(api), 'prod')).toEqual(prod);
      });

      it('creates a stage without a deployment', async () => {
        const api = httpApi();
        await store.createApi(api);
        const stage = stageOf(api, '$default', { autoDeploy: true });

        await store.putStage(stage);

        const stored = await store.getStage(api.apiId, '$default');
        expect(stored).toEqual(stage);
        expect(stored).not.toHaveProperty('deploymentId');
      });

      it('replaces a stage with the same name', async () => {
        const { api, deployment } = await deployedApi();
        const first = stageOf(api, 'prod', { deploymentId: deployment.id, description: 'first' });
        await store.putStage(first);
        const rest = without(first, 'description');
        const second: Stage = {
          ...rest,
          variables: { backend: 'new.internal' },
          lastUpdatedDate: 1_800_000_000,
        };

        await store.putStage(second);

        const stored = await store.getStage(apiIdOf(api), 'prod');
        expect(stored).toEqual(second);
        expect(stored).not.toHaveProperty('description');
        expect(await store.listStages(apiIdOf(api))).toEqual([second]);
      });

      it('can point a stage at another deployment, or at none', async () => {
        const { api, deployment } = await deployedApi();
        const next = deploymentOf(api, { createdDate: deployment.createdDate + 1 });
        await store.createDeployment(next);
        const stage = stageOf(api, 'prod', { deploymentId: deployment.id });
        await store.putStage(stage);

        await store.putStage({ ...stage, deploymentId: next.id });
        expect((await store.getStage(apiIdOf(api), 'prod'))?.deploymentId).toBe(next.id);

        const withoutDeployment = without(stage, 'deploymentId');
        await store.putStage(withoutDeployment);
        expect(await store.getStage(apiIdOf(api), 'prod')).toEqual(withoutDeployment);
        await store.deleteDeployment(apiIdOf(api), next.id);
      });

      it('rejects a stage of an API that does not exist with NotFoundError', async () => {
        const stage = stageOf(restApi(), 'prod');

        await expect(store.putStage(stage)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.listStages()).toEqual([]);
      });

      it('rejects a stage on a deployment that does not exist with NotFoundError', async () => {
        const { api } = await deployedApi();

        await expect(store.putStage(stageOf(api, 'prod', { deploymentId: 'nosuch' }))).rejects.toBeInstanceOf(
          NotFoundError,
        );
        expect(await store.getStage(apiIdOf(api), 'prod')).toBeUndefined();
      });

      it('rejects a stage on a deployment of another API with NotFoundError', async () => {
        const { deployment } = await deployedApi();
        const otherApi = httpApi();
        await store.createApi(otherApi);

        await expect(
          store.putStage(stageOf(otherApi, 'prod', { deploymentId: deployment.id })),
        ).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getStage(otherApi.apiId, 'prod')).toBeUndefined();
      });

      it('leaves an existing stage unchanged when its replacement is rejected', async () => {
        const { api, deployment } = await deployedApi();
        const stage = stageOf(api, 'prod', { deploymentId: deployment.id });
        await store.putStage(stage);

        await expect(store.putStage({ ...stage, deploymentId: 'nosuch' })).rejects.toBeInstanceOf(
          NotFoundError,
        );
        expect(await store.getStage(apiIdOf(api), 'prod')).toEqual(stage);
      });

      it('returns undefined for a stage that does not exist', async () => {
        const { api } = await deployedApi();
        await store.putStage(stageOf(api, 'prod'));

        expect(await store.getStage(apiIdOf(api), 'beta')).toBeUndefined();
        expect(await store.getStage('nosuchapi', 'prod')).toBeUndefined();
      });

      it('lists the stages of one API, or of every API', async () => {
        const first = await deployedApi();
        const second = await deployedApi(httpApi());
        const firstStages = [
          stageOf(first.api, 'prod', { deploymentId: first.deployment.id }),
          stageOf(first.api, 'beta'),
        ];
        const secondStages = [stageOf(second.api, '$default', { deploymentId: second.deployment.id })];
        for (const stage of [...firstStages, ...secondStages]) await store.putStage(stage);

        expect((await store.listStages(apiIdOf(first.api))).sort(byStageKey)).toEqual(
          [...firstStages].sort(byStageKey),
        );
        expect(await store.listStages(apiIdOf(second.api))).toEqual(secondStages);
        expect((await store.listStages()).sort(byStageKey)).toEqual(
          [...firstStages, ...secondStages].sort(byStageKey),
        );
        expect(await store.listStages('nosuchapi')).toEqual([]);
      });

      it('keeps stages of the same name in different APIs apart', async () => {
        const first = await deployedApi();
        const second = await deployedApi();
        const firstProd = stageOf(first.api, 'prod', { variables: { owner: 'first' } });
        const secondProd = stageOf(second.api, 'prod', { variables: { owner: 'second' } });
        await store.putStage(firstProd);
        await store.putStage(secondProd);

        expect(await store.getStage(apiIdOf(first.api), 'prod')).toEqual(firstProd);
        expect(await store.getStage(apiIdOf(second.api), 'prod')).toEqual(secondProd);
        await store.deleteStage(apiIdOf(first.api), 'prod');
        expect(await store.getStage(apiIdOf(second.api), 'prod')).toEqual(secondProd);
      });

      it('deletes a stage', async () => {
        const { api, deployment } = await deployedApi();
        await store.putStage(stageOf(api, 'prod', { deploymentId: deployment.id }));
        const beta = stageOf(api, 'beta');
        await store.putStage(beta);

        await store.deleteStage(apiIdOf(api), 'prod');

        expect(await store.getStage(apiIdOf(api), 'prod')).toBeUndefined();
        expect(await store.listStages(apiIdOf(api))).toEqual([beta]);
      });

      it('rejects deleting a stage that does not exist with NotFoundError', async () => {
        const { api } = await deployedApi();

        await expect(store.deleteStage(apiIdOf(api), 'prod')).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.deleteStage('nosuchapi', 'prod')).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('API keys', () => {
      it('stores a key and finds it by id and by value, as it was given', async () => {
        const key = apiKey();
        const bare = apiKey({ enabled: false });
        delete bare.name;
        delete bare.description;
        delete bare.customerId;
        delete bare.tags;
        await store.createApiKey(key);
        await store.createApiKey(bare);

        expect(await store.getApiKey(key.id)).toEqual(key);
        expect(await store.getApiKeyByValue(key.value)).toEqual(key);
        const storedBare = await store.getApiKey(bare.id);
        expect(storedBare).toEqual(bare);
        expect(storedBare).not.toHaveProperty('name');
        expect(await store.getApiKeyByValue(bare.value)).toEqual(bare);
      });

      it('returns undefined for a key id or value that does not exist', async () => {
        const key = apiKey();
        await store.createApiKey(key);

        expect(await store.getApiKey('nosuchkey')).toBeUndefined();
        expect(await store.getApiKeyByValue('x'.repeat(40))).toBeUndefined();
        expect(await store.getApiKey(key.value)).toBeUndefined();
        expect(await store.getApiKeyByValue(key.id)).toBeUndefined();
      });

      it('matches key values exactly, case included', async () => {
        const key = apiKey({ value: 'CaseMatters0123456789abcdef' });
        await store.createApiKey(key);

        expect(await store.getApiKeyByValue('casematters0123456789abcdef')).toBeUndefined();
        expect(await store.getApiKeyByValue('CaseMatters0123456789abcdef ')).toBeUndefined();
        expect(await store.getApiKeyByValue('CaseMatters0123456789abcdef')).toEqual(key);
      });

      it('lists every key', async () => {
        expect(await store.listApiKeys()).toEqual([]);
        const keys = [apiKey(), apiKey({ enabled: false }), apiKey({ name: 'third' })];
        for (const key of keys) await store.createApiKey(key);

        expect(sortedById(await store.listApiKeys())).toEqual(sortedById(keys));
      });

      it('rejects a key whose id exists with ConflictError and keeps the original', async () => {
        const original = apiKey();
        await store.createApiKey(original);

        await expect(
          store.createApiKey(apiKey({ id: original.id, name: 'impostor' })),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.listApiKeys()).toEqual([original]);
      });

      it('rejects a second key with the same value with ConflictError "API Key already exists"', async () => {
        const original = apiKey();
        await store.createApiKey(original);
        const duplicate = apiKey({ value: original.value, name: 'same value, other id' });

        const attempt = store.createApiKey(duplicate);

        await expect(attempt).rejects.toBeInstanceOf(ConflictError);
        await expect(attempt).rejects.toThrow('API Key already exists');
        expect(await store.getApiKey(duplicate.id)).toBeUndefined();
        expect(await store.getApiKeyByValue(original.value)).toEqual(original);
      });

      it('replaces a key on update, dropping optional fields left out', async () => {
        const key = apiKey({ enabled: false });
        await store.createApiKey(key);
        const updated = without(
          { ...key, enabled: true, name: 'renamed', lastUpdatedDate: 1_800_000_000 },
          'tags',
        );

        await store.updateApiKey(updated);

        const stored = await store.getApiKey(key.id);
        expect(stored).toEqual(updated);
        expect(stored).not.toHaveProperty('tags');
        expect(await store.getApiKeyByValue(key.value)).toEqual(updated);
        expect(await store.listApiKeys()).toEqual([updated]);
      });

      it('finds a key by its new value once the value changes, and no longer by the old one', async () => {
        const key = apiKey();
        await store.createApiKey(key);
        const changed = { ...key, value: 'a-brand-new-value-0123456789' };

        await store.updateApiKey(changed);

        expect(await store.getApiKeyByValue(key.value)).toBeUndefined();
        expect(await store.getApiKeyByValue(changed.value)).toEqual(changed);
        await store.createApiKey(apiKey({ value: key.value }));
      });

      it('rejects updating a key to another key’s value with ConflictError and changes nothing', async () => {
        const first = apiKey();
        const second = apiKey();
        await store.createApiKey(first);
        await store.createApiKey(second);

        const attempt = store.updateApiKey({ ...second, value: first.value, name: 'taken' });

        await expect(attempt).rejects.toBeInstanceOf(ConflictError);
        await expect(attempt).rejects.toThrow('API Key already exists');
        expect(await store.getApiKey(second.id)).toEqual(second);
        expect(await store.getApiKeyByValue(first.value)).toEqual(first);
      });

      it('rejects updating a key that does not exist with NotFoundError and creates nothing', async () => {
        const key = apiKey();

        await expect(store.updateApiKey(key)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getApiKey(key.id)).toBeUndefined();
        expect(await store.getApiKeyByValue(key.value)).toBeUndefined();
      });

      it('deletes a key, after which its value can be used again', async () => {
        const kept = apiKey();
        const removed = apiKey();
        await store.createApiKey(kept);
        await store.createApiKey(removed);

        await store.deleteApiKey(removed.id);

        expect(await store.getApiKey(removed.id)).toBeUndefined();
        expect(await store.getApiKeyByValue(removed.value)).toBeUndefined();
        expect(await store.listApiKeys()).toEqual([kept]);
        const reused = apiKey({ value: removed.value });
        await store.createApiKey(reused);
        expect(await store.getApiKeyByValue(removed.value)).toEqual(reused);
      });

      it('rejects deleting a key that does not exist with NotFoundError', async () => {
        await expect(store.deleteApiKey('nosuchkey')).rejects.toBeInstanceOf(NotFoundError);
        const key = apiKey();
        await store.createApiKey(key);
        await store.deleteApiKey(key.id);
        await expect(store.deleteApiKey(key.id)).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('usage plans', () => {
      it('stores a plan with its stages, method throttles and quota, as it was given', async () => {
        const plan = usagePlan();
        const bare = usagePlan({ name: 'Free', apiStages: [] });
        delete bare.description;
        delete bare.throttle;
        delete bare.quota;
        delete bare.tags;
        await store.createUsagePlan(plan);
        await store.createUsagePlan(bare);

        expect(await store.getUsagePlan(plan.id)).toEqual(plan);
        const storedBare = await store.getUsagePlan(bare.id);
        expect(storedBare).toEqual(bare);
        expect(storedBare).not.toHaveProperty('quota');
      });

      it('keeps a fractional rate limit exactly', async () => {
        const plan = usagePlan({ throttle: { burstLimit: 1, rateLimit: 0.1 } });
        await store.createUsagePlan(plan);

        expect((await store.getUsagePlan(plan.id))?.throttle).toEqual({ burstLimit: 1, rateLimit: 0.1 });
      });

      it('returns undefined for a plan that does not exist', async () => {
        await store.createUsagePlan(usagePlan());

        expect(await store.getUsagePlan('nosuch')).toBeUndefined();
      });

      it('lists every plan', async () => {
        expect(await store.listUsagePlans()).toEqual([]);
        const plans = [
          usagePlan(),
          usagePlan({ name: 'Silver' }),
          usagePlan({ name: 'Free', apiStages: [] }),
        ];
        for (const plan of plans) await store.createUsagePlan(plan);

        expect(sortedById(await store.listUsagePlans())).toEqual(sortedById(plans));
      });

      it('rejects a plan whose id exists with ConflictError and keeps the original', async () => {
        const original = usagePlan();
        await store.createUsagePlan(original);

        await expect(
          store.createUsagePlan(usagePlan({ id: original.id, name: 'Impostor' })),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.listUsagePlans()).toEqual([original]);
      });

      it('replaces a plan on update, dropping optional fields left out and keeping its keys', async () => {
        const plan = usagePlan();
        const key = apiKey();
        await store.createUsagePlan(plan);
        await store.createApiKey(key);
        await store.addUsagePlanKey(plan.id, key.id);
        const updated: UsagePlan = {
          ...without(plan, 'quota'),
          name: 'Gold v2',
          apiStages: [{ apiId: 'otherapi01', stage: 'prod' }],
        };

        await store.updateUsagePlan(updated);

        const stored = await store.getUsagePlan(plan.id);
        expect(stored).toEqual(updated);
        expect(stored).not.toHaveProperty('quota');
        expect(await store.listUsagePlanKeys(plan.id)).toEqual([{ usagePlanId: plan.id, keyId: key.id }]);
      });

      it('rejects updating a plan that does not exist with NotFoundError and creates nothing', async () => {
        const plan = usagePlan();

        await expect(store.updateUsagePlan(plan)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getUsagePlan(plan.id)).toBeUndefined();
      });

      it('deletes a plan', async () => {
        const kept = usagePlan();
        const removed = usagePlan();
        await store.createUsagePlan(kept);
        await store.createUsagePlan(removed);

        await store.deleteUsagePlan(removed.id);

        expect(await store.getUsagePlan(removed.id)).toBeUndefined();
        expect(await store.listUsagePlans()).toEqual([kept]);
      });

      it('rejects deleting a plan that does not exist with NotFoundError', async () => {
        await expect(store.deleteUsagePlan('nosuch')).rejects.toBeInstanceOf(NotFoundError);
        const plan = usagePlan();
        await store.createUsagePlan(plan);
        await store.deleteUsagePlan(plan.id);
        await expect(store.deleteUsagePlan(plan.id)).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('usage plan keys', () => {
      /** Two plans and three keys, none linked yet. */
      async function plansAndKeys(): Promise<{
        plans: [UsagePlan, UsagePlan];
        keys: [ApiKey, ApiKey, ApiKey];
      }> {
        const plans: [UsagePlan, UsagePlan] = [usagePlan(), usagePlan({ name: 'Silver' })];
        const keys: [ApiKey, ApiKey, ApiKey] = [apiKey(), apiKey(), apiKey({ enabled: false })];
        for (const plan of plans) await store.createUsagePlan(plan);
        for (const key of keys) await store.createApiKey(key);
        return { plans, keys };
      }

      it('puts keys in plans and lists the keys of one plan, or of every plan', async () => {
        const { plans, keys } = await plansAndKeys();
        const [gold, silver] = plans;
        expect(await store.listUsagePlanKeys(gold.id)).toEqual([]);
        expect(await store.listUsagePlanKeys()).toEqual([]);

        await store.addUsagePlanKey(gold.id, keys[0].id);
        await store.addUsagePlanKey(gold.id, keys[1].id);
        await store.addUsagePlanKey(silver.id, keys[1].id);

        const goldLinks = [
          { usagePlanId: gold.id, keyId: keys[0].id },
          { usagePlanId: gold.id, keyId: keys[1].id },
        ];
        const silverLinks = [{ usagePlanId: silver.id, keyId: keys[1].id }];
        expect(sortedLinks(await store.listUsagePlanKeys(gold.id))).toEqual(sortedLinks(goldLinks));
        expect(await store.listUsagePlanKeys(silver.id)).toEqual(silverLinks);
        expect(sortedLinks(await store.listUsagePlanKeys())).toEqual(
          sortedLinks([...goldLinks, ...silverLinks]),
        );
      });

      it('lists no keys for a plan that does not exist', async () => {
        const { plans, keys } = await plansAndKeys();
        await store.addUsagePlanKey(plans[0].id, keys[0].id);

        expect(await store.listUsagePlanKeys('nosuch')).toEqual([]);
      });

      it('rejects adding a key to a plan that does not exist with NotFoundError', async () => {
        const { keys } = await plansAndKeys();

        const attempt = store.addUsagePlanKey('nosuch', keys[0].id);

        await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
        await expect(attempt).rejects.toThrow('Invalid Usage Plan ID specified');
        expect(await store.listUsagePlanKeys()).toEqual([]);
      });

      it('rejects adding a key that does not exist with NotFoundError', async () => {
        const { plans } = await plansAndKeys();

        const attempt = store.addUsagePlanKey(plans[0].id, 'nosuchkey');

        await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
        await expect(attempt).rejects.toThrow('Invalid API Key identifier specified');
        expect(await store.listUsagePlanKeys()).toEqual([]);
      });

      it('rejects adding a key to a plan it is already in with ConflictError', async () => {
        const { plans, keys } = await plansAndKeys();
        await store.addUsagePlanKey(plans[0].id, keys[0].id);

        await expect(store.addUsagePlanKey(plans[0].id, keys[0].id)).rejects.toBeInstanceOf(ConflictError);
        expect(await store.listUsagePlanKeys()).toEqual([{ usagePlanId: plans[0].id, keyId: keys[0].id }]);
      });

      it('takes a key out of one plan and leaves it in the others', async () => {
        const { plans, keys } = await plansAndKeys();
        await store.addUsagePlanKey(plans[0].id, keys[0].id);
        await store.addUsagePlanKey(plans[1].id, keys[0].id);

        await store.removeUsagePlanKey(plans[0].id, keys[0].id);

        expect(await store.listUsagePlanKeys(plans[0].id)).toEqual([]);
        expect(await store.listUsagePlanKeys(plans[1].id)).toEqual([
          { usagePlanId: plans[1].id, keyId: keys[0].id },
        ]);
        expect(await store.getApiKey(keys[0].id)).toEqual(keys[0]);
      });

      it('rejects taking a key out of a plan that does not exist, or that it is not in, with NotFoundError', async () => {
        const { plans, keys } = await plansAndKeys();
        await store.addUsagePlanKey(plans[0].id, keys[0].id);

        await expect(store.removeUsagePlanKey('nosuch', keys[0].id)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.removeUsagePlanKey(plans[1].id, keys[0].id)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.removeUsagePlanKey(plans[0].id, 'nosuchkey')).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await store.removeUsagePlanKey(plans[0].id, keys[0].id);
        await expect(store.removeUsagePlanKey(plans[0].id, keys[0].id)).rejects.toBeInstanceOf(NotFoundError);
      });

      it('takes a deleted key out of every plan, and leaves the plans and other keys alone', async () => {
        const { plans, keys } = await plansAndKeys();
        for (const plan of plans) {
          await store.addUsagePlanKey(plan.id, keys[0].id);
          await store.addUsagePlanKey(plan.id, keys[1].id);
        }

        await store.deleteApiKey(keys[0].id);

        expect(sortedLinks(await store.listUsagePlanKeys())).toEqual(
          sortedLinks(plans.map((plan) => ({ usagePlanId: plan.id, keyId: keys[1].id }))),
        );
        expect(sortedById(await store.listUsagePlans())).toEqual(sortedById(plans));
      });

      it('forgets a deleted plan’s keys, and keeps the keys themselves', async () => {
        const { plans, keys } = await plansAndKeys();
        for (const key of keys) await store.addUsagePlanKey(plans[0].id, key.id);
        await store.addUsagePlanKey(plans[1].id, keys[0].id);

        await store.deleteUsagePlan(plans[0].id);

        expect(await store.listUsagePlanKeys(plans[0].id)).toEqual([]);
        expect(await store.listUsagePlanKeys()).toEqual([{ usagePlanId: plans[1].id, keyId: keys[0].id }]);
        expect(sortedById(await store.listApiKeys())).toEqual(sortedById(keys));
      });

      it('does not bring old memberships back when a deleted key’s id or a deleted plan’s id is used again', async () => {
        const { plans, keys } = await plansAndKeys();
        await store.addUsagePlanKey(plans[0].id, keys[0].id);
        await store.addUsagePlanKey(plans[1].id, keys[1].id);
        await store.deleteApiKey(keys[0].id);
        await store.deleteUsagePlan(plans[1].id);

        await store.createApiKey(keys[0]);
        await store.createUsagePlan(plans[1]);

        expect(await store.listUsagePlanKeys()).toEqual([]);
      });
    });

    describe('domain names', () => {
      it('stores a domain name with its certificate, TLS settings and tags, as it was given', async () => {
        const domain = domainName();
        const plain = domainName({ endpointType: 'EDGE', settings: {} });
        delete plain.certificateName;
        delete plain.mutualTlsAuthentication;
        await store.createDomainName(domain);
        await store.createDomainName(plain);

        expect(await store.getDomainName(domain.domainName)).toEqual(domain);
        expect(await store.getDomainName(plain.domainName)).toEqual(plain);
      });

      it('returns undefined for a domain name that does not exist', async () => {
        await store.createDomainName(domainName({ domainName: 'api.example.com' }));

        expect(await store.getDomainName('nosuch.example.com')).toBeUndefined();
        expect(await store.getDomainName('api.example.org')).toBeUndefined();
      });

      it('lists every domain name', async () => {
        expect(await store.listDomainNames()).toEqual([]);
        const domains = [domainName(), domainName({ domainName: '*.wild.example.com' }), domainName()];
        for (const domain of domains) await store.createDomainName(domain);

        expect(sortedDomains(await store.listDomainNames())).toEqual(sortedDomains(domains));
      });

      it('rejects a domain name that exists with ConflictError as AWS words it, and keeps the original', async () => {
        const original = domainName();
        await store.createDomainName(original);

        const attempt = store.createDomainName({ ...original, endpointType: 'EDGE' });

        await expect(attempt).rejects.toBeInstanceOf(ConflictError);
        await expect(attempt).rejects.toThrow('The domain name you provided already exists.');
        expect(await store.getDomainName(original.domainName)).toEqual(original);
      });

      it('replaces a domain name on update, dropping optional fields left out', async () => {
        const domain = domainName();
        await store.createDomainName(domain);
        const updated = without({ ...domain, securityPolicy: 'TLS_1_0' as const }, 'mutualTlsAuthentication');

        await store.updateDomainName(updated);

        const stored = await store.getDomainName(domain.domainName);
        expect(stored).toEqual(updated);
        expect(stored).not.toHaveProperty('mutualTlsAuthentication');
      });

      it('rejects updating a domain name that does not exist with NotFoundError and creates nothing', async () => {
        const domain = domainName();

        const attempt = store.updateDomainName(domain);

        await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
        await expect(attempt).rejects.toThrow('Invalid domain name identifier specified');
        expect(await store.getDomainName(domain.domainName)).toBeUndefined();
      });

      it('deletes a domain name', async () => {
        const kept = domainName();
        const removed = domainName();
        await store.createDomainName(kept);
        await store.createDomainName(removed);

        await store.deleteDomainName(removed.domainName);

        expect(await store.getDomainName(removed.domainName)).toBeUndefined();
        expect(await store.listDomainNames()).toEqual([kept]);
      });

      it('rejects deleting a domain name that does not exist with NotFoundError', async () => {
        await expect(store.deleteDomainName('nosuch.example.com')).rejects.toThrow(
          'Invalid domain name identifier specified',
        );
        const domain = domainName();
        await store.createDomainName(domain);
        await store.deleteDomainName(domain.domainName);
        await expect(store.deleteDomainName(domain.domainName)).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('API mappings', () => {
      /** A domain and an API to map onto it. */
      async function domainAndApi(): Promise<{ domain: DomainName; api: Api }> {
        const domain = domainName();
        const api: Api = restApi();
        await store.createDomainName(domain);
        await store.createApi(api);
        return { domain, api };
      }

      it('maps base paths of a domain, the root included, and returns the mappings as given', async () => {
        const { domain, api } = await domainAndApi();
        const root = apiMapping(domain, api, { apiMappingKey: '' });
        const nested = apiMapping(domain, api, { apiMappingKey: 'v1/pets', stage: 'beta' });
        await store.createApiMapping(root);
        await store.createApiMapping(nested);

        expect(await store.getApiMapping(domain.domainName, root.apiMappingId)).toEqual(root);
        expect(await store.getApiMapping(domain.domainName, nested.apiMappingId)).toEqual(nested);
      });

      it('returns undefined for a mapping that does not exist, or belongs to another domain', async () => {
        const { domain, api } = await domainAndApi();
        const other = domainName();
        await store.createDomainName(other);
        const mapping = apiMapping(domain, api);
        await store.createApiMapping(mapping);

        expect(await store.getApiMapping(domain.domainName, 'nosuch')).toBeUndefined();
        expect(await store.getApiMapping(other.domainName, mapping.apiMappingId)).toBeUndefined();
        expect(await store.getApiMapping('nosuch.example.com', mapping.apiMappingId)).toBeUndefined();
      });

      it('lists the mappings of one domain, or of every domain', async () => {
        const { domain, api } = await domainAndApi();
        const other = domainName();
        await store.createDomainName(other);
        const http = httpApi();
        await store.createApi(http);
        const ofDomain = [
          apiMapping(domain, api, { apiMappingKey: 'pets' }),
          apiMapping(domain, http, { apiMappingKey: 'orders', stage: '$default' }),
        ];
        const ofOther = [apiMapping(other, api, { apiMappingKey: '' })];
        for (const mapping of [...ofDomain, ...ofOther]) await store.createApiMapping(mapping);

        expect(sortedMappings(await store.listApiMappings(domain.domainName))).toEqual(
          sortedMappings(ofDomain),
        );
        expect(await store.listApiMappings(other.domainName)).toEqual(ofOther);
        expect(await store.listApiMappings('nosuch.example.com')).toEqual([]);
        expect(sortedMappings(await store.listApiMappings())).toEqual(
          sortedMappings([...ofDomain, ...ofOther]),
        );
      });

      it('rejects a mapping on a domain name that does not exist with NotFoundError', async () => {
        const api = restApi();
        await store.createApi(api);
        const mapping = apiMapping(domainName(), api);

        const attempt = store.createApiMapping(mapping);

        await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
        await expect(attempt).rejects.toThrow('Invalid domain name identifier specified');
        expect(await store.listApiMappings()).toEqual([]);
      });

      it('rejects a mapping to an API that does not exist with NotFoundError', async () => {
        const domain = domainName();
        await store.createDomainName(domain);
        const mapping = apiMapping(domain, restApi());

        await expect(store.createApiMapping(mapping)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.listApiMappings()).toEqual([]);
      });

      it('rejects a base path the domain already maps with ConflictError, and keeps the original', async () => {
        const { domain, api } = await domainAndApi();
        const original = apiMapping(domain, api, { apiMappingKey: 'pets' });
        await store.createApiMapping(original);
        const http = httpApi();
        await store.createApi(http);

        const attempt = store.createApiMapping(apiMapping(domain, http, { apiMappingKey: 'pets' }));

        await expect(attempt).rejects.toBeInstanceOf(ConflictError);
        await expect(attempt).rejects.toThrow('Base path already exists for this domain name');
        expect(await store.listApiMappings(domain.domainName)).toEqual([original]);
      });

      it('allows the same base path on two domains, and the root once per domain', async () => {
        const { domain, api } = await domainAndApi();
        const other = domainName();
        await store.createDomainName(other);
        const mappings = [
          apiMapping(domain, api, { apiMappingKey: 'pets' }),
          apiMapping(other, api, { apiMappingKey: 'pets' }),
          apiMapping(domain, api, { apiMappingKey: '' }),
        ];
        for (const mapping of mappings) await store.createApiMapping(mapping);

        await expect(
          store.createApiMapping(apiMapping(domain, api, { apiMappingKey: '' })),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(sortedMappings(await store.listApiMappings())).toEqual(sortedMappings(mappings));
      });

      it('rejects a mapping id the domain already has with ConflictError', async () => {
        const { domain, api } = await domainAndApi();
        const original = apiMapping(domain, api, { apiMappingKey: 'pets' });
        await store.createApiMapping(original);

        await expect(store.createApiMapping({ ...original, apiMappingKey: 'other' })).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect(await store.listApiMappings()).toEqual([original]);
      });

      it('replaces a mapping on update: its base path, API and stage', async () => {
        const { domain, api } = await domainAndApi();
        const mapping = apiMapping(domain, api, { apiMappingKey: 'pets' });
        await store.createApiMapping(mapping);
        const http = httpApi();
        await store.createApi(http);
        const updated: ApiMapping = { ...mapping, apiMappingKey: 'orders', apiId: http.apiId, stage: 'v2' };

        await store.updateApiMapping(updated);

        expect(await store.getApiMapping(domain.domainName, mapping.apiMappingId)).toEqual(updated);
        // The old base path is free again.
        const reuse = apiMapping(domain, api, { apiMappingKey: 'pets' });
        await store.createApiMapping(reuse);
        expect(sortedMappings(await store.listApiMappings())).toEqual(sortedMappings([updated, reuse]));
      });

      it('rejects moving a mapping onto a base path another mapping has, and changes nothing', async () => {
        const { domain, api } = await domainAndApi();
        const pets = apiMapping(domain, api, { apiMappingKey: 'pets' });
        const orders = apiMapping(domain, api, { apiMappingKey: 'orders' });
        await store.createApiMapping(pets);
        await store.createApiMapping(orders);

        const attempt = store.updateApiMapping({ ...orders, apiMappingKey: 'pets' });

        await expect(attempt).rejects.toBeInstanceOf(ConflictError);
        await expect(attempt).rejects.toThrow('Base path already exists for this domain name');
        expect(await store.getApiMapping(domain.domainName, orders.apiMappingId)).toEqual(orders);
      });

      it('rejects updating a mapping that does not exist, or onto an API that does not, with NotFoundError', async () => {
        const { domain, api } = await domainAndApi();
        const mapping = apiMapping(domain, api);

        await expect(store.updateApiMapping(mapping)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.listApiMappings()).toEqual([]);

        await store.createApiMapping(mapping);
        await expect(store.updateApiMapping({ ...mapping, apiId: 'nosuchapi' })).rejects.toBeInstanceOf(
          NotFoundError,
        );
        expect(await store.getApiMapping(domain.domainName, mapping.apiMappingId)).toEqual(mapping);
      });

      it('deletes a mapping, after which its base path can be mapped again', async () => {
        const { domain, api } = await domainAndApi();
        const kept = apiMapping(domain, api, { apiMappingKey: 'kept' });
        const removed = apiMapping(domain, api, { apiMappingKey: 'pets' });
        await store.createApiMapping(kept);
        await store.createApiMapping(removed);

        await store.deleteApiMapping(domain.domainName, removed.apiMappingId);

        expect(await store.getApiMapping(domain.domainName, removed.apiMappingId)).toBeUndefined();
        expect(await store.listApiMappings()).toEqual([kept]);
        const again = apiMapping(domain, api, { apiMappingKey: 'pets' });
        await store.createApiMapping(again);
        expect(await store.getApiMapping(domain.domainName, again.apiMappingId)).toEqual(again);
      });

      it('rejects deleting a mapping that does not exist with NotFoundError', async () => {
        const { domain, api } = await domainAndApi();
        const mapping = apiMapping(domain, api);
        await store.createApiMapping(mapping);

        await expect(store.deleteApiMapping(domain.domainName, 'nosuch')).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await expect(
          store.deleteApiMapping('nosuch.example.com', mapping.apiMappingId),
        ).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.listApiMappings()).toEqual([mapping]);
      });

      it('deletes a domain name’s mappings with it, and does not bring them back when the name returns', async () => {
        const { domain, api } = await domainAndApi();
        const other = domainName();
        await store.createDomainName(other);
        const survivor = apiMapping(other, api);
        await store.createApiMapping(apiMapping(domain, api, { apiMappingKey: '' }));
        await store.createApiMapping(apiMapping(domain, api, { apiMappingKey: 'pets' }));
        await store.createApiMapping(survivor);

        await store.deleteDomainName(domain.domainName);
        await store.createDomainName(domain);

        expect(await store.listApiMappings(domain.domainName)).toEqual([]);
        expect(await store.listApiMappings()).toEqual([survivor]);
      });

      it('deletes an API’s mappings with the API, on every domain, and leaves other APIs’ mappings', async () => {
        const { domain, api } = await domainAndApi();
        const other = domainName();
        await store.createDomainName(other);
        const http = httpApi();
        await store.createApi(http);
        const survivor = apiMapping(domain, http, { apiMappingKey: 'orders', stage: '$default' });
        await store.createApiMapping(apiMapping(domain, api, { apiMappingKey: 'pets' }));
        await store.createApiMapping(apiMapping(other, api, { apiMappingKey: '' }));
        await store.createApiMapping(survivor);

        await store.deleteApi(apiIdOf(api));

        expect(await store.listApiMappings()).toEqual([survivor]);
        expect(sortedDomains(await store.listDomainNames())).toEqual(sortedDomains([domain, other]));
      });

      it('keeps domain names and mappings apart from the objects stored and returned', async () => {
        const { domain, api } = await domainAndApi();
        const expectedDomain = structuredClone(domain);
        const mapping = apiMapping(domain, api);
        const expectedMapping = structuredClone(mapping);
        await store.createApiMapping(mapping);

        if (domain.tags) domain.tags.team = 'mutated';
        mapping.stage = 'mutated';
        const got = await store.getDomainName(domain.domainName);
        if (got?.settings) got.settings.domainNameStatus = 'mutated';
        const [listed] = await store.listApiMappings(domain.domainName);
        if (listed) listed.apiMappingKey = 'mutated';

        expect(await store.getDomainName(domain.domainName)).toEqual(expectedDomain);
        expect(await store.listApiMappings()).toEqual([expectedMapping]);
      });
    });

    describe('deleting an API', () => {
      it('deletes its deployments and stages with it, and nothing of other APIs', async () => {
        const doomed = await deployedApi();
        const second = deploymentOf(doomed.api, { createdDate: doomed.deployment.createdDate + 1 });
        await store.createDeployment(second);
        await store.putStage(stageOf(doomed.api, 'prod', { deploymentId: doomed.deployment.id }));
        await store.putStage(stageOf(doomed.api, 'beta', { deploymentId: second.id }));
        const survivor = await deployedApi(httpApi());
        const survivorStage = stageOf(survivor.api, '$default', { deploymentId: survivor.deployment.id });
        await store.putStage(survivorStage);

        await store.deleteApi(apiIdOf(doomed.api));

        const doomedId = apiIdOf(doomed.api);
        expect(await store.listDeployments(doomedId)).toEqual([]);
        expect(await store.getDeployment(doomedId, doomed.deployment.id)).toBeUndefined();
        expect(await store.listStages(doomedId)).toEqual([]);
        expect(await store.getStage(doomedId, 'prod')).toBeUndefined();
        expect(await store.listStages()).toEqual([survivorStage]);
        expect(await store.listDeployments(apiIdOf(survivor.api))).toEqual([survivor.deployment]);
        expect(await store.listApis()).toEqual([survivor.api]);
      });
    });

    describe('returned objects are copies', () => {
      it('is not changed by mutating an object after storing it', async () => {
        const api = restApi();
        const expected = structuredClone(api);
        await store.createApi(api);
        const deployment = deploymentOf(api);
        const expectedDeployment = structuredClone(deployment);
        await store.createDeployment(deployment);
        const stage = stageOf(api, 'prod', { deploymentId: deployment.id });
        const expectedStage = structuredClone(stage);
        await store.putStage(stage);

        api.name = 'mutated';
        api.resources.length = 0;
        deployment.api.name = 'mutated';
        stage.variables.backend = 'mutated';

        expect(await store.getApi(api.id)).toEqual(expected);
        expect(await store.getDeployment(api.id, deployment.id)).toEqual(expectedDeployment);
        expect(await store.getStage(api.id, 'prod')).toEqual(expectedStage);
      });

      it('is not changed by mutating what get and list return', async () => {
        const api = httpApi();
        await store.createApi(api);
        const deployment = deploymentOf(api);
        await store.createDeployment(deployment);
        const stage = stageOf(api, '$default', { deploymentId: deployment.id });
        await store.putStage(stage);

        const gotApi = await store.getApi(api.apiId);
        if (gotApi?.protocolType !== 'HTTP') throw new Error('expected the HTTP API back');
        gotApi.name = 'mutated';
        gotApi.routes.length = 0;
        const [listedApi] = await store.listApis();
        if (listedApi) listedApi.name = 'mutated too';
        const gotDeployment = await store.getDeployment(api.apiId, deployment.id);
        if (gotDeployment) gotDeployment.api.name = 'mutated';
        const [listedDeployment] = await store.listDeployments(api.apiId);
        if (listedDeployment) listedDeployment.description = 'mutated';
        const gotStage = await store.getStage(api.apiId, '$default');
        if (gotStage) gotStage.variables.backend = 'mutated';
        const [listedStage] = await store.listStages(api.apiId);
        if (listedStage) listedStage.variables.version = 'mutated';
        const [listedAnyStage] = await store.listStages();
        if (listedAnyStage) listedAnyStage.stageName = 'mutated';

        expect(await store.getApi(api.apiId)).toEqual(api);
        expect(await store.listApis()).toEqual([api]);
        expect(await store.getDeployment(api.apiId, deployment.id)).toEqual(deployment);
        expect(await store.listDeployments(api.apiId)).toEqual([deployment]);
        expect(await store.getStage(api.apiId, '$default')).toEqual(stage);
        expect(await store.listStages()).toEqual([stage]);
      });

      it('keeps API keys and usage plans apart from the objects stored and returned', async () => {
        const key = apiKey();
        const plan = usagePlan();
        const expectedKey = structuredClone(key);
        const expectedPlan = structuredClone(plan);
        await store.createApiKey(key);
        await store.createUsagePlan(plan);
        await store.addUsagePlanKey(plan.id, key.id);

        key.name = 'mutated';
        if (key.tags) key.tags.team = 'mutated';
        plan.apiStages.length = 0;
        const gotKey = await store.getApiKey(key.id);
        if (gotKey) gotKey.enabled = false;
        const [listedKey] = await store.listApiKeys();
        if (listedKey) listedKey.name = 'mutated too';
        const byValue = await store.getApiKeyByValue(expectedKey.value);
        if (byValue) byValue.value = 'mutated';
        const gotPlan = await store.getUsagePlan(plan.id);
        if (gotPlan?.quota) gotPlan.quota.limit = 1;
        const [listedPlan] = await store.listUsagePlans();
        if (listedPlan) listedPlan.apiStages.push({ apiId: 'mutated', stage: 'mutated' });
        const [link] = await store.listUsagePlanKeys(plan.id);
        if (link) link.keyId = 'mutated';

        expect(await store.getApiKey(key.id)).toEqual(expectedKey);
        expect(await store.listApiKeys()).toEqual([expectedKey]);
        expect(await store.getUsagePlan(plan.id)).toEqual(expectedPlan);
        expect(await store.listUsagePlans()).toEqual([expectedPlan]);
        expect(await store.listUsagePlanKeys()).toEqual([{ usagePlanId: plan.id, keyId: key.id }]);
      });

      it('returns a new object on every read', async () => {
        const api = restApi();
        await store.createApi(api);

        const first = await store.getApi(api.id);
        const second = await store.getApi(api.id);

        expect(first).toEqual(second);
        expect(first).not.toBe(second);
        expect(first).not.toBe(api);
      });
    });

    describe('watch', () => {
      it('tells a listener about each kind of change made through the store', async () => {
        let calls = 0;
        const stop = store.watch(() => {
          calls += 1;
        });
        const api = restApi();
        const deployment = deploymentOf(api);
        const changes: [string, () => Promise<void>][] = [
          ['createApi', () => store.createApi(api)],
          ['updateApi', () => store.updateApi({ ...api, name: 'Renamed' })],
          ['createDeployment', () => store.createDeployment(deployment)],
          ['putStage', () => store.putStage(stageOf(api, 'prod', { deploymentId: deployment.id }))],
          ['deleteStage', () => store.deleteStage(api.id, 'prod')],
          ['deleteDeployment', () => store.deleteDeployment(api.id, deployment.id)],
          ['deleteApi', () => store.deleteApi(api.id)],
        ];

        for (const [what, change] of changes) {
          const before = calls;
          await change();
          await waitFor(() => calls > before, `a watch notification after ${what}`);
        }
        stop();
      });

      it('tells a listener about each kind of change to API keys and usage plans', async () => {
        let calls = 0;
        const stop = store.watch(() => {
          calls += 1;
        });
        const key = apiKey({ enabled: false });
        const plan = usagePlan();
        const changes: [string, () => Promise<void>][] = [
          ['createApiKey', () => store.createApiKey(key)],
          ['updateApiKey', () => store.updateApiKey({ ...key, enabled: true })],
          ['createUsagePlan', () => store.createUsagePlan(plan)],
          ['updateUsagePlan', () => store.updateUsagePlan({ ...plan, name: 'Renamed' })],
          ['addUsagePlanKey', () => store.addUsagePlanKey(plan.id, key.id)],
          ['removeUsagePlanKey', () => store.removeUsagePlanKey(plan.id, key.id)],
          ['deleteUsagePlan', () => store.deleteUsagePlan(plan.id)],
          ['deleteApiKey', () => store.deleteApiKey(key.id)],
        ];

        for (const [what, change] of changes) {
          const before = calls;
          await change();
          await waitFor(() => calls > before, `a watch notification after ${what}`);
        }
        stop();
      });

      it('tells a listener about each kind of change to domain names and API mappings', async () => {
        let calls = 0;
        const stop = store.watch(() => {
          calls += 1;
        });
        const api = restApi();
        const domain = domainName();
        const mapping = apiMapping(domain, api);
        await store.createApi(api);
        await waitFor(() => calls > 0, 'a watch notification after createApi');
        const changes: [string, () => Promise<void>][] = [
          ['createDomainName', () => store.createDomainName(domain)],
          ['updateDomainName', () => store.updateDomainName({ ...domain, securityPolicy: 'TLS_1_0' })],
          ['createApiMapping', () => store.createApiMapping(mapping)],
          ['updateApiMapping', () => store.updateApiMapping({ ...mapping, stage: 'beta' })],
          ['deleteApiMapping', () => store.deleteApiMapping(domain.domainName, mapping.apiMappingId)],
          ['deleteDomainName', () => store.deleteDomainName(domain.domainName)],
        ];

        for (const [what, change] of changes) {
          const before = calls;
          await change();
          await waitFor(() => calls > before, `a watch notification after ${what}`);
        }
        stop();
      });

      it('tells every listener', async () => {
        let first = 0;
        let second = 0;
        const stops = [store.watch(() => (first += 1)), store.watch(() => (second += 1))];

        await store.createApi(httpApi());

        await waitFor(() => first > 0 && second > 0, 'both listeners to be called');
        for (const stop of stops) stop();
      });

      it('stops telling a listener once it unsubscribes', async () => {
        let stopped = 0;
        let active = 0;
        const stop = store.watch(() => (stopped += 1));
        const stopActive = store.watch(() => (active += 1));
        await store.createApi(restApi());
        await waitFor(() => stopped > 0 && active > 0, 'both listeners to be called');

        stop();
        stop();
        const stoppedBefore = stopped;
        const activeBefore = active;
        await store.createApi(restApi());
        await waitFor(() => active > activeBefore, 'the remaining listener to be called');
        await settle();

        expect(stopped).toBe(stoppedBefore);
        stopActive();
      });

      it('treats the same function watching twice as two subscriptions', async () => {
        let calls = 0;
        const listener = (): void => {
          calls += 1;
        };
        const stopFirst = store.watch(listener);
        const stopSecond = store.watch(listener);
        stopFirst();

        await store.createApi(restApi());

        await waitFor(() => calls > 0, 'the remaining subscription to be called');
        stopSecond();
      });

      it('keeps working, and keeps telling other listeners, when a listener throws', async () => {
        let calls = 0;
        const stopThrowing = store.watch(() => {
          throw new Error('listener failure');
        });
        const stop = store.watch(() => (calls += 1));
        const api = restApi();

        await store.createApi(api);
        await waitFor(() => calls > 0, 'the healthy listener to be called');
        await store.updateApi({ ...api, name: 'Still writable' });
        await waitFor(() => calls > 1, 'the healthy listener to be called again');

        expect((await store.getApi(api.id))?.name).toBe('Still writable');
        stopThrowing();
        stop();
      });
    });

    describe('lifecycle', () => {
      it('rejects work after close, and closing twice is harmless', async () => {
        await store.createApi(restApi());
        await store.close();
        await store.close();

        await expect(store.listApis()).rejects.toThrow();
        await expect(store.createApi(restApi())).rejects.toThrow();
      });

      // A store whose subject cannot reopen is checked on the same instance.
      it('keeps everything across a close and reopen', async () => {
        const rest = await deployedApi();
        const http = await deployedApi(httpApi());
        const later = deploymentOf(rest.api, { createdDate: rest.deployment.createdDate + 10 });
        await store.createDeployment(later);
        const stages = [
          stageOf(rest.api, 'prod', { deploymentId: later.id }),
          stageOf(http.api, '$default', { deploymentId: http.deployment.id, autoDeploy: true }),
        ];
        for (const stage of stages) await store.putStage(stage);
        let reopened = store;
        if (subject.reopen) {
          await store.close();
          reopened = await subject.reopen();
        }

        expect((await reopened.listApis()).sort(byApiId)).toEqual([rest.api, http.api].sort(byApiId));
        expect(await reopened.listDeployments(apiIdOf(rest.api))).toEqual([rest.deployment, later]);
        expect(await reopened.getDeployment(apiIdOf(http.api), http.deployment.id)).toEqual(http.deployment);
        expect((await reopened.listStages()).sort(byStageKey)).toEqual([...stages].sort(byStageKey));
        await expect(reopened.deleteDeployment(apiIdOf(rest.api), later.id)).rejects.toBeInstanceOf(
          ConflictError,
        );
        await reopened.close();
      });
      it('rejects API key and usage plan work after close', async () => {
        const key = apiKey();
        const plan = usagePlan();
        await store.createApiKey(key);
        await store.createUsagePlan(plan);
        await store.close();

        await expect(store.listApiKeys()).rejects.toThrow();
        await expect(store.getApiKeyByValue(key.value)).rejects.toThrow();
        await expect(store.createApiKey(apiKey())).rejects.toThrow();
        await expect(store.listUsagePlans()).rejects.toThrow();
        await expect(store.addUsagePlanKey(plan.id, key.id)).rejects.toThrow();
        await expect(store.listUsagePlanKeys()).rejects.toThrow();
      });

      it('keeps API keys, usage plans and their keys across a close and reopen', async () => {
        const keys = [apiKey(), apiKey({ enabled: false })];
        const plans = [usagePlan(), usagePlan({ name: 'Free', apiStages: [] })];
        for (const key of keys) await store.createApiKey(key);
        for (const plan of plans) await store.createUsagePlan(plan);
        const links = keys.map((key) => ({ usagePlanId: plans[0]!.id, keyId: key.id }));
        for (const link of links) await store.addUsagePlanKey(link.usagePlanId, link.keyId);
        let reopened = store;
        if (subject.reopen) {
          await store.close();
          reopened = await subject.reopen();
        }

        expect(sortedById(await reopened.listApiKeys())).toEqual(sortedById(keys));
        expect(await reopened.getApiKeyByValue(keys[1]!.value)).toEqual(keys[1]);
        expect(sortedById(await reopened.listUsagePlans())).toEqual(sortedById(plans));
        expect(sortedLinks(await reopened.listUsagePlanKeys())).toEqual(sortedLinks(links));
        await expect(reopened.createApiKey(apiKey({ value: keys[0]!.value }))).rejects.toBeInstanceOf(
          ConflictError,
        );
        await reopened.close();
      });

      it('rejects domain name and API mapping work after close', async () => {
        await store.close();

        await expect(store.listDomainNames()).rejects.toThrow();
        await expect(store.createDomainName(domainName())).rejects.toThrow();
        await expect(store.listApiMappings()).rejects.toThrow();
      });

      it('keeps domain names and API mappings across a close and reopen', async () => {
        const api = httpApi();
        await store.createApi(api);
        const domains = [domainName(), domainName()];
        for (const domain of domains) await store.createDomainName(domain);
        const mappings = [
          apiMapping(domains[0]!, api, { apiMappingKey: '', stage: '$default' }),
          apiMapping(domains[1]!, api, { apiMappingKey: 'orders/v2' }),
        ];
        for (const mapping of mappings) await store.createApiMapping(mapping);
        let reopened = store;
        if (subject.reopen) {
          await store.close();
          reopened = await subject.reopen();
        }

        expect(sortedDomains(await reopened.listDomainNames())).toEqual(sortedDomains(domains));
        expect(sortedMappings(await reopened.listApiMappings())).toEqual(sortedMappings(mappings));
        await expect(
          reopened.createApiMapping(apiMapping(domains[0]!, api, { apiMappingKey: '' })),
        ).rejects.toBeInstanceOf(ConflictError);
        await reopened.close();
      });
    });
  });
}

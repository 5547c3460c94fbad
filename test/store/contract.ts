// The behaviour every ConfigStore must have, whatever holds the data. Each implementation
// runs this suite from its own test file; nothing here may depend on how a store is built.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiIdOf, type Api, type Deployment, type Stage } from '../../src/model/api.js';
import { ConflictError, NotFoundError, type ConfigStore } from '../../src/store/config-store.js';
import { deploymentOf, httpApi, restApi, stageOf } from './fixtures.js';
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
    });
  });
}

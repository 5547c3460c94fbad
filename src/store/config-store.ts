// The configuration store: APIs, their immutable deployments, and stages. SQLite is the
// embedded default; PostgreSQL serves several gateway nodes. Both pass test/store/contract.ts.
import type { Api, Deployment, Stage } from '../model/api.js';

export class ConflictError extends Error {
  override name = 'ConflictError';
}
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export interface ConfigStore {
  /** Creates an API; ConflictError if its id exists. */
  createApi(api: Api): Promise<void>;
  /** Replaces an existing API's definition; NotFoundError if it does not exist. */
  updateApi(api: Api): Promise<void>;
  getApi(apiId: string): Promise<Api | undefined>;
  listApis(): Promise<Api[]>;
  /** Deletes an API with its deployments and stages; NotFoundError if it does not exist. */
  deleteApi(apiId: string): Promise<void>;

  /** Stores a deployment; NotFoundError if its API does not exist, ConflictError if the id is taken. */
  createDeployment(deployment: Deployment): Promise<void>;
  getDeployment(apiId: string, deploymentId: string): Promise<Deployment | undefined>;
  /** Deployments of an API, oldest first. */
  listDeployments(apiId: string): Promise<Deployment[]>;
  /** Deletes a deployment; ConflictError while a stage points at it. */
  deleteDeployment(apiId: string, deploymentId: string): Promise<void>;

  /** Creates or replaces a stage; NotFoundError if its API or deployment does not exist. */
  putStage(stage: Stage): Promise<void>;
  getStage(apiId: string, stageName: string): Promise<Stage | undefined>;
  /** Stages of one API, or of every API when apiId is omitted. */
  listStages(apiId?: string): Promise<Stage[]>;
  deleteStage(apiId: string, stageName: string): Promise<void>;

  /**
   * Calls `listener` soon after any change to the configuration, made by this process or
   * another one sharing the store. Returns a function that stops watching.
   */
  watch(listener: () => void): () => void;
  close(): Promise<void>;
}

// The configuration store: APIs, their immutable deployments, and stages. SQLite is the
// embedded default; PostgreSQL serves several gateway nodes. Both pass test/store/contract.ts.
import type { Api, Deployment, Stage } from '../model/api.js';
import type { ApiMapping, DomainName } from '../model/domain-names.js';
import type { ApiKey, UsagePlan, UsagePlanKey } from '../model/usage-plans.js';

export class ConflictError extends Error {
  override name = 'ConflictError';
}
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}
/**
 * The store cannot be reached (PostgreSQL down, connection lost). Reads and writes fail with it;
 * the management API answers 503 and the data plane keeps serving what it last loaded.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
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
  /**
   * Sets (or, with undefined, removes) a deployment's description: the one thing about a
   * deployment that can change after it is made. NotFoundError if it does not exist.
   */
  describeDeployment(
    apiId: string,
    deploymentId: string,
    description: string | undefined,
  ): Promise<Deployment>;
  /** Deletes a deployment; ConflictError while a stage points at it. */
  deleteDeployment(apiId: string, deploymentId: string): Promise<void>;

  /** Creates or replaces a stage; NotFoundError if its API or deployment does not exist. */
  putStage(stage: Stage): Promise<void>;
  getStage(apiId: string, stageName: string): Promise<Stage | undefined>;
  /** Stages of one API, or of every API when apiId is omitted. */
  listStages(apiId?: string): Promise<Stage[]>;
  deleteStage(apiId: string, stageName: string): Promise<void>;

  /**
   * Creates an API key. ConflictError if its id is taken, or with AWS's message
   * `API Key already exists` if another key has the same value.
   */
  createApiKey(key: ApiKey): Promise<void>;
  getApiKey(keyId: string): Promise<ApiKey | undefined>;
  /** The key a client presents, found by its value. */
  getApiKeyByValue(value: string): Promise<ApiKey | undefined>;
  listApiKeys(): Promise<ApiKey[]>;
  /**
   * Replaces an existing key; NotFoundError if it does not exist, ConflictError if its value
   * is another key's.
   */
  updateApiKey(key: ApiKey): Promise<void>;
  /** Deletes a key and takes it out of every usage plan; NotFoundError if it does not exist. */
  deleteApiKey(keyId: string): Promise<void>;

  /** Creates a usage plan; ConflictError if its id is taken. */
  createUsagePlan(plan: UsagePlan): Promise<void>;
  getUsagePlan(usagePlanId: string): Promise<UsagePlan | undefined>;
  listUsagePlans(): Promise<UsagePlan[]>;
  /** Replaces an existing plan, keeping its keys; NotFoundError if it does not exist. */
  updateUsagePlan(plan: UsagePlan): Promise<void>;
  /** Deletes a plan with its key memberships (the keys stay); NotFoundError if it does not exist. */
  deleteUsagePlan(usagePlanId: string): Promise<void>;

  /**
   * Puts a key in a usage plan. NotFoundError if the plan or the key does not exist,
   * ConflictError if the key is already in the plan.
   */
  addUsagePlanKey(usagePlanId: string, keyId: string): Promise<void>;
  /** Takes a key out of a plan; NotFoundError if the plan does not exist or the key is not in it. */
  removeUsagePlanKey(usagePlanId: string, keyId: string): Promise<void>;
  /**
   * The keys of one plan (none for a plan that does not exist, as AWS's GetUsagePlanKeys
   * answers), or every plan's keys when usagePlanId is omitted.
   */
  listUsagePlanKeys(usagePlanId?: string): Promise<UsagePlanKey[]>;

  /** Creates a custom domain name; ConflictError if it exists. */
  createDomainName(domain: DomainName): Promise<void>;
  getDomainName(domainName: string): Promise<DomainName | undefined>;
  listDomainNames(): Promise<DomainName[]>;
  /** Replaces an existing domain name; NotFoundError if it does not exist. */
  updateDomainName(domain: DomainName): Promise<void>;
  /** Deletes a domain name with its API mappings; NotFoundError if it does not exist. */
  deleteDomainName(domainName: string): Promise<void>;

  /**
   * Maps a base path of a domain to an API stage. NotFoundError if the domain or the API does
   * not exist, ConflictError if the domain already maps that base path (or the id is taken).
   */
  createApiMapping(mapping: ApiMapping): Promise<void>;
  getApiMapping(domainName: string, apiMappingId: string): Promise<ApiMapping | undefined>;
  /** Mappings of one domain, or of every domain when domainName is omitted. */
  listApiMappings(domainName?: string): Promise<ApiMapping[]>;
  /** Replaces an existing mapping; NotFoundError if it does not exist, ConflictError as create. */
  updateApiMapping(mapping: ApiMapping): Promise<void>;
  deleteApiMapping(domainName: string, apiMappingId: string): Promise<void>;

  /**
   * Calls `listener` soon after any change to the configuration, made by this process or
   * another one sharing the store. Returns a function that stops watching.
   */
  watch(listener: () => void): () => void;
  close(): Promise<void>;
}

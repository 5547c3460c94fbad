// Reading the JSON documents a config store keeps in its rows back into model objects. Each
// store keeps an object as JSON text next to the columns it is looked up by; this checks that
// the two agree, so a damaged row is reported with its table and key instead of being served.
import { apiIdOf, type Api, type Deployment, type Stage } from '../model/api.js';
import type { ApiMapping, DomainName } from '../model/domain-names.js';
import type { ApiKey, UsagePlan } from '../model/usage-plans.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class DocumentReader {
  /** `location` names the store in error messages: a file path, or a URL without its password. */
  constructor(private readonly location: string) {}

  api(id: string, text: unknown): Api {
    const value = this.decode('apis', id, text);
    if (value.protocolType !== 'REST' && value.protocolType !== 'HTTP') {
      throw this.damaged('apis', id, `an API whose protocolType is ${JSON.stringify(value.protocolType)}`);
    }
    const api = value as unknown as Api;
    if (apiIdOf(api) !== id) {
      throw this.damaged('apis', id, `an API whose id is ${JSON.stringify(apiIdOf(api))}`);
    }
    return api;
  }

  deployment(apiId: string, id: string, text: unknown): Deployment {
    const key = `${apiId}/${id}`;
    const value = this.decode('deployments', key, text);
    if (value.id !== id || value.apiId !== apiId) {
      throw this.damaged('deployments', key, `deployment ${String(value.id)} of API ${String(value.apiId)}`);
    }
    if (!isObject(value.api)) throw this.damaged('deployments', key, 'a deployment without an API snapshot');
    return value as unknown as Deployment;
  }

  stage(apiId: string, stageName: string, text: unknown): Stage {
    const key = `${apiId}/${stageName}`;
    const value = this.decode('stages', key, text);
    if (value.stageName !== stageName || value.apiId !== apiId) {
      throw this.damaged('stages', key, `stage ${String(value.stageName)} of API ${String(value.apiId)}`);
    }
    if (!isObject(value.variables)) throw this.damaged('stages', key, 'a stage without variables');
    return value as unknown as Stage;
  }

  apiKey(id: string, keyValue: string, text: unknown): ApiKey {
    const value = this.decode('api_keys', id, text);
    if (value.id !== id) {
      throw this.damaged('api_keys', id, `an API key whose id is ${JSON.stringify(value.id)}`);
    }
    if (value.value !== keyValue) throw this.damaged('api_keys', id, 'an API key with another value');
    if (typeof value.enabled !== 'boolean') {
      throw this.damaged('api_keys', id, 'an API key without a boolean enabled');
    }
    return value as unknown as ApiKey;
  }

  usagePlan(id: string, text: unknown): UsagePlan {
    const value = this.decode('usage_plans', id, text);
    if (value.id !== id) {
      throw this.damaged('usage_plans', id, `a usage plan whose id is ${JSON.stringify(value.id)}`);
    }
    if (!Array.isArray(value.apiStages))
      throw this.damaged('usage_plans', id, 'a usage plan without apiStages');
    return value as unknown as UsagePlan;
  }

  domainName(name: string, text: unknown): DomainName {
    const value = this.decode('domain_names', name, text);
    if (value.domainName !== name) {
      throw this.damaged(
        'domain_names',
        name,
        `a domain name whose name is ${JSON.stringify(value.domainName)}`,
      );
    }
    return value as unknown as DomainName;
  }

  apiMapping(domainName: string, id: string, text: unknown): ApiMapping {
    const key = `${domainName}/${id}`;
    const value = this.decode('api_mappings', key, text);
    if (value.apiMappingId !== id || value.domainName !== domainName) {
      throw this.damaged(
        'api_mappings',
        key,
        `API mapping ${String(value.apiMappingId)} of domain name ${String(value.domainName)}`,
      );
    }
    if (typeof value.apiMappingKey !== 'string') {
      throw this.damaged('api_mappings', key, 'an API mapping without a base path');
    }
    return value as unknown as ApiMapping;
  }

  /** Parsing afresh on every read is also what makes each returned object the caller's own copy. */
  private decode(table: string, key: string, text: unknown): Record<string, unknown> {
    if (typeof text !== 'string') throw this.damaged(table, key, `a ${typeof text} where JSON text belongs`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw this.damaged(table, key, `invalid JSON (${messageOf(error)})`);
    }
    if (!isObject(value)) throw this.damaged(table, key, 'JSON that is not an object');
    return value;
  }

  private damaged(table: string, key: string, problem: string): Error {
    return new Error(
      `Gatehouse config store ${this.location}: row ${key} of table ${table} holds ${problem}`,
    );
  }
}

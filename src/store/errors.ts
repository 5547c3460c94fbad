// The NotFoundError and ConflictError messages every store gives, worded as AWS words them where
// AWS has a message, so the management API can pass them on unchanged.
import { ConflictError, NotFoundError } from './config-store.js';

export const apiNotFound = (apiId: string): NotFoundError =>
  new NotFoundError(`Invalid API identifier specified: ${apiId}`);

export const deploymentNotFound = (apiId: string, deploymentId: string): NotFoundError =>
  new NotFoundError(`Invalid deployment identifier specified: deployment ${deploymentId} of API ${apiId}`);

export const stageNotFound = (apiId: string, stageName: string): NotFoundError =>
  new NotFoundError(`Invalid stage identifier specified: stage ${stageName} of API ${apiId}`);

export const apiKeyNotFound = (keyId: string): NotFoundError =>
  new NotFoundError(`Invalid API Key identifier specified: ${keyId}`);

export const usagePlanNotFound = (usagePlanId: string): NotFoundError =>
  new NotFoundError(`Invalid Usage Plan ID specified: ${usagePlanId}`);

export const usagePlanKeyNotFound = (usagePlanId: string, keyId: string): NotFoundError =>
  new NotFoundError(
    `Invalid Usage Plan Key identifier specified: API key ${keyId} is not in usage plan ${usagePlanId}`,
  );

export const domainNameNotFound = (domainName: string): NotFoundError =>
  new NotFoundError(`Invalid domain name identifier specified: ${domainName}`);

export const apiMappingNotFound = (domainName: string, apiMappingId: string): NotFoundError =>
  new NotFoundError(
    `Invalid API mapping identifier specified: API mapping ${apiMappingId} of domain name ${domainName}`,
  );

export const apiExists = (apiId: string): ConflictError => new ConflictError(`API ${apiId} already exists`);

export const deploymentExists = (apiId: string, deploymentId: string): ConflictError =>
  new ConflictError(`Deployment ${deploymentId} already exists for API ${apiId}`);

export const deploymentInUse = (): ConflictError =>
  new ConflictError('Active stages pointing to this deployment must be moved or deleted');

export const apiKeyIdExists = (keyId: string): ConflictError =>
  new ConflictError(`API key ${keyId} already exists`);

/** AWS's wording when another key already has the value. */
export const apiKeyValueExists = (): ConflictError => new ConflictError('API Key already exists');

export const usagePlanExists = (usagePlanId: string): ConflictError =>
  new ConflictError(`Usage plan ${usagePlanId} already exists`);

export const usagePlanKeyExists = (usagePlanId: string, keyId: string): ConflictError =>
  new ConflictError(`API key ${keyId} is already in usage plan ${usagePlanId}`);

export const domainNameExists = (): ConflictError =>
  new ConflictError('The domain name you provided already exists.');

export const apiMappingIdExists = (domainName: string, apiMappingId: string): ConflictError =>
  new ConflictError(`API mapping ${apiMappingId} already exists for domain name ${domainName}`);

export const basePathExists = (): ConflictError =>
  new ConflictError('Base path already exists for this domain name');

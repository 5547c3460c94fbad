// What Gatehouse keeps from an OpenAPI file but does not act on yet. Import says so in one
// warning per place it is used. When a feature starts being enforced, add it to ENFORCED and
// those warnings stop.

const SUBJECTS = {
  authorizers: () => 'authorizers are',
  methodAuthorizer: (name: string) => `authorizer "${name}" is`,
  iamAuthorization: () => 'IAM authorization is',
  apiKeyRequired: () => 'the API key requirement is',
  apiKeySourceAuthorizer: () => 'API keys supplied by an authorizer are',
  mappingTemplates: () => 'mapping templates are',
  responseParameterMappings: () => 'response parameter mappings are',
  httpApiResponseParameterMappings: () => 'response parameter mappings are',
  contentHandling: () => 'content handling is',
  awsIntegrations: (type: string) => `integration type "${type}" is`,
  requestValidation: () => 'request validation is',
  gatewayResponses: () => 'gateway responses are',
  cors: () => 'the CORS configuration is',
  resourcePolicy: () => 'the resource policy is',
  compression: () => 'response compression is',
} satisfies Record<string, (detail: string) => string>;

export type LaterFeature = keyof typeof SUBJECTS;

/** Features that have landed: import no longer warns about them. */
export const ENFORCED: ReadonlySet<LaterFeature> = new Set<LaterFeature>([
  'mappingTemplates',
  'responseParameterMappings',
  'httpApiResponseParameterMappings',
  'requestValidation',
  'gatewayResponses',
  'cors',
  'compression',
  'awsIntegrations',
  'contentHandling',
  'authorizers',
  'methodAuthorizer',
  'resourcePolicy',
  'apiKeyRequired',
  'apiKeySourceAuthorizer',
  'iamAuthorization',
]);

/** The warning for `feature` used at `at`, or undefined once the feature is enforced. */
export function notYetEnforcedWarning(at: string, feature: LaterFeature, detail = ''): string | undefined {
  if (ENFORCED.has(feature)) return undefined;
  return `${at}: ${SUBJECTS[feature](detail)} stored but not yet enforced`;
}

// Custom domain names and the mappings from a host + base path to an API stage. One model serves
// both services: `apigateway` (DomainName, BasePathMapping) and `apigatewayv2` (DomainName,
// ApiMapping) describe the same thing with different field names, and AWS itself lets a v1
// base path mapping and a v2 API mapping share one domain.
import { Type, type Static } from '@sinclair/typebox';
import { literals } from './enum.js';
import { newId } from './ids.js';

export const ENDPOINT_TYPES = ['REGIONAL', 'EDGE', 'PRIVATE'] as const;

export const MutualTlsAuthenticationSchema = Type.Object({
  /** Where the PEM bundle of trusted client CAs is: a file path or `file://` URI on the gateway host. */
  truststoreUri: Type.String({ minLength: 1 }),
  truststoreVersion: Type.Optional(Type.String()),
});
export type MutualTlsAuthentication = Static<typeof MutualTlsAuthenticationSchema>;

export const DomainNameSchema = Type.Object({
  domainName: Type.String({ pattern: '^(\\*\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$', maxLength: 253 }),
  createdDate: Type.Integer(),
  endpointType: literals(ENDPOINT_TYPES),
  /**
   * The certificate as AWS names it (an ACM ARN) or as Gatehouse does: a name from the config
   * file's `certificates`. Absent: the domain is served on plain HTTP only.
   */
  certificateArn: Type.Optional(Type.String()),
  certificateName: Type.Optional(Type.String()),
  securityPolicy: Type.Optional(literals(['TLS_1_0', 'TLS_1_2'] as const)),
  mutualTlsAuthentication: Type.Optional(MutualTlsAuthenticationSchema),
  /** apigatewayv2's apiMappingSelectionExpression; always `$request.basepath` on AWS. */
  apiMappingSelectionExpression: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Fields of AWS's DomainName stored and returned as given. */
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type DomainName = Static<typeof DomainNameSchema>;

export const ApiMappingSchema = Type.Object({
  domainName: Type.String({ minLength: 1 }),
  apiMappingId: Type.String({ minLength: 1 }),
  /** The base path without slashes; '' maps the domain's root (v1 shows it as `(none)`). */
  apiMappingKey: Type.String({ pattern: '^([A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*)?$' }),
  apiId: Type.String({ minLength: 1 }),
  stage: Type.String({ minLength: 1 }),
});
export type ApiMapping = Static<typeof ApiMappingSchema>;

/** v1 shows the root mapping's base path as `(none)`. */
export const ROOT_BASE_PATH = '(none)';

export const newApiMappingId = (): string => newId(6);

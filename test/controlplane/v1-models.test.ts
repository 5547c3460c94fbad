// v1 Models, RequestValidators and GatewayResponses through the AWS SDK and the AWS CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateRestApiCommand,
  DeleteGatewayResponseCommand,
  DeleteModelCommand,
  DeleteRequestValidatorCommand,
  GetGatewayResponseCommand,
  GetGatewayResponsesCommand,
  GetModelCommand,
  GetModelsCommand,
  GetModelTemplateCommand,
  GetRequestValidatorCommand,
  GetRequestValidatorsCommand,
  NotFoundException,
  PutGatewayResponseCommand,
  UpdateGatewayResponseCommand,
  UpdateModelCommand,
  UpdateRequestValidatorCommand,
} from '@aws-sdk/client-api-gateway';
import type { RestApi } from '../../src/model/rest-api.js';
import { awsCliAvailable } from '../helpers/services.js';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';

const hasAwsCli = awsCliAvailable();
let m: TestManagement;
let apiId: string;
beforeAll(async () => {
  m = await startTestManagement();
  apiId = (await m.v1.send(new CreateRestApiCommand({ name: 'models' }))).id!;
});
afterAll(() => m.close());

const PET = JSON.stringify({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } });

describe('Models', () => {
  it('creates, reads, lists, patches and deletes a model', async () => {
    const created = await m.v1.send(
      new CreateModelCommand({ restApiId: apiId, name: 'Pet', contentType: 'application/json', schema: PET }),
    );
    expect(created).toMatchObject({ name: 'Pet', contentType: 'application/json', schema: PET });
    expect(created.id).toMatch(/^[a-z0-9]{6}$/);
    expect((await m.v1.send(new GetModelCommand({ restApiId: apiId, modelName: 'Pet' }))).schema).toBe(PET);
    const list = await m.v1.send(new GetModelsCommand({ restApiId: apiId }));
    expect(list.items?.map((model) => model.name)).toContain('Pet');

    const schema = JSON.stringify({ type: 'object' });
    const patched = await m.v1.send(
      new UpdateModelCommand({
        restApiId: apiId,
        modelName: 'Pet',
        patchOperations: [
          { op: 'replace', path: '/schema', value: schema },
          { op: 'replace', path: '/description', value: 'a pet' },
        ],
      }),
    );
    expect(patched).toMatchObject({ schema, description: 'a pet' });

    await m.v1.send(new DeleteModelCommand({ restApiId: apiId, modelName: 'Pet' }));
    const missing = await m.v1
      .send(new GetModelCommand({ restApiId: apiId, modelName: 'Pet' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe('Invalid model name specified: Pet');
  });

  it('refuses a schema that is not JSON, a taken name, and deleting a model a method uses', async () => {
    const notJson = await m.v1
      .send(
        new CreateModelCommand({
          restApiId: apiId,
          name: 'Bad',
          contentType: 'application/json',
          schema: '{oops',
        }),
      )
      .catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(BadRequestException);
    expect((notJson as Error).message).toBe(
      'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]',
    );

    await m.v1.send(
      new CreateModelCommand({
        restApiId: apiId,
        name: 'Used',
        contentType: 'application/json',
        schema: PET,
      }),
    );
    const taken = await m.v1
      .send(
        new CreateModelCommand({
          restApiId: apiId,
          name: 'Used',
          contentType: 'application/json',
          schema: PET,
        }),
      )
      .catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(ConflictException);

    const api = (await m.store.getApi(apiId)) as RestApi;
    api.resources[0]!.resourceMethods['POST'] = {
      httpMethod: 'POST',
      authorizationType: 'NONE',
      apiKeyRequired: false,
      requestModels: { 'application/json': 'Used' },
    };
    await m.store.updateApi(api);
    const inUse = await m.v1
      .send(new DeleteModelCommand({ restApiId: apiId, modelName: 'Used' }))
      .catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(ConflictException);
    expect((inUse as Error).message).toBe(
      "Cannot delete model 'Used', is referenced in method request: //POST",
    );

    const template = await m.v1
      .send(new GetModelTemplateCommand({ restApiId: apiId, modelName: 'Used' }))
      .catch((e: unknown) => e);
    expect((template as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(501);
  });
});

describe('RequestValidators', () => {
  it('creates, reads, lists, patches and deletes a validator', async () => {
    const created = await m.v1.send(
      new CreateRequestValidatorCommand({ restApiId: apiId, name: 'body', validateRequestBody: true }),
    );
    expect(created).toMatchObject({
      name: 'body',
      validateRequestBody: true,
      validateRequestParameters: false,
    });
    const id = created.id!;
    expect(
      (await m.v1.send(new GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: id }))).name,
    ).toBe('body');
    const list = await m.v1.send(new GetRequestValidatorsCommand({ restApiId: apiId }));
    expect(list.items?.map((v) => v.id)).toEqual([id]);
    const patched = await m.v1.send(
      new UpdateRequestValidatorCommand({
        restApiId: apiId,
        requestValidatorId: id,
        patchOperations: [{ op: 'replace', path: '/validateRequestParameters', value: 'true' }],
      }),
    );
    expect(patched.validateRequestParameters).toBe(true);
    await m.v1.send(new DeleteRequestValidatorCommand({ restApiId: apiId, requestValidatorId: id }));
    const missing = await m.v1
      .send(new GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: id }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe('Invalid Request Validator identifier specified');
  });

  it.runIf(hasAwsCli)('works from the AWS CLI', async () => {
    const created = await m.aws([
      'apigateway',
      'create-request-validator',
      '--rest-api-id',
      apiId,
      '--name',
      'params',
      '--validate-request-parameters',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json).toMatchObject({
      name: 'params',
      validateRequestParameters: true,
      validateRequestBody: false,
    });
  });
});

describe('GatewayResponses', () => {
  it('lists all 21 types with their defaults', async () => {
    const list = await m.v1.send(new GetGatewayResponsesCommand({ restApiId: apiId }));
    expect(list.items).toHaveLength(21);
    expect(list.items?.every((item) => item.defaultResponse === true)).toBe(true);
    const denied = list.items?.find((item) => item.responseType === 'ACCESS_DENIED');
    expect(denied).toMatchObject({
      statusCode: '403',
      responseParameters: {},
      responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
    });
    expect(list.items?.find((item) => item.responseType === 'DEFAULT_4XX')?.statusCode).toBeUndefined();
  });

  it('puts, reads, patches and deletes a custom response, stored where the data plane reads it', async () => {
    const put = await m.v1.send(
      new PutGatewayResponseCommand({
        restApiId: apiId,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseTemplates: { 'application/json': '{"error":"no such route"}' },
      }),
    );
    expect(put).toMatchObject({
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: '404',
      defaultResponse: false,
    });
    const api = (await m.store.getApi(apiId)) as RestApi;
    expect(api.gatewayResponses?.['MISSING_AUTHENTICATION_TOKEN']).toMatchObject({ statusCode: '404' });

    const patched = await m.v1.send(
      new UpdateGatewayResponseCommand({
        restApiId: apiId,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        patchOperations: [
          { op: 'add', path: '/responseParameters/gatewayresponse.header.x-why', value: "'missing'" },
          { op: 'replace', path: '/statusCode', value: '410' },
        ],
      }),
    );
    expect(patched).toMatchObject({
      statusCode: '410',
      responseParameters: { 'gatewayresponse.header.x-why': "'missing'" },
    });

    // A configured DEFAULT_4XX shows through the 4XX types left at their default.
    await m.v1.send(
      new PutGatewayResponseCommand({
        restApiId: apiId,
        responseType: 'DEFAULT_4XX',
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
      }),
    );
    const throttled = await m.v1.send(
      new GetGatewayResponseCommand({ restApiId: apiId, responseType: 'THROTTLED' }),
    );
    expect(throttled).toMatchObject({
      defaultResponse: true,
      statusCode: '429',
      responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
    });

    await m.v1.send(
      new DeleteGatewayResponseCommand({ restApiId: apiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }),
    );
    const reset = await m.v1.send(
      new GetGatewayResponseCommand({ restApiId: apiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }),
    );
    expect(reset).toMatchObject({ defaultResponse: true, statusCode: '403' });
  });

  it('refuses an unknown type and a bad header mapping', async () => {
    const unknown = await m.v1
      .send(new GetGatewayResponseCommand({ restApiId: apiId, responseType: 'NOPE' as never }))
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(BadRequestException);
    expect((unknown as Error).message).toContain(
      "Value 'NOPE' at 'responseType' failed to satisfy constraint",
    );
    const badHeader = await m.v1
      .send(
        new PutGatewayResponseCommand({
          restApiId: apiId,
          responseType: 'THROTTLED',
          responseParameters: { 'x-header': "'a'" },
        }),
      )
      .catch((e: unknown) => e);
    expect(badHeader).toBeInstanceOf(BadRequestException);
    expect((badHeader as Error).message).toContain('gatewayresponse.header.NAME');
  });
});

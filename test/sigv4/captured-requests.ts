// Requests the AWS CLI (v2 2.9.19 and v1 1.45.11) and the AWS SDK for JavaScript v3 really sent
// to a local endpoint with access key `test`, secret `test`, region us-east-1, service
// `apigateway` (recorded in shared/reference/dependencies.md §3). Their signatures were made by
// the real clients, so a verifier that accepts them canonicalises as AWS's own clients do.
import type { IncomingHttpHeaders } from 'node:http';

export interface CapturedRequest {
  client: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const HOST = '127.0.0.1:9999';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const authorization = (date: string, signedHeaders: string, signature: string) =>
  `AWS4-HMAC-SHA256 Credential=test/${date.slice(0, 8)}/us-east-1/apigateway/aws4_request, ` +
  `SignedHeaders=${signedHeaders}, Signature=${signature}`;

export const capturedRequests: CapturedRequest[] = [
  {
    client: 'SDK v3 GetRestApis',
    method: 'GET',
    path: '/restapis?limit=10',
    headers: {
      accept: 'application/json',
      'x-amz-user-agent': 'aws-sdk-js/3.1141.0',
      'user-agent':
        'aws-sdk-js/3.1141.0 ua/2.1 os/linux#6.18.44-fc-v595 lang/js md/nodejs#20.20.2 api/api-gateway#3.1141.0 m/N,E,e',
      host: HOST,
      'amz-sdk-invocation-id': '4561cf01-46b2-4f52-9fbb-c9cf37bde5a4',
      'amz-sdk-request': 'attempt=1; max=1',
      'x-amz-date': '20261125T215650Z',
      'x-amz-content-sha256': EMPTY_SHA256,
      authorization: authorization(
        '20261125T215650Z',
        'accept;amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent',
        '28f0c1420bf5729649249da512e0cea7deb7479ae2077a41b5e938e16a596628',
      ),
      connection: 'keep-alive',
    },
    body: '',
  },
  {
    client: 'SDK v3 CreateRestApi',
    method: 'POST',
    path: '/restapis',
    headers: {
      'content-type': 'application/json',
      'content-length': '80',
      accept: 'application/json',
      'x-amz-user-agent': 'aws-sdk-js/3.1141.0',
      'user-agent':
        'aws-sdk-js/3.1141.0 ua/2.1 os/linux#6.18.44-fc-v595 lang/js md/nodejs#20.20.2 api/api-gateway#3.1141.0 m/N,E,e',
      host: HOST,
      'amz-sdk-invocation-id': '85398740-2291-4d00-ab6f-f1d732586278',
      'amz-sdk-request': 'attempt=1; max=1',
      'x-amz-date': '20261125T215650Z',
      'x-amz-content-sha256': '581b97fcf32551e845304622b8631a3d4e718d7fb5b24719baf1f73151f8f108',
      authorization: authorization(
        '20261125T215650Z',
        'accept;amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent',
        '3ce2ae663a9a2e36a2473b405a134fc8234f1256f25001543165bc8e0e38d9e2',
      ),
      connection: 'keep-alive',
    },
    body: '{"name":"pets","description":"d","endpointConfiguration":{"types":["REGIONAL"]}}',
  },
  {
    client: 'SDK v3 GetApis (v2)',
    method: 'GET',
    path: '/v2/apis',
    headers: {
      'x-amz-user-agent': 'aws-sdk-js/3.1168.0',
      'user-agent':
        'aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v595 lang/js md/nodejs#20.20.2 api/apigatewayv2#3.1168.0 m/N,E,e',
      host: HOST,
      'amz-sdk-invocation-id': '9272169f-0b3a-4edb-ab14-d787ecc45072',
      'amz-sdk-request': 'attempt=1; max=1',
      'x-amz-date': '20261125T215650Z',
      'x-amz-content-sha256': EMPTY_SHA256,
      authorization: authorization(
        '20261125T215650Z',
        'amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent',
        '7ef63ef0df27fa1a0b94a4da47f7041a0e28cd98e6179cbde6d47db4221c054a',
      ),
      connection: 'keep-alive',
    },
    body: '',
  },
  {
    client: 'SDK v3 CreateApi (v2)',
    method: 'POST',
    path: '/v2/apis',
    headers: {
      'content-type': 'application/json',
      'content-length': '42',
      'x-amz-user-agent': 'aws-sdk-js/3.1168.0',
      'user-agent':
        'aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v595 lang/js md/nodejs#20.20.2 api/apigatewayv2#3.1168.0 m/N,E,e',
      host: HOST,
      'amz-sdk-invocation-id': '6f0f2cff-e958-4c42-a2f7-2156784a8d34',
      'amz-sdk-request': 'attempt=1; max=1',
      'x-amz-date': '20261125T215650Z',
      'x-amz-content-sha256': '8c93d097e25334ebed2eb67bc9462688765aea25a69944fb97a372eb7733f38f',
      authorization: authorization(
        '20261125T215650Z',
        'amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent',
        '833422ad4ac3daa3a0846d9915ceb4fde8a3e8ca3b7dd857c0dcfa1996cea9f0',
      ),
      connection: 'keep-alive',
    },
    body: '{"name":"http-pets","protocolType":"HTTP"}',
  },
  {
    client: 'CLI v2 get-rest-apis',
    method: 'GET',
    path: '/restapis',
    headers: {
      host: HOST,
      'accept-encoding': 'identity',
      'user-agent':
        'aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v595 source/x86_64.debian.12 prompt/off command/apigateway.get-rest-apis',
      accept: 'application/json',
      'x-amz-date': '20261125T215632Z',
      authorization: authorization(
        '20261125T215632Z',
        'accept;host;x-amz-date',
        'a6c8a316613d80662b0e78f126843ba90beca40483cfa9633faa0595056d4857',
      ),
    },
    body: '',
  },
  {
    client: 'CLI v2 apigatewayv2 get-apis',
    method: 'GET',
    path: '/v2/apis',
    headers: {
      host: HOST,
      'accept-encoding': 'identity',
      'user-agent':
        'aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v595 source/x86_64.debian.12 prompt/off command/apigatewayv2.get-apis',
      'x-amz-date': '20261125T215633Z',
      authorization: authorization(
        '20261125T215633Z',
        'host;x-amz-date',
        'b62123a848fead2be851518bb31f5acf86be4c0fb5de6acf54943970546d5e95',
      ),
    },
    body: '',
  },
  {
    client: 'CLI v2 create-rest-api',
    method: 'POST',
    path: '/restapis',
    headers: {
      host: HOST,
      'accept-encoding': 'identity',
      'content-type': 'application/json',
      'user-agent':
        'aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v595 source/x86_64.debian.12 prompt/off command/apigateway.create-rest-api',
      accept: 'application/json',
      'x-amz-date': '20261125T215633Z',
      authorization: authorization(
        '20261125T215633Z',
        'accept;content-type;host;x-amz-date',
        'b7c09dfaca18f46837a265c28552d6aad201bac7805da98761b98df04d9d4b10',
      ),
      'content-length': '66',
    },
    body: '{"name": "pets", "endpointConfiguration": {"types": ["REGIONAL"]}}',
  },
  {
    client: 'CLI v1 get-rest-apis',
    method: 'GET',
    path: '/restapis',
    headers: {
      host: HOST,
      'accept-encoding': 'identity',
      'user-agent':
        'aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v595 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/Z,g,C,b,N,D cfg/retry-mode#legacy botocore/1.43.11',
      accept: 'application/json',
      'x-amz-date': '20261125T215634Z',
      authorization: authorization(
        '20261125T215634Z',
        'accept;host;x-amz-date',
        'da5639b6c0a046f417fdce377d934777401cbf46cc326812667c769af05d7c7f',
      ),
      'amz-sdk-invocation-id': '1354bb8b-6bbf-4827-851e-5b2c4ca49fa4',
      'amz-sdk-request': 'attempt=1',
    },
    body: '',
  },
];

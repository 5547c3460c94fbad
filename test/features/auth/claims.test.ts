// `$context.authorizer.claims`: every claim as a string, as each API type renders them.
import { describe, expect, it } from 'vitest';
import { httpApiClaims, restClaims } from '../../../src/features/auth/claims.js';

const claims = {
  sub: 'cdad23f0-2ad6-4dc1-993d-bbb3f6f8c707',
  aud: 'clm2h5m9uemul1rcfmbidiv1j',
  email_verified: true,
  token_use: 'id',
  auth_time: 1469814773,
  exp: 1469818373,
  iat: 1469814773,
  'cognito:groups': ['admin', 'poweruser'],
  address: { country: 'NZ' },
  nickname: null,
};

describe('restClaims', () => {
  it('matches the Cognito claims AWS hands a REST API integration', () => {
    expect(restClaims(claims)).toEqual({
      sub: 'cdad23f0-2ad6-4dc1-993d-bbb3f6f8c707',
      aud: 'clm2h5m9uemul1rcfmbidiv1j',
      email_verified: 'true',
      token_use: 'id',
      auth_time: '1469814773',
      exp: 'Fri Jul 29 18:52:53 UTC 2016',
      iat: 'Fri Jul 29 17:52:53 UTC 2016',
      'cognito:groups': '[admin, poweruser]',
      address: '{"country":"NZ"}',
    });
  });

  it('pads the day of the month', () => {
    expect(restClaims({ exp: 1704326400 })['exp']).toBe('Thu Jan 04 00:00:00 UTC 2024');
  });
});

describe('httpApiClaims', () => {
  it('matches the JWT claims AWS hands an HTTP API integration', () => {
    expect(httpApiClaims(claims)).toEqual({
      sub: 'cdad23f0-2ad6-4dc1-993d-bbb3f6f8c707',
      aud: 'clm2h5m9uemul1rcfmbidiv1j',
      email_verified: 'true',
      token_use: 'id',
      auth_time: '1469814773',
      exp: '1469818373',
      iat: '1469814773',
      'cognito:groups': '[admin poweruser]',
      address: '{"country":"NZ"}',
    });
  });
});

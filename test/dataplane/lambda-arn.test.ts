import { describe, expect, it } from 'vitest';
import { functionTargetOf } from '../../src/dataplane/integrations/lambda-arn.js';

const invocation = (functionRef: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionRef}/invocations`;

describe('functionTargetOf', () => {
  it('reads the function and its qualifier from an invocation ARN', () => {
    expect(functionTargetOf(invocation('arn:aws:lambda:us-east-1:123456789012:function:orders'))).toEqual({
      name: 'orders',
    });
    expect(
      functionTargetOf(invocation('arn:aws:lambda:us-east-1:123456789012:function:orders:live')),
    ).toEqual({ name: 'orders', qualifier: 'live' });
    expect(functionTargetOf(invocation('orders'))).toEqual({ name: 'orders' });
    // The stage-variable form after substitution, percent-encoded as the console writes it.
    expect(
      functionTargetOf(invocation('arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorders%3Adev')),
    ).toEqual({ name: 'orders', qualifier: 'dev' });
  });

  it("takes a function's own ARN only where HTTP APIs allow it", () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:orders:live';
    expect(functionTargetOf(arn, true)).toEqual({ name: 'orders', qualifier: 'live' });
    expect(() => functionTargetOf(arn)).toThrow(/must be a Lambda invocation ARN: arn:aws:apigateway:/);
    expect(() => functionTargetOf('https://example.com', true)).toThrow(/or a Lambda function ARN/);
    expect(() => functionTargetOf(invocation('not a name'))).toThrow(/not a Lambda function ARN or name/);
  });
});

import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { withUsageKey } from '#functions/authorizer/usage-key';
import { callerOf } from '#functions/shared/caller';
import { ProblemError } from '#lib/http/problem';
import { env } from '#lib/platform/resources';
import { buildProxyEvent, matchRoute, requestParts } from '#local/api/events';

/** A proxy event as the local gateway builds it, signed by `userArn` and/or with an authorizer context. */
function proxyEvent(options: {
  userArn?: string;
  authorizer?: Record<string, unknown>;
}): APIGatewayProxyEvent {
  const request = { method: 'GET', url: '/v1/checks', headers: [], sourceIp: '10.0.0.1', host: 'local' };
  const parts = requestParts(request, 0);
  const route = matchRoute('GET', '/v1/checks');
  if (route === undefined) throw new Error('no route for /v1/checks');
  const event = buildProxyEvent(parts, route, 'china', options.authorizer ?? null);
  event.requestContext.identity.userArn = options.userArn ?? null;
  return event;
}

const iamCallers = {
  'joint-credit-china-api-caller-scjg': { agencyCode: 'SCJG', roles: ['case-officer'] },
};

afterEach(() => {
  delete process.env[env.iamCallers];
  delete process.env[env.usageKeyPrefix];
});

describe('callerOf: SigV4 callers (apiAccess=iam)', () => {
  it('maps the assumed agency role to its agency and registered roles', () => {
    // Prepare
    process.env[env.iamCallers] = JSON.stringify(iamCallers);
    const event = proxyEvent({
      userArn: 'arn:aws-cn:sts::123456789012:assumed-role/joint-credit-china-api-caller-scjg/batch-1',
    });
    // Act
    const caller = callerOf(event);
    // Assess
    expect(caller).toEqual({
      agencyCode: 'SCJG',
      keyId: 'iam:joint-credit-china-api-caller-scjg',
      roles: ['case-officer'],
    });
  });

  it('refuses a signed caller whose role is not an agency role (401)', () => {
    process.env[env.iamCallers] = JSON.stringify(iamCallers);
    const event = proxyEvent({
      userArn: 'arn:aws-cn:sts::123456789012:assumed-role/some-other-role/session',
    });
    expect(() => callerOf(event)).toThrow(ProblemError);
  });

  it('prefers the Lambda authorizer context where there is one', () => {
    process.env[env.iamCallers] = JSON.stringify(iamCallers);
    const event = proxyEvent({
      authorizer: { agencyCode: 'XYB', roles: 'credit-office', keyId: 'key-1' },
      userArn: 'arn:aws-cn:sts::123456789012:assumed-role/joint-credit-china-api-caller-scjg/s',
    });
    expect(callerOf(event)).toEqual({ agencyCode: 'XYB', keyId: 'key-1', roles: ['credit-office'] });
  });
});

describe('withUsageKey: the usage plan of the caller’s agency', () => {
  const allowed: APIGatewayAuthorizerResult = {
    principalId: 'key-1',
    policyDocument: { Version: '2012-10-17', Statement: [] },
    context: { agencyCode: 'SCJG', roles: 'case-officer', keyId: 'key-1' },
  };

  it('returns the agency’s usage key when the stack sets the prefix', () => {
    process.env[env.usageKeyPrefix] = 'joint-credit-prod-usage-';
    expect(withUsageKey(allowed).usageIdentifierKey).toBe('joint-credit-prod-usage-SCJG');
  });

  it('adds nothing without the prefix (local stack)', () => {
    expect(withUsageKey(allowed)).toEqual(allowed);
  });
});

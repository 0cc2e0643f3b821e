import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { env } from '#lib/platform/resources';

/**
 * Names the agency's usage plan (API key source AUTHORIZER): the stack sets the prefix and creates one
 * API key per agency with the value prefix + agency code. Unset (local stack) adds nothing.
 */
export function withUsageKey(result: APIGatewayAuthorizerResult): APIGatewayAuthorizerResult {
  const prefix = process.env[env.usageKeyPrefix];
  const agencyCode = result.context?.agencyCode;
  if (!prefix || typeof agencyCode !== 'string') return result;
  return { ...result, usageIdentifierKey: `${prefix}${agencyCode}` };
}

/**
 * What `admin key revoke` says about when the revocation takes effect. API Gateway caches each
 * authorizer decision for the stage's `authorizerCacheSeconds` (infra/config.ts), so a revoked key
 * keeps working that long in AWS; the local gateway's cache is flushed on the spot.
 */
import { isStage, stageSettings } from '#infra/config';
import { api, stages } from '#lib/platform/resources';
import { opsPaths } from '#local/ops/ops-routes';

/** The TTL of each stage, as deployed without a -c authorizerCacheSeconds override. */
function everyStageTtl(): string {
  return stages.map((stage) => `${stage} ${stageSettings(stage).authorizerCacheSeconds} s`).join(', ');
}

async function flushLocalCache(apiBaseUrl: string): Promise<string> {
  try {
    const response = await fetch(new URL(opsPaths.authorizerCache, apiBaseUrl), { method: 'DELETE' });
    if (response.ok)
      return "the local gateway's authorizer cache was flushed: the key is refused from now on";
    return `the local gateway did not flush its authorizer cache (HTTP ${response.status}): the key may keep working for up to ${api.authorizerCacheSeconds} s`;
  } catch (error) {
    return `the local gateway could not be reached to flush its authorizer cache (${(error as Error).message}): the key may keep working for up to ${api.authorizerCacheSeconds} s`;
  }
}

/** One line: how long the revoked key may still be accepted, and why. */
export async function revocationNotice(
  target: { readonly apiBaseUrl?: string | undefined },
  stage: string | undefined,
): Promise<string> {
  if (target.apiBaseUrl) return flushLocalCache(target.apiBaseUrl);
  if (stage && isStage(stage)) {
    const seconds = stageSettings(stage).authorizerCacheSeconds;
    return `API Gateway may keep accepting the key for up to ${seconds} s: stage ${stage} caches each authorizer decision that long (authorizerCacheSeconds in infra/config.ts, unless deployed with -c authorizerCacheSeconds=…)`;
  }
  return `API Gateway may keep accepting the key for up to the stage's authorizer cache TTL (${everyStageTtl()}; infra/config.ts, or -c authorizerCacheSeconds=… at deploy); pass --stage to name it`;
}

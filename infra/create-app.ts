import { App } from 'aws-cdk-lib';
import { resourceName } from '#lib/platform/resources';
import { settingsFromContext } from './config';
import { applyNagPacks } from './nag';
import { JointCreditStack } from './stacks/joint-credit-stack';

export interface CreateAppOptions {
  /** Check the app with the cdk-nag packs during synthesis (default true). */
  readonly nag?: boolean;
}

/**
 * The app for the stage in context (`-c stage=dev|prod|china`, default dev, with the setting
 * overrides of infra/config.ts such as `-c partition=aws-cn`). Used by infra/app.ts and by the
 * infrastructure tests, so that both synthesise exactly the same thing.
 */
export function createApp(
  app = new App(),
  options: CreateAppOptions = {},
): { app: App; stack: JointCreditStack } {
  const settings = settingsFromContext(app);
  // Environment-agnostic: account and region come from the deploying credentials, so synth needs none.
  const stack = new JointCreditStack(app, resourceName(settings.stage, 'platform'), {
    settings,
    description: `Joint credit rewards and sanctions platform (${settings.stage}, partition ${settings.partition})`,
    tags: { project: 'joint-credit', stage: settings.stage },
  });
  if (options.nag ?? true) applyNagPacks(app);
  return { app, stack };
}

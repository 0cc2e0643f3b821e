import { Duration } from 'aws-cdk-lib';
import { type Archive, type CfnArchive, EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { env, eventBus, resourceName } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import type { CreditFunction } from './credit-function';

export interface CreditEventBusProps {
  readonly settings: StageSettings;
}

/**
 * The platform's EventBridge bus (自动推送): the match function puts a `credit.alert` event on it for
 * every new or ended hit of a watched subject; agencies' systems subscribe with rules on
 * detail.agencyCode. An archive keeps the platform's own events for replay after a consumer outage.
 */
export class CreditEventBus extends Construct {
  readonly bus: EventBus;
  readonly archive: Archive;

  constructor(scope: Construct, id: string, props: CreditEventBusProps) {
    super(scope, id);
    const { stage } = props.settings;
    this.bus = new EventBus(this, 'Bus', {
      eventBusName: resourceName(stage, eventBus.nameSuffix),
      description:
        'Joint credit alerts (credit.alert) for agencies: new and ended list hits of watched subjects',
    });
    this.archive = this.bus.archive('Archive', {
      archiveName: resourceName(stage, `${eventBus.nameSuffix}-archive`),
      description: 'Every event the platform published, for replay',
      eventPattern: { source: [eventBus.source] },
      retention: Duration.days(eventBus.archiveRetentionDays),
    });
    // aws-cdk-lib writes KmsKeyIdentifier: "" when no key is given, which deployments reject in some
    // regions (aws/aws-cdk#37847); absent, the archive uses the AWS-owned key. Remove once fixed upstream.
    (this.archive.node.defaultChild as CfnArchive).addPropertyDeletionOverride('KmsKeyIdentifier');
  }

  /** Lets a function put events on this bus (events:PutEvents on this bus only) and tells it the bus name. */
  grantPublish(fn: CreditFunction): void {
    this.bus.grantPutEventsTo(fn.function);
    fn.function.addEnvironment(env.eventBusName, this.bus.eventBusName);
  }
}

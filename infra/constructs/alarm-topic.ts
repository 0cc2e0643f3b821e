import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { resourceName } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { topicKey } from './topic-key';

export interface AlarmTopicProps {
  readonly settings: StageSettings;
}

/**
 * Where every alarm (and its return to OK) is published. Operators subscribe to it (mail or a chat
 * webhook; SMS is not offered in the China regions) outside this stack, so a change of rota never
 * needs a deployment.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { stage } = props.settings;
    this.topic = new Topic(this, 'Topic', {
      topicName: resourceName(stage, 'alarms'),
      displayName: `Joint credit (${stage}) alarms`,
      enforceSSL: true,
      masterKey: topicKey(this, 'Key', props.settings, `Encrypts the ${stage} alarm topic`, [
        'cloudwatch.amazonaws.com',
      ]),
    });
    this.action = new SnsAction(this.topic);
  }
}

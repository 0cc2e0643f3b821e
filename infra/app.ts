import { createApp } from './create-app';

// Entry point of `cdk synth` / `cdk deploy` (cdk.json: npx tsx infra/app.ts).
createApp().app.synth();

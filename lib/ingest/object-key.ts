import { bucketLayout } from '../platform/resources';

/** S3 URL-encodes keys in event records, with spaces as '+'. */
export function decodeS3EventKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

export type IncomingKey =
  | { ok: true; agencyCode: string; dataset: string; fileName: string; reportKey: string }
  | { ok: false; reason: string; reportKey: string };

const AGENCY_CODE = /^[A-Za-z0-9_-]{2,64}$/;

/** incoming/<agencyCode>/<dataset>/<file>: anything else is rejected with a report saying why. */
export function parseIncomingKey(key: string): IncomingKey {
  const rest = key.startsWith(bucketLayout.incomingPrefix)
    ? key.slice(bucketLayout.incomingPrefix.length)
    : null;
  const parts = rest?.split('/') ?? [];
  const [agencyCode, dataset, ...fileParts] = parts;
  const fileName = fileParts.join('/');
  if (
    rest === null ||
    agencyCode === undefined ||
    dataset === undefined ||
    fileName === '' ||
    !AGENCY_CODE.test(agencyCode)
  ) {
    return {
      ok: false,
      reason: `object key "${key}" does not follow incoming/<agencyCode>/<dataset>/<file>`,
      reportKey: `${bucketLayout.reportsPrefix}_rejected/${key}.result.json`,
    };
  }
  return {
    ok: true,
    agencyCode,
    dataset,
    fileName,
    reportKey: bucketLayout.reportKey(agencyCode, dataset, fileName),
  };
}

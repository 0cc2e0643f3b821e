import { createHash } from 'node:crypto';
import { bucketLayout } from '../platform/resources';

/** S3 URL-encodes keys in event records, with spaces as '+'. */
export function decodeS3EventKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

export type IncomingKey =
  | { ok: true; agencyCode: string; dataset: string; fileName: string; reportKey: string }
  | {
      ok: false;
      code: 'KEY_OUTSIDE_CONVENTION' | 'KEY_UNSAFE';
      reason: string;
      reportKey: string;
      /** The uploader's folder, when the key names a well-formed agency code. */
      agencyCode?: string;
    };

const AGENCY_CODE = /^[A-Za-z0-9_-]{2,64}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
/** Report names longer than this are cut and made unique with a hash of the whole key. */
const MAX_REPORT_NAME = 400;

/**
 * Why a key cannot name a report: a `.` or `..` segment or an empty one (a path that a file system
 * or an S3-compatible store may resolve into another folder), or a control character.
 */
function unsafeKeyReason(key: string): string | undefined {
  if (CONTROL_CHARACTER.test(key)) return 'the object key contains a control character';
  const segments = key.split('/');
  if (segments.some((segment) => segment === '.' || segment === '..'))
    return 'the object key contains a "." or ".." segment';
  if (segments.some((segment) => segment === '')) return 'the object key contains an empty segment ("//")';
  return undefined;
}

/**
 * The report of a refused key: one segment (the key percent-encoded, so `/`, `.`/`..` segments and
 * control characters cannot leave the folder), in the uploader's folder when the key names one.
 */
function refusedReportKey(key: string, agencyCode: string | undefined): string {
  const rest = agencyCode ? key.slice(`${bucketLayout.incomingPrefix}${agencyCode}/`.length) : key;
  let name = encodeURIComponent(rest);
  if (name.length > MAX_REPORT_NAME) {
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
    name = `${name.slice(0, MAX_REPORT_NAME).replace(/%[0-9A-F]?$/, '')}~${hash}`;
  }
  return agencyCode
    ? `${bucketLayout.reportsPrefix}${agencyCode}/_rejected/${name}.result.json`
    : `${bucketLayout.reportsPrefix}_rejected/${name}.result.json`;
}

/**
 * incoming/<agencyCode>/<dataset>/<file>: anything else is rejected with a report saying why. A key
 * that could lead a report out of its folder is refused first (KEY_UNSAFE), its report written in
 * the uploader's own folder.
 */
export function parseIncomingKey(key: string): IncomingKey {
  const rest = key.startsWith(bucketLayout.incomingPrefix)
    ? key.slice(bucketLayout.incomingPrefix.length)
    : null;
  const parts = rest?.split('/') ?? [];
  const [agencyCode, dataset, ...fileParts] = parts;
  const uploader = agencyCode !== undefined && AGENCY_CODE.test(agencyCode) ? agencyCode : undefined;
  const unsafe = unsafeKeyReason(key);
  if (unsafe) {
    return {
      ok: false,
      code: 'KEY_UNSAFE',
      reason: `${unsafe}; nothing was read. Upload it again under incoming/<agencyCode>/<dataset>/<file> without such parts`,
      reportKey: refusedReportKey(key, uploader),
      ...(uploader ? { agencyCode: uploader } : {}),
    };
  }
  const fileName = fileParts.join('/');
  if (rest === null || uploader === undefined || dataset === undefined || fileName === '') {
    return {
      ok: false,
      code: 'KEY_OUTSIDE_CONVENTION',
      reason: `object key "${key}" does not follow incoming/<agencyCode>/<dataset>/<file>`,
      reportKey: `${bucketLayout.reportsPrefix}_rejected/${key}.result.json`,
    };
  }
  return {
    ok: true,
    agencyCode: uploader,
    dataset,
    fileName,
    reportKey: bucketLayout.reportKey(uploader, dataset, fileName),
  };
}

/** The agency a key belongs to, for the job and its report: the uploader's folder, or `_unknown`. */
export function agencyOfKey(parsed: IncomingKey): string {
  return parsed.ok ? parsed.agencyCode : (parsed.agencyCode ?? '_unknown');
}

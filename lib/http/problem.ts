/**
 * RFC 9457 problem details. Every error the API returns is one of these, with a stable `code`
 * that client systems can branch on; the `type` URI is derived from it.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly { readonly field: string; readonly code: string; readonly reason: string }[];
  /** Extension members a problem type defines (RFC 9457 §3.2). */
  readonly [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemType(code: string): string {
  return `https://joint-credit.example.gov.cn/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

/** Thrown anywhere below a handler; the error middleware turns it into a problem+json response. */
export class ProblemError extends Error {
  override name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: ProblemDetails['errors'],
    /** Extension members of the problem (RFC 9457 §3.2), e.g. minEligibleDate. */
    readonly extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(detail);
  }

  toProblem(instance?: string): ProblemDetails {
    return {
      ...this.extensions,
      type: problemType(this.code),
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      code: this.code,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export function internalProblem(instance?: string): ProblemDetails {
  return new ProblemError(
    500,
    'INTERNAL',
    'The request could not be completed; it has been logged.',
  ).toProblem(instance);
}

/** A request and response as the local API gateway sees them, independent of node:http. */
export interface LocalHttpRequest {
  method: string;
  /** Path and query string as received, e.g. `/v1/checks?x=1`. */
  url: string;
  /** Header name/value pairs in arrival order, names with the client's casing. */
  headers: [string, string][];
  body?: Buffer;
  sourceIp: string;
  /** Host header value, used as the domain name. */
  host?: string;
}

export interface LocalHttpResponse {
  statusCode: number;
  headers: [string, string][];
  body: Buffer;
}
